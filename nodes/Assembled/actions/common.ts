import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { AssembledClientOptions } from '../transport';
import { ASSEMBLED_RATE_LIMIT } from '../transport';
import { DEFAULT_RETRY_POLICY } from '../../shared/retry';

/** Pacing and retry options every Assembled operation offers under "Options". */
export const transportOptionFields: INodeProperties[] = [
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 20 },
		default: 5,
		description:
			'How often to retry a request after a rate limit (429), a server error (5xx), a timeout or a dropped connection',
	},
	{
		displayName: 'Request Timeout (Ms)',
		name: 'timeoutMs',
		type: 'number',
		typeOptions: { minValue: 100 },
		default: 30_000,
	},
	{
		displayName: 'Requests per Minute',
		name: 'requestsPerMinute',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 300,
		description:
			'Sustained request rate for this node, shared by all its requests. Assembled allows 300 unless support raised it.',
	},
	{
		displayName: 'Burst Size',
		name: 'burst',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 20,
		description: 'Requests that may go out at once before pacing starts. Assembled allows bursts of 20.',
	},
	{
		displayName: 'Retry Delay (Ms)',
		name: 'retryDelayMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 1000,
		description:
			'First back-off wait when the server gives no Retry-After; doubles on each retry, with jitter',
	},
];

export function clientOptionsFrom(options: IDataObject): AssembledClientOptions {
	const number = (value: unknown, fallback: number) =>
		typeof value === 'number' && Number.isFinite(value) ? value : fallback;
	return {
		rateLimit: {
			perMinute: Math.max(1, number(options.requestsPerMinute, ASSEMBLED_RATE_LIMIT.perMinute)),
			burst: Math.max(1, Math.floor(number(options.burst, ASSEMBLED_RATE_LIMIT.burst))),
		},
		retry: {
			maxRetries: Math.max(0, Math.floor(number(options.maxRetries, DEFAULT_RETRY_POLICY.maxRetries))),
			baseDelayMs: Math.max(0, number(options.retryDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs)),
			maxDelayMs: DEFAULT_RETRY_POLICY.maxDelayMs,
		},
		timeoutMs: Math.max(100, number(options.timeoutMs, 30_000)),
	};
}
