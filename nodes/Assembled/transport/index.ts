import type { IDataObject } from 'n8n-workflow';

import { ASSEMBLED_DEFAULT_BASE_URL } from '../../../credentials/AssembledApi.credentials';
import {
	RateLimitedJsonClient,
	genericErrorText,
	type ClientOptions,
	type RequestContext,
	type VendorProfile,
} from '../../shared/httpClient';
import { transportSettingsFrom, type TransportDefaults } from '../../shared/options';
import type { RateLimit } from '../../shared/throttle';

export const ASSEMBLED_CREDENTIAL = 'assembledApi';

/** Documented default: 300 requests per minute with bursts of up to 20 (docs/assembled.md, "Rate limit"). */
export const ASSEMBLED_RATE_LIMIT: RateLimit = { perMinute: 300, burst: 20 };

/**
 * What an operation uses when a transport option is not set. The same values as the defaults of
 * the fields in `actions/common.descriptions.ts`; a unit test keeps the two equal.
 */
export const ASSEMBLED_TRANSPORT_DEFAULTS: TransportDefaults = {
	timeoutMs: 30_000,
	maxRetries: 5,
	retryDelayMs: 1000,
	maxDelayMs: 30_000,
	rateLimit: ASSEMBLED_RATE_LIMIT,
};

/** The client settings an operation asks for (`settingsOf`). */
export function clientOptionsFrom(options: IDataObject): ClientOptions {
	return transportSettingsFrom(options, ASSEMBLED_TRANSPORT_DEFAULTS);
}

export const ASSEMBLED_PROFILE: VendorProfile = {
	vendor: 'Assembled',
	credentialType: ASSEMBLED_CREDENTIAL,
	defaultRateLimit: ASSEMBLED_RATE_LIMIT,
	baseUrl: (credentials) => String(credentials.baseUrl || ASSEMBLED_DEFAULT_BASE_URL),
	// The key travels as the user name of HTTP Basic with an empty password (docs/assembled.md, "Authentication").
	secrets: (credentials, redactor) => {
		redactor.addSecret(String(credentials.apiKey ?? ''));
		redactor.addBasicPair(String(credentials.apiKey ?? ''), '');
	},
	// Error bodies come in several shapes, sometimes empty (docs/assembled.md, "Errors").
	errorText: genericErrorText,
	explain(status, said, where, client) {
		switch (true) {
			case status === 400 || status === 422:
				return {
					message: `Assembled rejected the request (${status}): ${said}`,
					description: `Assembled found the data sent by ${where} invalid. Fix the field it names and run again.`,
				};
			case status === 401:
				return {
					message: 'The API key was rejected by Assembled (401)',
					description:
						'Copy a current key from Settings → API in Assembled into the Assembled API credential. Keys start with sk_live_.',
				};
			case status === 402 || status === 403:
				return {
					message: `Assembled refused access (${status}): ${said}`,
					description:
						'The key is valid but not allowed to do this. QA score ingestion needs the Pro or Enterprise plan, and test keys (sk_test_) cannot write.',
				};
			case status === 404:
				return {
					message: `Not found in Assembled (404): ${said}`,
					description: `Nothing answers ${where}. Check the ID, or the Base URL in the credential.`,
				};
			case status === 429:
				return {
					message: 'Assembled kept answering "too many requests" (429)',
					description: `The node paces itself at ${client.limiter.limit.perMinute} requests per minute; lower "Requests per Minute" or ask Assembled support for a higher limit.`,
				};
			case status >= 500:
				return {
					message: `Assembled had a server error (${status})`,
					description: `Assembled said: ${said}. This is usually temporary; run the workflow again later.`,
				};
			default:
				return { message: `Assembled answered ${status}: ${said}`, description: `Unexpected answer to ${where}.` };
		}
	},
};

/** The Assembled API client of one node execution; see RateLimitedJsonClient. */
export class AssembledClient extends RateLimitedJsonClient {
	constructor(ctx: RequestContext, options: ClientOptions = {}) {
		super(ctx, ASSEMBLED_PROFILE, options);
	}
}
