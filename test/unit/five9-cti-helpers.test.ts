/**
 * The parts of the CTI trigger that the engine tests cannot reach in reasonable time or shape:
 * the dedupe window expiring and its memory bound, the credential's format check, and what n8n's
 * editor and node panel make of the description.
 */
import { createHash } from 'node:crypto';

import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INode,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Five9CtiApi } from '../../credentials/Five9CtiApi.credentials';
import { Five9CtiTrigger } from '../../nodes/Five9CtiTrigger/Five9CtiTrigger.node';

import {
	MAX_REMEMBERED_PER_TRIGGER,
	firstDelivery,
	rememberedCount,
} from '../../nodes/Five9CtiTrigger/helpers/recentEvents';
import { five9CtiTrustToken } from '../../nodes/Five9CtiTrigger/methods/credentialTest';

const MINUTE = 60_000;
let scopeCounter = 0;
const newScope = () => `unit-scope-${++scopeCounter}`;

describe('recent events', () => {
	test('a key is a duplicate inside the window and new again after it', () => {
		const scope = newScope();
		const t0 = 1_700_000_000_000;
		expect(firstDelivery(scope, 'k', 10 * MINUTE, t0)).toBe(true);
		expect(firstDelivery(scope, 'k', 10 * MINUTE, t0 + 10 * MINUTE - 1)).toBe(false);
		expect(firstDelivery(scope, 'k', 10 * MINUTE, t0 + 10 * MINUTE)).toBe(true);
	});

	test('scopes do not see each other', () => {
		const [a, b] = [newScope(), newScope()];
		expect(firstDelivery(a, 'k', MINUTE, 0)).toBe(true);
		expect(firstDelivery(b, 'k', MINUTE, 0)).toBe(true);
	});

	test('expired keys are forgotten and memory stays bounded', () => {
		const scope = newScope();
		for (let i = 0; i < 50; i++) firstDelivery(scope, `old-${i}`, MINUTE, 0);
		expect(rememberedCount(scope)).toBe(50);
		firstDelivery(scope, 'new', MINUTE, 2 * MINUTE);
		expect(rememberedCount(scope)).toBe(1);

		const flood = newScope();
		for (let i = 0; i < MAX_REMEMBERED_PER_TRIGGER + 25; i++)
			firstDelivery(flood, `k-${i}`, 60 * MINUTE, 1000 + i);
		expect(rememberedCount(flood)).toBe(MAX_REMEMBERED_PER_TRIGGER);
		// The oldest were dropped to make room; the newest are still known.
		expect(firstDelivery(flood, 'k-0', 60 * MINUTE, 10_000)).toBe(true);
		expect(firstDelivery(flood, `k-${MAX_REMEMBERED_PER_TRIGGER + 24}`, 60 * MINUTE, 10_000)).toBe(
			false,
		);
	});

	test('a window of 0 or less remembers nothing', () => {
		const scope = newScope();
		expect(firstDelivery(scope, 'k', 0, 0)).toBe(true);
		expect(firstDelivery(scope, 'k', -5, 0)).toBe(true);
		expect(rememberedCount(scope)).toBe(0);
	});
});

describe('credential format check', () => {
	const check = (data: Record<string, unknown>) =>
		five9CtiTrustToken.call(
			{} as ICredentialTestFunctions,
			{ id: 'c', name: 'c', type: 'five9CtiApi', data } as ICredentialsDecrypted,
		);

	test('a good token passes and the message states the digest Five9 will receive', async () => {
		const token = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
		const result = await check({ trustToken: token, apiKey: 'Key-123' });
		expect(result.status).toBe('OK');
		expect(result.message).toContain(createHash('sha256').update(token).digest('hex'));
		expect(result.message).not.toContain(token);
	});

	test.each([
		['an empty token', { trustToken: '' }, /empty/],
		[
			'a token with a trailing line break',
			{ trustToken: 'a1b2c3d4e5f60718293a4b5c6d7e8f90\n' },
			/line break/,
		],
		['a short token', { trustToken: 'test' }, /shorter than 16/],
		[
			'no API key (anyone could send events)',
			{ trustToken: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', apiKey: '' },
			/API key is empty.*anyone/,
		],
		[
			'an API key with a space',
			{ trustToken: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', apiKey: 'abc def' },
			/spaces/,
		],
	])('%s is reported', async (_case, data, message) => {
		const result = await check(data);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
	});
});

describe('a generated trust token is offered', () => {
	const check = (data: Record<string, unknown>) =>
		five9CtiTrustToken.call(
			{} as ICredentialTestFunctions,
			{ id: 'c', name: 'c', type: 'five9CtiApi', data } as ICredentialsDecrypted,
		);
	const offered = (message = '') => /generated just now and stored nowhere: ([0-9a-f]+) /.exec(message)?.[1];

	test.each([
		['an empty token', { trustToken: '' }],
		['no token at all', {}],
		['a short token', { trustToken: 'test' }],
	])('%s gets a fresh 64-hex token in the answer, a new one every time', async (_case, data) => {
		const first = offered((await check(data)).message);
		const second = offered((await check(data)).message);
		expect(first).toMatch(/^[0-9a-f]{64}$/);
		expect(second).toMatch(/^[0-9a-f]{64}$/);
		expect(second).not.toBe(first);
	});

	test('a long token padded with a line break is told to trim, not offered another', async () => {
		const result = await check({ trustToken: 'a1b2c3d4e5f60718293a4b5c6d7e8f90\n' });
		expect(result.message).toMatch(/line break/);
		expect(offered(result.message)).toBeUndefined();
	});

	test('neither field is marked required, so n8n runs the test on save before Five9 has shown a key', () => {
		const fields = new Five9CtiApi().properties;
		expect(fields.map((field) => [field.name, field.required ?? false])).toEqual([
			['trustToken', false],
			['apiKey', false],
		]);
		// The description says where to find the offer.
		expect(fields[0].description).toMatch(/Leave it empty and save/);
		expect(fields[0].description).not.toMatch(/openssl/);
	});
});

describe('the events choice in the editor', () => {
	const description = new Five9CtiTrigger().description as INodeTypeDescription;
	const node = (typeVersion: number): INode => ({
		id: 'n',
		name: 'Five9 CTI Trigger',
		type: 'n8n-nodes-five9-assembled.five9CtiTrigger',
		typeVersion,
		position: [0, 0],
		parameters: {},
	});
	/** The parameters as n8n fills them in from a saved node: defaults added, hidden fields left out. */
	const loaded = (typeVersion: number, saved: Record<string, unknown>) =>
		NodeHelpers.getNodeParameters(description.properties, saved as never, true, false, node(typeVersion), description);
	const valuesOf = (property: INodeProperties) => (property.options as INodePropertyOptions[]).map((option) => option.value);

	test('new nodes are version 1.1; saved version 1 nodes keep their single list', () => {
		expect(description.version).toEqual([1, 1.1]);
		expect(loaded(1, {})).toMatchObject({ events: ['*'] });
		expect(loaded(1, {})).not.toHaveProperty('eventScope');
		expect(loaded(1, { events: ['CallEnded'] })).toMatchObject({ events: ['CallEnded'] });
	});

	test('in 1.1 All Events is its own choice: the list holds only event names and shows only for Selected Events', () => {
		expect(loaded(1.1, {})).toMatchObject({ eventScope: 'selected', events: [] });
		expect(loaded(1.1, { eventScope: 'all', events: ['CallEnded'] })).not.toHaveProperty('events');
		const scope = description.properties.find((property) => property.name === 'eventScope')!;
		expect(valuesOf(scope)).toEqual(['all', 'selected']);
		const list = description.properties.filter((property) => property.name === 'events');
		expect(list).toHaveLength(2);
		expect(valuesOf(list[0])).toEqual(['Accepted', 'AgentEnded', 'CallEnded', 'Dispositioned']);
		expect(list[0].required).toBe(true);
		expect(valuesOf(list[1])).toContain('*');
	});

	test('n8n\'s node panel offers one action per event of the 1.1 list', () => {
		// The panel takes the first field whose display name is Event, Events or Trigger On.
		const picked = description.properties.find((property) =>
			['event', 'events', 'trigger on'].includes(property.displayName.toLowerCase()),
		)!;
		expect(picked.displayOptions?.show?.['@version']).toEqual([{ _cnd: { gte: 1.1 } }]);
		expect(valuesOf(picked)).not.toContain('*');
		// What the panel sets for "On Call Ended" gives a trigger for Call Ended only.
		expect(loaded(1.1, { events: ['CallEnded'] })).toMatchObject({ eventScope: 'selected', events: ['CallEnded'] });
	});
});
