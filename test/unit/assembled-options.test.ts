import type { INode, INodeParameters, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

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

const description = new Assembled().description;
const VERSIONS: Record<string, string> = { '1': JSON.stringify([1]), '1.1': JSON.stringify([{ _cnd: { gte: 1.1 } }]) };
const versionOf = (property: INodeProperties) => JSON.stringify(property.displayOptions?.show?.['@version'] ?? null);
const settingsCollections = (version: string, name: string) =>
	description.properties.filter((property) => property.name === name && versionOf(property) === VERSIONS[version]);
const namesOf = (collection: INodeProperties | undefined) => ((collection?.options ?? []) as INodeProperties[]).map((field) => field.name);

/** The developer settings: under Options in version 1, under Advanced from 1.1. */
const DEVELOPER_SETTINGS = ['maxRetries', 'retryDelayMs', 'timeoutMs', 'requestsPerMinute', 'burst', 'batchSize', 'maxWaitSeconds', 'pollIntervalMs'];

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

	it.each([
		['1', 'options'],
		['1.1', 'advanced'],
	])('every operation offers the transport settings in version %s under "%s", with those defaults', (version, name) => {
		const collections = settingsCollections(version, name);
		// One collection per operation of the node.
		const operations = description.properties.filter((property) => property.name === 'operation').flatMap((property) => property.options ?? []);
		expect(collections).toHaveLength(operations.length);
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

describe('Assembled settings by node version', () => {
	const qa = (property: INodeProperties) => property.displayOptions?.show?.resource?.includes('qaScore') === true;

	it('version 1 keeps every other setting in Options: the 1.1 Options and Advanced together, with the same defaults', () => {
		const operationOf = (property: INodeProperties) => {
			const { '@version': _version, ...show } = property.displayOptions?.show ?? {};
			return JSON.stringify(show);
		};
		const defaults = (fields: INodeProperties[]) => Object.fromEntries(fields.map((field) => [field.name, field.default]));
		for (const options of settingsCollections('1', 'options')) {
			const later = [...settingsCollections('1.1', 'options'), ...settingsCollections('1.1', 'advanced')]
				.filter((collection) => operationOf(collection) === operationOf(options))
				.flatMap((collection) => (collection.options ?? []) as INodeProperties[])
				// QA Score's Batch Size sat outside Options in version 1; operations added later keep it inside.
				.filter((field) => field.name !== 'batchSize' || namesOf(options).includes('batchSize'));
			expect(defaults(options.options as INodeProperties[])).toEqual(defaults(later));
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

	it('Batch Size is a field of its own in version 1 and under Advanced from 1.1, with the same default', () => {
		const topLevel = description.properties.filter((property) => property.name === 'batchSize');
		expect(topLevel.map(versionOf)).toEqual([VERSIONS['1']]);
		const advanced = (settingsCollections('1.1', 'advanced').find(qa)!.options as INodeProperties[]).find((field) => field.name === 'batchSize');
		expect(advanced).toMatchObject({ type: 'number', default: topLevel[0].default, typeOptions: topLevel[0].typeOptions });
		expect(namesOf(settingsCollections('1', 'options').find(qa))).not.toContain('batchSize');
	});

	/** The parameters n8n keeps of a saved node when it loads the workflow. */
	const loaded = (typeVersion: number, parameters: INodeParameters) => {
		const node = { id: 'n', name: 'QA', type: 'assembled', typeVersion, position: [0, 0], parameters } as INode;
		return NodeHelpers.getNodeParameters(description.properties, parameters, false, false, node, description);
	};
	const qaParameters = { resource: 'qaScore', operation: 'createMany' };

	it('a saved version-1 node keeps its Options and Batch Size where they were', () => {
		const parameters = { ...qaParameters, batchSize: 7, options: { dryRun: true, maxRetries: 1, requestsPerMinute: 60 } };
		expect(loaded(1, parameters)).toMatchObject({ batchSize: 7, options: { dryRun: true, maxRetries: 1, requestsPerMinute: 60 } });
	});

	it('a 1.1 node keeps Options and Advanced apart', () => {
		const parameters = { ...qaParameters, options: { dryRun: true }, advanced: { batchSize: 7, maxRetries: 1 } };
		const kept = loaded(1.1, parameters)!;
		expect(kept).toMatchObject({ options: { dryRun: true }, advanced: { batchSize: 7, maxRetries: 1 } });
		expect(kept.batchSize).toBeUndefined();
	});
});
