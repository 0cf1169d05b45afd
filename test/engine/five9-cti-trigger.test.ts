/**
 * The Five9 CTI Trigger served on a local port the way n8n serves an active workflow's webhook,
 * with n8n's engine running the workflow behind it. Five9's side (validation GET, event POSTs
 * with the API key) is played by `Five9CtiSender`; payloads are the event fixture of
 * docs/cti.md, "Event shape", and variations of it.
 */
import { createHash, randomBytes } from 'node:crypto';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { rememberedCount } from '../../nodes/Five9CtiTrigger/helpers/recentEvents';

import { FIXTURE_EVENT, Five9CtiSender, ctiEvent } from '../mocks/five9Cti';
import type { WorkflowJson } from '../harness/engine';
import { redisCoordination } from '../harness/redis';
import { WebhookServer } from '../harness/webhook';

const TRIGGER = 'Five9 CTI Trigger';
const TRUST_TOKEN = randomBytes(32).toString('hex');
const API_KEY = `f9key-${randomBytes(12).toString('hex')}`;

/** Version 1 nodes get `events: ['*']` unless told otherwise, as saved version 1 workflows have it. */
function triggerWorkflow(parameters: IDataObject = {}, typeVersion = 1): WorkflowJson {
	return {
		name: 'CTI trigger under test',
		nodes: [
			{
				id: 'trigger-node',
				name: TRIGGER,
				type: 'n8n-nodes-five9-assembled.five9CtiTrigger',
				typeVersion,
				position: [0, 0],
				webhookId: 'b7d3f1e2-5a4c-4d8e-9f10-2a3b4c5d6e7f',
				parameters: typeVersion === 1 ? { events: ['*'], ...parameters } : ({ ...parameters } as INodeParameters),
				credentials: { five9CtiApi: { id: 'cti1', name: 'Five9 CTI' } },
			},
			{
				id: 'received',
				name: 'Received',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { [TRIGGER]: { main: [[{ node: 'Received', type: 'main' as never, index: 0 }]] } },
	};
}

const servers: WebhookServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function serve(
	parameters: IDataObject = {},
	credentials: IDataObject = { trustToken: TRUST_TOKEN, apiKey: API_KEY },
	{ typeVersion, ...serverOptions }: { mode?: 'webhook' | 'manual'; workflowId?: string; typeVersion?: number } = {},
) {
	const server = await WebhookServer.start(triggerWorkflow(parameters, typeVersion), {
		credentials: { five9CtiApi: credentials as never },
		...serverOptions,
	});
	servers.push(server);
	const sender = new Five9CtiSender(server.url(TRIGGER), {
		trustToken: String(credentials.trustToken ?? ''),
		apiKey: credentials.apiKey ? String(credentials.apiKey) : undefined,
	});
	return { server, sender };
}

/** The items the workflow received, once every started run has finished. */
async function received(server: WebhookServer): Promise<IDataObject[]> {
	await server.settled();
	expect(server.runFailures).toEqual([]);
	for (const run of server.runs) expect(run.status).toBe('success');
	return server.runs.flatMap((run) => run.json('Received'));
}

describe('validation handshake', () => {
	test('GET answers 200 with the JSON-quoted lowercase SHA-256 of the token, and Five9 accepts it', async () => {
		const { server, sender } = await serve();
		const expected = createHash('sha256').update(TRUST_TOKEN, 'utf8').digest('hex');

		const answer = await sender.validate();

		expect(answer.status).toBe(200);
		expect(answer.contentType).toMatch(/^application\/json/);
		expect(answer.text).toBe(`"${expected}"`);
		expect(answer.accepted).toBe(true);
		expect(answer.text).not.toContain(TRUST_TOKEN);
		// The handshake is answered by the node itself and starts nothing.
		expect(server.handled.at(-1)).toMatchObject({ method: 'GET', status: 200, started: false });
		expect(await received(server)).toEqual([]);
	});

	test('matches the value the reference gives for the token "test"', async () => {
		const { sender } = await serve({ validationOnly: true }, { trustToken: 'test' });
		const answer = await sender.validate();
		expect(answer.text).toBe('"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"');
	});

	test('a token with non-ASCII characters is hashed as UTF-8', async () => {
		const token = 'Zoë-tök€n-ünïcode-0123456789';
		const { sender } = await serve({ validationOnly: true }, { trustToken: token });
		const answer = await sender.validate();
		expect(answer.json).toBe(createHash('sha256').update(Buffer.from(token, 'utf8')).digest('hex'));
		expect(answer.accepted).toBe(true);
	});

	test('without a trust token the GET fails, so Five9 would refuse the subscription', async () => {
		const { server, sender } = await serve({ validationOnly: true }, { trustToken: '' });
		const answer = await sender.validate();
		expect(answer.status).toBe(500);
		expect(answer.accepted).toBe(false);
		expect(await received(server)).toEqual([]);
	});

	test('activation registers nothing remotely: the subscription lives in Five9 Admin', async () => {
		const { server } = await serve();
		expect(server.activation).toEqual([
			{ nodeName: TRIGGER, webhookName: 'default', existed: true, created: undefined },
		]);
	});
});

describe('event deliveries', () => {
	test('the reference fixture becomes one item with call, agent and other variables split out', async () => {
		const { server, sender } = await serve();

		const answer = await sender.post(FIXTURE_EVENT);

		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ received: true, started: true });
		const items = await received(server);
		expect(items).toHaveLength(1);
		const [item] = items;
		// Every header field as sent.
		for (const [field, value] of Object.entries(FIXTURE_EVENT.header))
			expect(item[field]).toBe(value);
		// Every attached variable exactly once, under its lowercased group.
		const variables = FIXTURE_EVENT.payload.attached_variables as Record<string, string>;
		let placed = 0;
		for (const [key, value] of Object.entries(variables)) {
			const [group, field] = [
				key.slice(0, key.indexOf('.')).toLowerCase(),
				key.slice(key.indexOf('.') + 1),
			];
			const holder = (
				group === 'call' || group === 'agent' ? item[group] : (item.variables as IDataObject)[group]
			) as IDataObject;
			expect(holder[field]).toBe(value);
			placed++;
		}
		const count = (object: unknown) => Object.keys(object as object).length;
		const variableGroups = item.variables as Record<string, object>;
		expect(
			count(item.call) +
				count(item.agent) +
				Object.values(variableGroups).reduce((n, g) => n + count(g), 0),
		).toBe(placed);
		expect(Object.keys(variableGroups).sort()).toEqual(['ivr', 'omni']);
		expect((item.call as IDataObject).session_id).toBe('F6A99879178C4E099B0C4172CB0E6743');
		expect((item.agent as IDataObject).user_name).toBe('ana.diaz1@example.com');
		// The fixture's header says Accepted but its payload only has a CallEnded block.
		expect(item.event).toBeNull();
		expect(item.raw).toEqual(FIXTURE_EVENT);
	});

	test('the block named by the event is emitted as `event`', async () => {
		const { server, sender } = await serve();
		const block = { agent: { agent_id: '3911840' }, reason: 'hangup' };
		await sender.post(ctiEvent({ eventName: 'AgentEnded', block }));
		const [item] = await received(server);
		expect(item.eventName).toBe('AgentEnded');
		expect(item.event).toEqual(block);
	});

	test('the raw payload can be left out', async () => {
		const { server, sender } = await serve({ options: { includeRaw: false } });
		await sender.post(FIXTURE_EVENT);
		const [item] = await received(server);
		expect(item).not.toHaveProperty('raw');
		expect((item.call as IDataObject).call_id).toBe('962');
	});

	test('a `__proto__` attached variable stays plain data', async () => {
		const { server, sender } = await serve();
		await sender.post(
			`{"header":{"eventName":"CallEnded","eventTimestamp":"2022-01-19T16:40:00.000"},"payload":{"attached_variables":{"__proto__":"x","Call.__proto__":"y","Call.call_id":"77"}}}`,
		);
		const [item] = await received(server);
		expect((item.call as IDataObject).call_id).toBe('77');
		expect(Object.getPrototypeOf(item.call)).toBe(Object.prototype);
		expect(({} as IDataObject).call_id).toBeUndefined();
	});
});

describe('API key', () => {
	test.each([['x-api-key'], ['X-F9-APIKEY']])(
		'the key in the %s header is accepted',
		async (header) => {
			const { server } = await serve();
			const sender = new Five9CtiSender(server.url(TRIGGER), {
				trustToken: TRUST_TOKEN,
				apiKey: API_KEY,
				apiKeyHeader: header,
			});
			const answer = await sender.post(FIXTURE_EVENT);
			expect(answer.status).toBe(200);
			expect(await received(server)).toHaveLength(1);
		},
	);

	test.each([
		['a wrong key', { apiKey: `${API_KEY}x` }],
		['a key of another length', { apiKey: 'short' }],
		['no key', { apiKey: null }],
		['the key under another header', { apiKey: null, headers: { authorization: API_KEY } }],
	])('%s is refused with 401 and starts no run', async (_case, options) => {
		const { server, sender } = await serve();
		const answer = await sender.post(FIXTURE_EVENT, options as never);
		expect(answer.status).toBe(401);
		expect(answer.text).not.toContain(API_KEY);
		expect(server.handled.at(-1)).toMatchObject({ status: 401, started: false });
		expect(await received(server)).toEqual([]);
	});

	test('a right key in one header wins over a wrong one in the other', async () => {
		const { server, sender } = await serve();
		const answer = await sender.post(FIXTURE_EVENT, { headers: { 'X-F9-APIKEY': 'not-it' } });
		expect(answer.status).toBe(200);
		expect(await received(server)).toHaveLength(1);
	});

	test('authentication comes before validation: a bad body with a bad key is a 401', async () => {
		const { server, sender } = await serve();
		const answer = await sender.post('{"no":"header"}', { apiKey: 'wrong' });
		expect(answer.status).toBe(401);
		expect(await received(server)).toEqual([]);
	});

	test('with no API key in the credential the trigger does not start, naming the reason', async () => {
		await expect(serve({}, { trustToken: TRUST_TOKEN })).rejects.toThrow(/no API key/);
	});

	test('"Validation Only" answers Five9\'s validation without a key but refuses every event, signed or not', async () => {
		const { server, sender } = await serve({ validationOnly: true }, { trustToken: TRUST_TOKEN });
		expect((await sender.validate()).accepted).toBe(true);
		const anonymous = await sender.post(FIXTURE_EVENT);
		expect(anonymous.status).toBe(401);
		const forged = await new Five9CtiSender(server.url(TRIGGER), { trustToken: TRUST_TOKEN, apiKey: 'guessed-key' }).post(FIXTURE_EVENT);
		expect(forged.status).toBe(401);
		expect(await received(server)).toEqual([]);
	});
});

describe('bad payloads', () => {
	test.each([
		[
			'malformed JSON sent as text',
			'{"header": {"eventName": "CallEnded"',
			'text/plain',
			/not valid JSON/,
		],
		['malformed JSON without a content type', '{"header": ', null, /not valid JSON/],
		['an empty body', '', 'text/plain', /empty/],
		[
			'no header',
			JSON.stringify({ payload: FIXTURE_EVENT.payload }),
			'application/json',
			/^header is required$/,
		],
		[
			'a header that is not an object',
			JSON.stringify({ header: 'Accepted' }),
			'application/json',
			/^header must be an object$/,
		],
		[
			'no eventName',
			JSON.stringify({ header: { eventId: 'E1' }, payload: {} }),
			'application/json',
			/^header\.eventName is required$/,
		],
		[
			'a blank eventName',
			JSON.stringify({ header: { eventName: '  ' } }),
			'application/json',
			/^header\.eventName is required$/,
		],
		[
			'a numeric eventName',
			JSON.stringify({ header: { eventName: 7 } }),
			'application/json',
			/^header\.eventName must be text$/,
		],
		['an array body', JSON.stringify([FIXTURE_EVENT]), 'application/json', /must be a JSON object/],
		[
			'attached variables that are a list',
			JSON.stringify({ header: { eventName: 'CallEnded' }, payload: { attached_variables: [] } }),
			'application/json',
			/^payload\.attached_variables must be an object$/,
		],
	])('%s → 400 with a short reason, no run', async (_case, body, contentType, reason) => {
		const { server, sender } = await serve();
		const answer = await sender.post(body, { contentType });
		expect(answer.status).toBe(400);
		expect((answer.json as { error: string }).error).toMatch(reason);
		expect(await received(server)).toEqual([]);
	});

	test('malformed JSON declared as application/json is refused by n8n itself (422) before the node runs', async () => {
		const { server, sender } = await serve();
		const answer = await sender.post('{"header": {"eventName": "CallEnded"', {
			contentType: 'application/json',
		});
		expect(answer.status).toBe(422);
		expect(server.handled.at(-1)!.result).toBeUndefined();
		expect(await received(server)).toEqual([]);
	});

	test('a valid event sent as text/plain is still read', async () => {
		const { server, sender } = await serve();
		const answer = await sender.post(JSON.stringify(ctiEvent({ eventName: 'CallEnded' })), {
			contentType: 'text/plain',
		});
		expect(answer.status).toBe(200);
		expect((await received(server))[0].eventName).toBe('CallEnded');
	});
});

describe('event filter', () => {
	test('only the selected events start the workflow; the others are acknowledged', async () => {
		const { server, sender } = await serve({ events: ['CallEnded', 'Dispositioned'] });

		const accepted = await sender.post(ctiEvent({ eventName: 'Accepted' }));
		const ended = await sender.post(ctiEvent({ eventName: 'CallEnded' }));
		const dispositioned = await sender.post(
			ctiEvent({ eventName: 'Dispositioned', block: { disposition: 'Sale' } }),
		);

		expect(accepted.status).toBe(200);
		expect(accepted.json).toEqual({ received: true, started: false, reason: 'event not selected' });
		expect(ended.json).toEqual({ received: true, started: true });
		expect(dispositioned.json).toEqual({ received: true, started: true });
		expect((await received(server)).map((item) => item.eventName).sort()).toEqual([
			'CallEnded',
			'Dispositioned',
		]);
	});

	test('event names typed under Other Event Names are accepted too', async () => {
		const { server, sender } = await serve({
			events: ['CallEnded'],
			options: { otherEventNames: 'Transferred, Held' },
		});
		await sender.post(ctiEvent({ eventName: 'Transferred' }));
		await sender.post(ctiEvent({ eventName: 'Held' }));
		await sender.post(ctiEvent({ eventName: 'Accepted' }));
		expect((await received(server)).map((item) => item.eventName).sort()).toEqual([
			'Held',
			'Transferred',
		]);
	});

	test('All Events lets every event through', async () => {
		const { server, sender } = await serve({ events: ['*'] });
		for (const eventName of ['Accepted', 'AgentEnded', 'SomethingNew'])
			await sender.post(ctiEvent({ eventName }));
		expect((await received(server)).map((item) => item.eventName).sort()).toEqual([
			'Accepted',
			'AgentEnded',
			'SomethingNew',
		]);
	});
});

describe('event filter, version 1 as saved', () => {
	const names = async (server: WebhookServer) => (await received(server)).map((item) => item.eventName).sort();
	const postAll = async (sender: Five9CtiSender) => {
		for (const eventName of ['Accepted', 'CallEnded', 'SomethingNew']) await sender.post(ctiEvent({ eventName }));
	};

	test('no `events` saved (the old default, All Events) lets every event through', async () => {
		const { server, sender } = await serve({ events: undefined });
		await postAll(sender);
		expect(await names(server)).toEqual(['Accepted', 'CallEnded', 'SomethingNew']);
	});

	test('`["CallEnded"]`, as the shipped call-ended workflow has it, lets only Call Ended through', async () => {
		const { server, sender } = await serve({ events: ['CallEnded'] });
		await postAll(sender);
		expect(await names(server)).toEqual(['CallEnded']);
	});

	test('All Events picked together with a name still means every event', async () => {
		const { server, sender } = await serve({ events: ['CallEnded', '*'] });
		await postAll(sender);
		expect(await names(server)).toEqual(['Accepted', 'CallEnded', 'SomethingNew']);
	});
});

describe('event filter, version 1.1: Which Events is all or selected', () => {
	const v11 = { typeVersion: 1.1 };
	const names = async (server: WebhookServer) => (await received(server)).map((item) => item.eventName).sort();
	const postAll = async (sender: Five9CtiSender) => {
		for (const eventName of ['Accepted', 'CallEnded', 'Dispositioned', 'SomethingNew'])
			await sender.post(ctiEvent({ eventName }));
	};

	test('All Events lets every event through, whatever the list below holds', async () => {
		const { server, sender } = await serve({ eventScope: 'all', events: ['CallEnded'] }, undefined, v11);
		await postAll(sender);
		expect(await names(server)).toEqual(['Accepted', 'CallEnded', 'Dispositioned', 'SomethingNew']);
	});

	test('only the events set, as n8n\'s node panel sets them for "On Call Ended", start the workflow', async () => {
		// The panel sets only `events`; Which Events keeps its default, Selected Events.
		const { server, sender } = await serve({ events: ['CallEnded'] }, undefined, v11);
		await postAll(sender);
		expect(await names(server)).toEqual(['CallEnded']);
	});

	test('selected events and typed names together', async () => {
		const { server, sender } = await serve(
			{ eventScope: 'selected', events: ['Dispositioned'], options: { otherEventNames: 'SomethingNew' } },
			undefined,
			v11,
		);
		await postAll(sender);
		expect(await names(server)).toEqual(['Dispositioned', 'SomethingNew']);
	});

	test('`*` set by an expression or an import still means every event', async () => {
		const { server, sender } = await serve({ events: ['*'] }, undefined, v11);
		await postAll(sender);
		expect(await names(server)).toEqual(['Accepted', 'CallEnded', 'Dispositioned', 'SomethingNew']);
	});

	test('Selected Events with nothing selected does not start, naming the fix', async () => {
		await expect(serve({ eventScope: 'selected', events: [] }, undefined, v11)).rejects.toThrow(/No events are selected/);
	});
});

describe('duplicate deliveries', () => {
	test('the same call, event and timestamp within the window start one run', async () => {
		const { server, sender } = await serve();
		const event = ctiEvent({ eventName: 'CallEnded' });

		const first = await sender.post(event);
		const again = await sender.post(event);
		// A redelivery may carry a new event id; it is still the same call event.
		const againNewId = await sender.post({
			...event,
			header: { ...event.header, eventId: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF' },
		});

		expect(first.json).toEqual({ received: true, started: true });
		expect(again.status).toBe(200);
		expect(again.json).toEqual({ received: true, started: false, reason: 'duplicate delivery' });
		expect(againNewId.json).toEqual({
			received: true,
			started: false,
			reason: 'duplicate delivery',
		});
		expect(await received(server)).toHaveLength(1);
	});

	test('another timestamp, event name or call is a new event', async () => {
		const { server, sender } = await serve();
		const base = ctiEvent({ eventName: 'CallEnded' });
		await sender.post(base);
		await sender.post(
			ctiEvent({ eventName: 'CallEnded', eventTimestamp: '2022-01-19T16:34:19.001' }),
		);
		await sender.post(ctiEvent({ eventName: 'AgentEnded' }));
		await sender.post(
			ctiEvent({
				eventName: 'CallEnded',
				variables: { 'Call.session_id': 'A0000000000000000000000000000001', 'Call.call_id': '963' },
			}),
		);
		expect(await received(server)).toHaveLength(4);
	});

	test('a window of 0 turns the check off', async () => {
		const { server, sender } = await serve({ options: { dedupeWindowMinutes: 0 } });
		const event = ctiEvent({ eventName: 'CallEnded' });
		await sender.post(event);
		await sender.post(event);
		expect(await received(server)).toHaveLength(2);
	});

	test('deliveries refused for their key or body are not remembered', async () => {
		const { server, sender } = await serve();
		const event = ctiEvent({ eventName: 'CallEnded' });
		expect((await sender.post(event, { apiKey: 'wrong' })).status).toBe(401);
		expect((await sender.post(event)).json).toEqual({ received: true, started: true });
		expect(await received(server)).toHaveLength(1);
	});

	test('the test URL answers the handshake and keeps its own duplicate memory', async () => {
		const production = await serve({}, undefined, { workflowId: 'shared-workflow-id' });
		const testUrl = await serve({}, undefined, {
			workflowId: 'shared-workflow-id',
			mode: 'manual',
		});
		expect(testUrl.server.url(TRIGGER)).toContain('/webhook-test/');
		expect((await testUrl.sender.validate()).accepted).toBe(true);
		const event = ctiEvent({ eventName: 'CallEnded' });
		await production.sender.post(event);
		await testUrl.sender.post(event);
		expect(await received(production.server)).toHaveLength(1);
		expect(await received(testUrl.server)).toHaveLength(1);
	});

	test('two workflows listening to the same events each get their own copy', async () => {
		const one = await serve();
		const two = await serve();
		const event = ctiEvent({ eventName: 'CallEnded' });
		await one.sender.post(event);
		await two.sender.post(event);
		expect(await received(one.server)).toHaveLength(1);
		expect(await received(two.server)).toHaveLength(1);
	});
});

describe('queue mode: several webhook processes', () => {
	const redis = redisCoordination();

	test('a redelivery reaching another webhook process is dropped: the memory is in Redis, not in the process', async () => {
		const client = await redis.coordinate();
		// Two servers of one active workflow, as two webhook processes behind a load balancer.
		const one = await serve({}, undefined, { workflowId: 'cti-queue-mode' });
		const two = await serve({}, undefined, { workflowId: 'cti-queue-mode' });
		const event = ctiEvent({ eventName: 'CallEnded', eventTimestamp: '2022-01-19T16:40:00.000' });
		expect((await one.sender.post(event)).json).toEqual({ received: true, started: true });
		expect((await two.sender.post(event)).json).toEqual({ received: true, started: false, reason: 'duplicate delivery' });
		expect(await received(one.server)).toHaveLength(1);
		expect(await received(two.server)).toHaveLength(0);
		const keys = await client.keys('n8n-nodes-five9-assembled:seen:*');
		expect(keys).toHaveLength(1);
		expect(rememberedCount('cti-queue-mode:trigger-node:production')).toBe(0);
	});
});
