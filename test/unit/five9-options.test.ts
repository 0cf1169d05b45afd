import type { INode, INodeParameters, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Five9 } from '../../nodes/Five9/Five9.node';
import { transportOptionFields } from '../../nodes/Five9/actions/common.descriptions';
import { reportRunAdvancedFields } from '../../nodes/Five9/actions/report/report.descriptions';
import { DEFAULT_RUN_SETTINGS, runSettingsFrom } from '../../nodes/Five9/helpers/runSettings';
import { FIVE9_TRANSPORT_DEFAULTS, clientOptionsFrom } from '../../nodes/Five9/transport';

/** Where each transport field's default lives in FIVE9_TRANSPORT_DEFAULTS. */
const defaultOf: Record<string, () => number> = {
	maxRetries: () => FIVE9_TRANSPORT_DEFAULTS.maxRetries,
	timeoutMs: () => FIVE9_TRANSPORT_DEFAULTS.timeoutMs,
	retryDelayMs: () => FIVE9_TRANSPORT_DEFAULTS.retryDelayMs,
};

const fieldDefaults = (fields: INodeProperties[]) => Object.fromEntries(fields.map((field) => [field.name, field.default]));

/** The developer settings: under Options in version 1, under Advanced from 1.1. */
const DEVELOPER_SETTINGS = ['maxRetries', 'retryDelayMs', 'timeoutMs', 'pollTimeoutSeconds', 'maxWaitSeconds', 'rowCap', 'maxAnswerMb'];

const properties = new Five9().description.properties;
const versionOf = (property: INodeProperties) => JSON.stringify(property.displayOptions?.show?.['@version'] ?? null);
const VERSIONS: Record<string, string> = { '1': JSON.stringify([1]), '1.1': JSON.stringify([{ _cnd: { gte: 1.1 } }]) };
/** The collections named `name` shown in a version; Evaluation → Get Many calls no transport. */
const settingsCollections = (version: string, name: string) =>
	properties.filter(
		(property) =>
			property.name === name &&
			versionOf(property) === VERSIONS[version] &&
			!property.displayOptions?.show?.resource?.includes('evaluation'),
	);
/** Which operation a collection belongs to, whatever the version. */
const operationOf = (property: INodeProperties) => {
	const { '@version': _version, ...show } = property.displayOptions?.show ?? {};
	return JSON.stringify(show);
};
const namesOf = (collection: INodeProperties | undefined) => ((collection?.options ?? []) as INodeProperties[]).map((field) => field.name);

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

	it.each([
		['1', 'options'],
		['1.1', 'advanced'],
	])('every operation that calls Five9 offers the transport settings in version %s under "%s", with those defaults', (version, name) => {
		const collections = settingsCollections(version, name);
		expect(collections).toHaveLength(10);
		for (const collection of collections) {
			const fields = (collection.options ?? []) as INodeProperties[];
			for (const [field, value] of Object.entries(defaultOf)) {
				expect({ field, default: fields.find((f) => f.name === field)?.default }).toEqual({ field, default: value() });
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
		expect(runSettingsFrom(fieldDefaults(reportRunAdvancedFields))).toEqual(DEFAULT_RUN_SETTINGS);
		expect(runSettingsFrom({})).toEqual(DEFAULT_RUN_SETTINGS);
	});
});

describe('Five9 settings by node version', () => {
	it('version 1 keeps every setting in Options: the 1.1 Options and Advanced together, with the same defaults', () => {
		for (const options of settingsCollections('1', 'options')) {
			const operation = operationOf(options);
			const later = [...settingsCollections('1.1', 'options'), ...settingsCollections('1.1', 'advanced')].filter(
				(collection) => operationOf(collection) === operation,
			);
			const laterFields = later.flatMap((collection) => (collection.options ?? []) as INodeProperties[]);
			expect(fieldDefaults(options.options as INodeProperties[])).toEqual(fieldDefaults(laterFields));
			expect(namesOf(options)).toEqual(expect.arrayContaining(['maxRetries', 'retryDelayMs', 'timeoutMs']));
		}
	});

	it('from 1.1 Options holds no developer setting, and Advanced nothing else', () => {
		for (const options of settingsCollections('1.1', 'options')) {
			expect(namesOf(options).filter((name) => DEVELOPER_SETTINGS.includes(name))).toEqual([]);
		}
		for (const advanced of settingsCollections('1.1', 'advanced')) {
			expect(advanced).toMatchObject({ displayName: 'Advanced', type: 'collection', default: {} });
			expect(namesOf(advanced).filter((name) => !DEVELOPER_SETTINGS.includes(name))).toEqual([]);
		}
	});

	it('the report operations keep their run settings under Advanced from 1.1, and Window Hours under Options', () => {
		for (const operation of ['run', 'getWindowFiles', 'getResult']) {
			const of = (version: string, name: string) =>
				settingsCollections(version, name).find((collection) => collection.displayOptions?.show?.operation?.includes(operation));
			expect(namesOf(of('1.1', 'advanced'))).toEqual(expect.arrayContaining(['pollTimeoutSeconds', 'maxWaitSeconds', 'rowCap', 'maxAnswerMb']));
			expect(namesOf(of('1', 'options'))).toEqual(expect.arrayContaining(['pollTimeoutSeconds', 'maxWaitSeconds', 'rowCap', 'maxAnswerMb']));
			expect(namesOf(of('1.1', 'options'))).toContain('timeZone');
		}
		const windowHoursIn = (version: string) => namesOf(settingsCollections(version, 'options').find((c) => c.displayOptions?.show?.operation?.includes('run')));
		expect(windowHoursIn('1')).toContain('windowHours');
		expect(windowHoursIn('1.1')).toContain('windowHours');
	});

	/** The parameters n8n keeps of a saved node when it loads the workflow. */
	const loaded = (typeVersion: number, parameters: INodeParameters) => {
		const description = new Five9().description;
		const node = { id: 'n', name: 'Five9', type: 'five9', typeVersion, position: [0, 0], parameters } as INode;
		return NodeHelpers.getNodeParameters(description.properties, parameters, false, false, node, description);
	};

	it('a saved version-1 node keeps its developer settings under Options; a 1.1 node keeps them under Advanced', () => {
		const run = { resource: 'report', operation: 'run', range: 'custom', start: '2024-03-09', end: '2024-03-10' };
		expect(loaded(1, { ...run, options: { rowCap: 100, maxRetries: 1, windowHours: 6 } })).toMatchObject({
			options: { rowCap: 100, maxRetries: 1, windowHours: 6 },
		});
		expect(loaded(1.1, { ...run, options: { windowHours: 6 }, advanced: { rowCap: 100, maxRetries: 1 } })).toMatchObject({
			options: { windowHours: 6 },
			advanced: { rowCap: 100, maxRetries: 1 },
		});
	});

	it('every operation that calls Five9 has its settings collections for exactly one version each', () => {
		const other = properties.filter(
			(property) =>
				['options', 'advanced'].includes(property.name) &&
				!Object.values(VERSIONS).includes(versionOf(property)) &&
				!property.displayOptions?.show?.resource?.includes('evaluation'),
		);
		expect(other).toEqual([]);
	});
});
