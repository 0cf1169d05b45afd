import type { INodeProperties } from 'n8n-workflow';

import { Assembled } from '../../nodes/Assembled/Assembled.node';
import { transportOptionFields } from '../../nodes/Assembled/actions/common.descriptions';
import { ASSEMBLED_TRANSPORT_DEFAULTS, clientOptionsFrom } from '../../nodes/Assembled/transport';

/** Where each transport field's default lives in ASSEMBLED_TRANSPORT_DEFAULTS. */
const defaultOf: Record<string, () => number | undefined> = {
	maxRetries: () => ASSEMBLED_TRANSPORT_DEFAULTS.maxRetries,
	timeoutMs: () => ASSEMBLED_TRANSPORT_DEFAULTS.timeoutMs,
	retryDelayMs: () => ASSEMBLED_TRANSPORT_DEFAULTS.retryDelayMs,
	requestsPerMinute: () => ASSEMBLED_TRANSPORT_DEFAULTS.rateLimit?.perMinute,
	burst: () => ASSEMBLED_TRANSPORT_DEFAULTS.rateLimit?.burst,
};

describe('Assembled transport options', () => {
	it.each(transportOptionFields.map((field): [string, INodeProperties] => [field.name, field]))(
		'the default of "%s" is the one used when it is not set',
		(name, field) => {
			expect(Object.keys(defaultOf)).toContain(name);
			expect(field.default).toBe(defaultOf[name]());
		},
	);

	it('every default has its field', () => {
		expect(transportOptionFields.map((field) => field.name).sort()).toEqual(Object.keys(defaultOf).sort());
	});

	it('every operation offers the transport options, with those defaults', () => {
		const collections = new Assembled().description.properties.filter((property) => property.name === 'options');
		expect(collections).toHaveLength(8);
		for (const collection of collections) {
			const fields = (collection.options ?? []) as INodeProperties[];
			for (const [name, value] of Object.entries(defaultOf)) {
				expect({ name, default: fields.find((field) => field.name === name)?.default }).toEqual({ name, default: value() });
			}
		}
	});

	it('unset options read back as the defaults', () => {
		expect(clientOptionsFrom({})).toEqual({
			retry: {
				maxRetries: ASSEMBLED_TRANSPORT_DEFAULTS.maxRetries,
				baseDelayMs: ASSEMBLED_TRANSPORT_DEFAULTS.retryDelayMs,
				maxDelayMs: ASSEMBLED_TRANSPORT_DEFAULTS.maxDelayMs,
			},
			timeoutMs: ASSEMBLED_TRANSPORT_DEFAULTS.timeoutMs,
			rateLimit: ASSEMBLED_TRANSPORT_DEFAULTS.rateLimit,
		});
	});

	it('set options are read, within their bounds', () => {
		expect(clientOptionsFrom({ maxRetries: 2.7, timeoutMs: 50, requestsPerMinute: 60, burst: 0, retryDelayMs: 250 })).toEqual({
			retry: { maxRetries: 2, baseDelayMs: 250, maxDelayMs: ASSEMBLED_TRANSPORT_DEFAULTS.maxDelayMs },
			timeoutMs: 100,
			rateLimit: { perMinute: 60, burst: 1 },
		});
	});
});
