import type { INodeProperties } from 'n8n-workflow';

import { Five9 } from '../../nodes/Five9/Five9.node';
import { transportOptionFields } from '../../nodes/Five9/actions/common.descriptions';
import { reportRunOptionFields } from '../../nodes/Five9/actions/report/report.descriptions';
import { DEFAULT_RUN_SETTINGS, runSettingsFrom } from '../../nodes/Five9/helpers/runSettings';
import { FIVE9_TRANSPORT_DEFAULTS, clientOptionsFrom } from '../../nodes/Five9/transport';

/** Where each transport field's default lives in FIVE9_TRANSPORT_DEFAULTS. */
const defaultOf: Record<string, () => number> = {
	maxRetries: () => FIVE9_TRANSPORT_DEFAULTS.maxRetries,
	timeoutMs: () => FIVE9_TRANSPORT_DEFAULTS.timeoutMs,
	retryDelayMs: () => FIVE9_TRANSPORT_DEFAULTS.retryDelayMs,
};

const fieldDefaults = (fields: INodeProperties[]) => Object.fromEntries(fields.map((field) => [field.name, field.default]));

describe('Five9 transport options', () => {
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

	it('every operation that calls Five9 offers the transport options, with those defaults', () => {
		const collections = new Five9().description.properties.filter(
			(property) => property.name === 'options' && !property.displayOptions?.show?.resource?.includes('evaluation'),
		);
		expect(collections).toHaveLength(10);
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
				maxRetries: FIVE9_TRANSPORT_DEFAULTS.maxRetries,
				baseDelayMs: FIVE9_TRANSPORT_DEFAULTS.retryDelayMs,
				maxDelayMs: FIVE9_TRANSPORT_DEFAULTS.maxDelayMs,
			},
			timeoutMs: FIVE9_TRANSPORT_DEFAULTS.timeoutMs,
			timeZone: undefined,
		});
		expect(clientOptionsFrom(fieldDefaults(transportOptionFields))).toEqual(clientOptionsFrom({}));
	});

	it('set options are read, within their bounds, with the report time zone', () => {
		expect(clientOptionsFrom({ maxRetries: 2.7, timeoutMs: 50, retryDelayMs: 250, timeZone: 'Europe/London' })).toEqual({
			retry: { maxRetries: 2, baseDelayMs: 250, maxDelayMs: FIVE9_TRANSPORT_DEFAULTS.maxDelayMs },
			timeoutMs: 100,
			timeZone: 'Europe/London',
		});
	});
});

describe('Five9 report run options', () => {
	it('the fields’ defaults are the settings used when they are not set', () => {
		expect(runSettingsFrom(fieldDefaults(reportRunOptionFields))).toEqual(DEFAULT_RUN_SETTINGS);
		expect(runSettingsFrom({})).toEqual(DEFAULT_RUN_SETTINGS);
	});
});
