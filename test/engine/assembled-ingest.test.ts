/**
 * Conversation → Create Many / Update Many and Agent State → Create Many through n8n's engine,
 * against the local Assembled server; then the two templates that feed them from Five9, run as
 * shipped against the local Five9 and Assembled servers. What the server received is checked
 * against values computed here from the inputs (and, for the templates, from the Five9 mock's
 * generator facts), never from the node's own code.
 */
import type { IDataObject } from 'n8n-workflow';

import { readWorkflow, runWorkflow, setConfiguration, type WorkflowJson } from '../harness/engine';
import { basicPairForms, findSecrets, formsOf, runTexts } from '../harness/leak-scan';
import { assembledNode, rowsInto } from '../harness/workflows';
import { AssembledMock, makePeople, type MockPerson } from '../mocks/assembled';
import { extraReceipts, ingestOf } from '../mocks/assembled-ingest';
import { Five9Mock, type MockAgentState } from '../mocks/five9';
import { MOCK_AGENTS, callFacts, gridIndexes } from '../mocks/five9-data';

const API_KEY = 'sk_live_ingest_tests_5e7a';
const CONVERSATIONS = '/v0/conversations/bulk';
const STATES = '/v0/agents/state/bulk';
const NODE = 'Node Under Test';
const secondsOf = (iso: string) => Date.parse(iso) / 1000;

describe('Assembled node: conversations and agent states', () => {
	let mock: AssembledMock;
	beforeAll(async () => {
		mock = await new AssembledMock().start();
	});
	afterAll(() => mock.stop());
	beforeEach(() => mock.clear());

	const credentials = () => ({ assembledApi: { apiKey: API_KEY, baseUrl: mock.url } });
	const node = (resource: string, operation: string, parameters: IDataObject) => ({
		...assembledNode({ resource, operation, ...parameters }, 'continueErrorOutput'),
		typeVersion: 1.1,
	});
	const run = (rows: IDataObject[], parameters: IDataObject, operation = 'createMany', resource = 'conversation') =>
		runWorkflow(rowsInto(rows, node(resource, operation, parameters)), { credentials: credentials() });
	const store = () => ingestOf(mock);
	/** The people the mock knows, live ones only; every third has an Imported Id (makePeople). */
	const live = () => mock.people.filter((p) => !p.deleted);
	const withImportedId = () => live().filter((p) => p.imported_id);
	const withoutImportedId = () => live().filter((p) => !p.imported_id);

	const conversationRow = (n: number, extra: IDataObject = {}): IDataObject => ({
		import_id: `call-${n}`,
		created_at: `2026-03-0${1 + (n % 5)}T10:${String(n % 60).padStart(2, '0')}:00Z`,
		channel: n % 2 ? 'phone' : 'Back Office',
		status: n % 3 ? 'solved' : 'abandoned',
		handle_time: 100 + n + 0.4,
		tags: n % 2 ? ['Support Inbound', 'Sales, Renewals'] : 'vip, billing',
		...extra,
	});
	const channelParams = { channel: '={{ $json.channel }}', status: '={{ $json.status }}' };

	describe('Conversation → Create Many', () => {
		test('sends batches of the given size, times in unix seconds, enums normalised, agents by Imported ID', async () => {
			const agent = withImportedId()[0];
			const rows = Array.from({ length: 5 }, (_, n) => conversationRow(n, n === 1 ? { agent_email: agent.email!.toUpperCase() } : {}));
			rows[4].assignee_import_id = 'given-import-id';
			const solvedAt = secondsOf(rows[4].created_at as string) + 3600;
			rows[4].solved_at = solvedAt;
			const result = await run(rows, { ...channelParams, advanced: { batchSize: 2 } });
			expect(result.json(NODE, 1)).toEqual([]);
			expect(result.json(NODE).map((item) => item.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
			expect(store().batches.map((b) => [b.method, b.path, b.count])).toEqual([
				['POST', CONVERSATIONS, 2],
				['POST', CONVERSATIONS, 2],
				['POST', CONVERSATIONS, 1],
			]);
			expect(result.json(NODE).map((item) => item.batch)).toEqual([1, 1, 2, 2, 3]);
			for (const [n, row] of rows.entries()) {
				const stored = store().conversations.get(`call-${n}`)!;
				expect(stored).toEqual({
					import_id: `call-${n}`,
					created_at: secondsOf(row.created_at as string),
					channel: n % 2 ? 'phone' : 'back_office',
					status: n % 3 ? 'solved' : 'abandoned',
					handle_time: 100 + n,
					tags: n % 2 ? ['Support Inbound', 'Sales, Renewals'] : ['vip', 'billing'],
					...(n === 1 ? { assignee_import_id: agent.imported_id } : {}),
					...(n === 4 ? { assignee_import_id: 'given-import-id', solved_at: solvedAt } : {}),
				});
			}
			expect(result.json(NODE)[1]).toMatchObject({ agent_matched: true, import_id: 'call-1' });
			// One people page for the one agent given by email.
			expect(mock.countRequests({ path: '/v0/people' })).toBe(1);
		});

		test('an agent without an Imported ID: sent without one by default, or reported when asked', async () => {
			const agent = withoutImportedId()[0];
			const rows = [conversationRow(1, { agent_email: agent.email }), conversationRow(2, { agent_email: 'nobody@example.com' })];
			const sent = await run(rows, channelParams);
			expect(sent.json(NODE).map((item) => [item.status, item.agent_matched])).toEqual([['sent', false], ['sent', false]]);
			expect(String(sent.json(NODE)[0].agent_problem)).toMatch(/has no Imported Id/);
			expect(store().conversations.get('call-1')).not.toHaveProperty('assignee_import_id');

			mock.clear();
			const reported = await run(rows, { ...channelParams, options: { reportUnknownAgents: true } });
			expect(reported.json(NODE)).toEqual([]);
			const errors = reported.json(NODE, 1);
			expect(errors.map((item) => (item.details as IDataObject).errorKind)).toEqual(['unknownAgent', 'unknownAgent']);
			expect(errors[1].error).toBe('no agent in Assembled People has the email "nobody@example.com"');
			expect(store().batches).toEqual([]);
		});

		test('invalid items go to the error output with their reasons; the others are sent', async () => {
			const rows = [
				conversationRow(1),
				conversationRow(2, { channel: 'fax' }),
				conversationRow(3, { status: 'closed', created_at: 'yesterday' }),
				conversationRow(4, { import_id: '' }),
				conversationRow(5, { solved_at: '2026-02-01T00:00:00Z' }),
				conversationRow(6, { handle_time: -4, agent_email: 'not-an-email' }),
				conversationRow(7, { created_at: 1772362800123 }),
			];
			const result = await run(rows, channelParams);
			expect(result.json(NODE).map((item) => item.import_id)).toEqual(['call-1', 'call-7']);
			// Milliseconds are read as such and sent as seconds.
			expect(store().conversations.get('call-7')!.created_at).toBe(1772362800);
			const errors = result.json(NODE, 1);
			expect(errors.map((item) => [(item.details as IDataObject).itemIndex, (item.details as IDataObject).errorKind])).toEqual([
				[1, 'invalidItem'],
				[2, 'invalidItem'],
				[3, 'invalidItem'],
				[4, 'invalidItem'],
				[5, 'invalidItem'],
			]);
			expect(errors[0].error).toBe('channel "fax" is not a channel; use one of phone, email, chat, sms, social, back_office');
			expect(errors[1].error).toMatch(/^created_at "yesterday" is not ISO 8601.*; status "closed" is not a status; use one of open, pending, solved, abandoned$/);
			expect(errors[2].error).toBe('import_id is required');
			expect(errors[3].error).toBe('solved_at is before created_at');
			expect(errors[4].error).toBe('agent_email "not-an-email" is not an email address; handle_time must not be negative (seconds)');
			// The error items keep the input's fields, as n8n adds them.
			expect(errors[0].channel).toBe('fax');
		});

		test('without an error output, one invalid item stops the run before anything is sent', async () => {
			const workflow = rowsInto([conversationRow(1), conversationRow(2, { status: 'closed' })], assembledNode({ resource: 'conversation', operation: 'createMany', ...channelParams }));
			const result = await runWorkflow(workflow, { credentials: credentials() });
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/^Item 1: status "closed" is not a status/);
			expect(store().batches).toEqual([]);
		});

		test('sent twice, each Import ID is held once; within one input the last copy is sent', async () => {
			const rows = [conversationRow(1), conversationRow(2), conversationRow(1, { status: 'pending' })];
			const first = await run(rows, channelParams);
			expect(first.json(NODE).map((item) => [item.status, item.supersededBy ?? null])).toEqual([
				['superseded', 2],
				['sent', null],
				['sent', null],
			]);
			await run(rows, channelParams);
			expect([...store().conversations.keys()].sort()).toEqual(['call-1', 'call-2']);
			expect(store().conversations.get('call-1')!.status).toBe('pending');
			expect(store().batches.map((b) => b.count)).toEqual([2, 2]);
			expect([...store().conversationReceipts.values()]).toEqual([2, 2]);
		});

		test('Dry Run returns the payloads and batches and sends nothing', async () => {
			const result = await run([conversationRow(1), conversationRow(2)], { ...channelParams, options: { dryRun: true }, advanced: { batchSize: 1 } });
			expect(result.json(NODE).map((item) => [item.status, item.batch, item.batches])).toEqual([
				['dryRun', 1, 2],
				['dryRun', 2, 2],
			]);
			expect(result.json(NODE)[0].payload).toMatchObject({ import_id: 'call-1', channel: 'phone', created_at: secondsOf(conversationRow(1).created_at as string) });
			expect(store().batches).toEqual([]);
		});

		test('a conversation Assembled refuses is singled out by splitting its batch; the rest are stored', async () => {
			store().refusedImportIds.add('call-5');
			const rows = Array.from({ length: 8 }, (_, n) => conversationRow(n));
			const result = await run(rows, channelParams);
			expect(result.json(NODE).map((item) => item.import_id)).toEqual(['call-0', 'call-1', 'call-2', 'call-3', 'call-4', 'call-6', 'call-7']);
			const [refused] = result.json(NODE, 1);
			expect(refused.details).toMatchObject({ errorLevel: 'row', errorKind: 'rejectedItem', itemIndex: 5, import_id: 'call-5' });
			expect(refused.error).toMatch(/import_id call-5 is refused/);
			expect(store().conversations.size).toBe(7);
			// 8 → 4 + 4 → 2 + 2 → 1 + 1: six requests after the first.
			expect(store().batches.map((b) => b.count)).toEqual([8, 4, 4, 2, 2, 1, 1]);
		});

		test('a rejected key: run-level error items on the error output, or a failed run without one', async () => {
			const strict = await new AssembledMock({ validKeys: [API_KEY] }).start();
			const wrong = { credentials: { assembledApi: { apiKey: 'sk_live_wrong', baseUrl: strict.url } } };
			try {
				const routed = await runWorkflow(rowsInto([conversationRow(1), conversationRow(2)], node('conversation', 'createMany', channelParams)), wrong);
				expect(routed.json(NODE)).toEqual([]);
				const said = expect.stringMatching(/^The API key was rejected by Assembled \(401\); Copy a current key from Settings → API/);
				expect(routed.json(NODE, 1).map((item) => [item.error, (item.details as IDataObject).errorLevel, (item.details as IDataObject).errorKind])).toEqual([
					[said, 'run', 'notSent'],
					[said, 'run', 'notSent'],
				]);
				const plain = { ...node('conversation', 'createMany', channelParams), onError: undefined };
				const failed = await runWorkflow(rowsInto([conversationRow(1)], plain), wrong);
				expect(failed.status).toBe('error');
				expect(failed.error?.message).toBe('The API key was rejected by Assembled (401)');
				expect(strict.countRequests({ path: CONVERSATIONS })).toBe(2);
			} finally {
				await strict.stop();
			}
		});
	});

	describe('Conversation → Update Many', () => {
		test('sends only the fields given, by Import ID; an unknown Import ID is the one item that fails', async () => {
			await run([conversationRow(1), conversationRow(2)], channelParams);
			const agent = withImportedId()[1];
			const updates = [
				{ import_id: 'call-1', status: 'Solved', solved_at: '2026-03-02T12:00:00Z' },
				{ import_id: 'call-2', agent_email: agent.email, tags: 'escalated' },
				{ import_id: 'call-99', status: 'solved' },
				{ import_id: 'call-2' },
			];
			const result = await run(updates, {}, 'updateMany');
			expect(result.json(NODE).map((item) => [item.import_id, item.status])).toEqual([
				['call-1', 'sent'],
				['call-2', 'sent'],
			]);
			const patches = store().batches.filter((b) => b.method === 'PATCH');
			expect(patches.map((b) => b.count)).toEqual([3, 2, 1]);
			expect(result.json(NODE)[0].payload).toEqual({ import_id: 'call-1', status: 'solved', solved_at: secondsOf('2026-03-02T12:00:00Z') });
			expect(result.json(NODE)[1].payload).toEqual({ import_id: 'call-2', assignee_import_id: agent.imported_id, tags: ['escalated'] });
			expect(store().conversations.get('call-1')).toMatchObject({ status: 'solved', channel: 'phone', solved_at: secondsOf('2026-03-02T12:00:00Z') });
			expect(store().conversations.get('call-2')).toMatchObject({ assignee_import_id: agent.imported_id, tags: ['escalated'], channel: 'back_office' });
			const errors = result.json(NODE, 1);
			expect(errors.map((item) => [(item.details as IDataObject).itemIndex, (item.details as IDataObject).errorKind])).toEqual([
				[2, 'rejectedItem'],
				[3, 'invalidItem'],
			]);
			expect(errors[0].error).toMatch(/no conversation with import_id call-99/);
			expect(errors[1].error).toBe('item has nothing to update besides import_id');
		});
	});

	describe('Agent State → Create Many', () => {
		const stateParams = {};
		test('agents by email, Five9 ID or agent ID; unix seconds; batches; the states read back with Get Many', async () => {
			const [a, b, c] = live();
			const five9 = (person: MockPerson) => person.platforms.five9;
			const rows = [
				{ agent_email: a.email, state: 'Ready', start_time: '2026-03-02T09:00:00Z', external_id: 'five9-a-1' },
				{ agent_platform_id: five9(b), state: 'Not Ready: Lunch', start_time: 1772441100, end_time: '2026-03-02T09:30:00Z' },
				{ agent_id: c.agent_id, state: 'On Call', start_time: '2026-03-02T09:10:00Z', external_id: 'five9-c-1' },
			];
			const result = await run(rows, { ...stateParams, advanced: { batchSize: 2 } }, 'createMany', 'agentState');
			expect(result.json(NODE, 1)).toEqual([]);
			expect(result.json(NODE).map((item) => [item.status, item.matched_by ?? null])).toEqual([
				['sent', 'email'],
				['sent', 'five9 id'],
				['sent', null],
			]);
			expect(store().batches.map((batch) => [batch.path, batch.count])).toEqual([
				[STATES, 2],
				[STATES, 1],
			]);
			expect([...store().states.values()].map((s) => [s.agent_id, s.state, s.start_time, s.end_time, s.external_id])).toEqual([
				[a.agent_id, 'Ready', secondsOf('2026-03-02T09:00:00Z'), null, 'five9-a-1'],
				[b.agent_id, 'Not Ready: Lunch', 1772441100, secondsOf('2026-03-02T09:30:00Z'), null],
				[c.agent_id, 'On Call', secondsOf('2026-03-02T09:10:00Z'), null, 'five9-c-1'],
			]);
			const read = await runWorkflow(
				rowsInto([{}], node('agentState', 'getMany', { startTime: '2026-03-02T08:00:00Z', endTime: '2026-03-02T10:00:00Z', returnAll: true })),
				{ credentials: credentials() },
			);
			expect(read.json(NODE).map((s) => [s.agent_id, s.state, s.start_time_iso])).toEqual([
				[a.agent_id, 'Ready', '2026-03-02T09:00:00Z'],
				[b.agent_id, 'Not Ready: Lunch', '2026-03-02T08:45:00Z'],
				[c.agent_id, 'On Call', '2026-03-02T09:10:00Z'],
			]);
		});

		test('unknown agents and invalid states go to the error output; a re-sent external ID is held once', async () => {
			const [a] = live();
			const rows = [
				{ agent_email: a.email, state: 'Ready', start_time: '2026-03-02T09:00:00Z', external_id: 'x-1' },
				{ agent_email: 'nobody@example.com', state: 'Ready', start_time: '2026-03-02T09:00:00Z' },
				{ agent_email: a.email, state: '', start_time: '2026-03-02T09:00:00Z' },
				{ agent_email: a.email, state: 'Ready', start_time: '2026-03-02T09:00:00Z', end_time: '2026-03-02T08:00:00Z' },
				{ state: 'Ready', start_time: '2026-03-02T09:00:00Z' },
				{ agent_email: a.email, state: 'Ready', start_time: '2026-03-02T09:00:00Z', external_id: 'x-1' },
			];
			const result = await run(rows, stateParams, 'createMany', 'agentState');
			expect(result.json(NODE).map((item) => [item.status, item.external_id])).toEqual([
				['duplicate', 'x-1'],
				['sent', 'x-1'],
			]);
			const errors = result.json(NODE, 1);
			expect(errors.map((item) => [(item.details as IDataObject).itemIndex, (item.details as IDataObject).errorKind, item.error])).toEqual([
				[1, 'unknownAgent', 'no agent in Assembled People has the email "nobody@example.com"'],
				[2, 'invalidItem', 'state is required'],
				[3, 'invalidItem', 'end_time must be after start_time'],
				[4, 'invalidItem', 'agent_id is required (or an agent_email or agent_platform_id to find the agent in Assembled People)'],
			]);
			await run(rows, stateParams, 'createMany', 'agentState');
			expect(store().states.size).toBe(1);
			expect(store().stateReceipts.get('x-1')).toBe(2);
		});

		test('a per-item error in a 2xx answer fails that state alone', async () => {
			store().unknownAgents = 'partial';
			const [a] = live();
			const rows = [
				{ agent_id: a.agent_id, state: 'Ready', start_time: 1772441100, external_id: 's-1' },
				{ agent_id: 'ffffffff-0000-4000-8000-000000000000', state: 'Ready', start_time: 1772441100, external_id: 's-2' },
			];
			const result = await run(rows, stateParams, 'createMany', 'agentState');
			expect(result.json(NODE).map((item) => item.external_id)).toEqual(['s-1']);
			const [failed] = result.json(NODE, 1);
			expect(failed.details).toMatchObject({ errorKind: 'rejectedItem', errorLevel: 'row', external_id: 's-2', httpStatus: 200 });
			expect(failed.error).toMatch(/^Assembled rejected item 1: unknown agent_id/);
			expect(store().states.size).toBe(1);
		});
	});
});

describe('against a server that echoes the request in its errors', () => {
	test('rejected conversations and agent states: no form of the key in the run data', async () => {
		const leaky = await new AssembledMock({ leaky: true }).start();
		try {
			ingestOf(leaky).refusedImportIds.add('call-2');
			const [person] = leaky.people;
			const credentials = { assembledApi: { apiKey: API_KEY, baseUrl: leaky.url } };
			const conversations = await runWorkflow(
				rowsInto(
					[1, 2, 3].map((n) => ({ import_id: `call-${n}`, created_at: 1772362800 + n, channel: 'phone', status: 'solved' })),
					{ ...assembledNode({ resource: 'conversation', operation: 'createMany', status: '={{ $json.status }}' }, 'continueErrorOutput'), typeVersion: 1.1 },
				),
				{ credentials },
			);
			expect(conversations.json(NODE, 1).map((item) => (item.details as IDataObject).errorKind)).toEqual(['rejectedItem']);
			const states = await runWorkflow(
				rowsInto(
					[{ agent_id: person.agent_id, state: 'Ready', start_time: 'not a time' }, { agent_id: 'no-such-agent', state: 'Ready', start_time: 1772362800 }],
					{ ...assembledNode({ resource: 'agentState', operation: 'createMany' }, 'continueErrorOutput'), typeVersion: 1.1 },
				),
				{ credentials },
			);
			expect(states.json(NODE, 1).map((item) => (item.details as IDataObject).errorKind)).toEqual(['invalidItem', 'rejectedItem']);
			const texts = [...runTexts(conversations), ...runTexts(states)];
			// The server did echo the request (the Authorization header among it) into its answers.
			expect(texts.some((text) => text.includes('POST /v0/conversations/bulk HTTP/1.1'))).toBe(true);
			const pieces = [API_KEY.replace(/^sk_live_/, '').slice(0, 8), API_KEY.slice(-8)];
			expect(findSecrets(texts, [{ name: 'API key', forms: [...formsOf(API_KEY), ...pieces] }, { name: 'Basic pair', forms: basicPairForms(API_KEY, '') }])).toEqual([]);
		} finally {
			await leaky.stop();
		}
	});
});

// ---------------------------------------------------------------------------------------------
// The templates, as shipped; only Configuration changes (what the sticky notes tell users to edit).

const CONVERSATIONS_TEMPLATE = 'five9-call-log-to-assembled-conversations.json';
const STATES_TEMPLATE = 'five9-agent-states-to-assembled.json';

/** Assembled people for the Five9 mock's agents: all but the last have an Imported Id. */
function peopleForFive9Agents(): MockPerson[] {
	return makePeople(MOCK_AGENTS.length + 1)
		.slice(0, MOCK_AGENTS.length)
		.map((person, i) => ({
			...person,
			email: MOCK_AGENTS[i].email,
			imported_id: i === MOCK_AGENTS.length - 1 ? null : `five9-user-${i + 1}`,
			deleted: false,
		}));
}

/** The conversation call k must become, from the Five9 mock's facts (not from the template). */
function expectedConversation(k: number, spacingSeconds: number, people: MockPerson[]): IDataObject {
	const facts = callFacts(k, spacingSeconds);
	const created = facts.instantMs / 1000;
	const person = people.find((p) => p.email === facts.agentEmail);
	return {
		import_id: `five9-call-${facts.callId}`,
		created_at: created,
		channel: 'phone',
		status: facts.abandoned ? 'abandoned' : 'solved',
		handle_time: facts.talkSeconds + facts.holdSeconds + facts.acwSeconds,
		...(facts.abandoned
			? {}
			: {
					first_responded_at: created + facts.ivrSeconds + facts.queueSeconds + facts.ringSeconds,
					solved_at: created + facts.callSeconds,
				}),
		tags: [facts.campaign, facts.callType],
		...(person?.imported_id ? { assignee_import_id: person.imported_id } : {}),
	};
}

describe('template: Five9 call log → Assembled conversations', () => {
	let five9: Five9Mock;
	let assembled: AssembledMock;
	const people = peopleForFive9Agents();
	beforeAll(async () => {
		assembled = await new AssembledMock({ people }).start();
	});
	afterAll(() => assembled.stop());
	beforeEach(() => assembled.clear());
	afterEach(async () => {
		await five9?.stop();
	});
	const credentials = () => ({ five9Api: five9.credentials(), assembledApi: { apiKey: API_KEY, baseUrl: assembled.url } });
	const template = (values: IDataObject = {}): WorkflowJson => setConfiguration(readWorkflow(CONVERSATIONS_TEMPLATE), values);
	const windowOf = (index: number) => {
		const window = five9.reportWindows[index];
		return { startMs: Date.parse(window.start), endMs: Date.parse(window.end) };
	};

	test('can run headless and tells the user what to set', () => {
		const json = readWorkflow(CONVERSATIONS_TEMPLATE);
		expect(json.nodes[0].type).toBe('n8n-nodes-base.manualTrigger');
		expect(json.settings).toMatchObject({ errorWorkflow: 'errorNotification1' });
		const notes = json.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').map((n) => String(n.parameters.content)).join('\n');
		expect(notes).toContain('**Configuration**');
		expect(json.nodes.map((n) => n.type)).not.toContain('n8n-nodes-base.code');
		const push = json.nodes.find((n) => n.name === 'Push Conversations')!;
		expect(push.onError).toBe('continueErrorOutput');
		expect(json.connections['Push Conversations'].main[1]?.[0].node).toBe('Row Problem?');
	});

	test('every 5 minutes: today so far, one conversation per call; run twice, each CALL ID is held once', async () => {
		five9 = await new Five9Mock({ callSpacingSeconds: 600, runningPolls: 0 }).start();
		const first = await runWorkflow(template(), { credentials: credentials() });
		expect(first.error).toBeUndefined();
		expect(five9.reportWindows.map((w) => w.key)).toEqual(['Call Log Reports/Call Log']);
		const ks = gridIndexes(windowOf(0), 600);
		const store = ingestOf(assembled);
		expect(first.json('Push Conversations').length).toBe(ks.length);
		expect([...store.conversations.values()]).toEqual(ks.map((k) => expectedConversation(k, 600, people)));
		// One request per 500 calls (the node's default batch) and one people fetch.
		expect(store.batches.map((b) => b.count)).toEqual(ks.length ? [ks.length] : []);

		const second = await runWorkflow(template(), { credentials: credentials() });
		expect(second.error).toBeUndefined();
		const both = [...new Set([...ks, ...gridIndexes(windowOf(1), 600)])];
		expect([...store.conversations.keys()].sort()).toEqual(both.map((k) => `five9-call-${callFacts(k, 600).callId}`).sort());
		// Each call of the first run arrived twice and is stored once.
		for (const k of ks) expect(store.conversationReceipts.get(`five9-call-${callFacts(k, 600).callId}`)).toBe(2);
		expect(assembled.countRequests({ status: 429 })).toBe(0);
	});

	test('nightly and weekly re-sync: whole previous days; a second re-sync adds nothing', async () => {
		five9 = await new Five9Mock({ callSpacingSeconds: 1800, runningPolls: 0 }).start();
		const json = template({ nightlyDays: 2, weeklyDays: 3 });
		const nightly = await runWorkflow(json, { credentials: credentials(), triggerItems: { node: 'Every Night', items: [{ json: {} }] } });
		expect(nightly.error).toBeUndefined();
		expect(nightly.ran('Call Log Today')).toBe(false);
		const days = five9.reportWindows.map((_, i) => gridIndexes(windowOf(i), 1800));
		expect(days).toHaveLength(2);
		const store = ingestOf(assembled);
		expect([...store.conversations.values()]).toEqual(days.flat().map((k) => expectedConversation(k, 1800, people)));

		const weekly = await runWorkflow(json, { credentials: credentials(), triggerItems: { node: 'Every Monday', items: [{ json: {} }] } });
		expect(weekly.error).toBeUndefined();
		expect(five9.reportWindows).toHaveLength(5);
		const all = [...new Set(five9.reportWindows.flatMap((_, i) => gridIndexes(windowOf(i), 1800)))];
		expect(store.conversations.size).toBe(all.length);
		expect(extraReceipts(store.conversationReceipts)).toBe(days.flat().length);
	});

	test('a call Assembled refuses is counted in Problems Summary and the run stays green', async () => {
		five9 = await new Five9Mock({ callSpacingSeconds: 1800, runningPolls: 0 }).start();
		const json = template({ nightlyDays: 1 });
		const day = () => gridIndexes(windowOf(0), 1800);
		// Which calls yesterday holds is known once the first run read it: the second refuses its third.
		const store = ingestOf(assembled);
		const nightly = await runWorkflow(json, { credentials: credentials(), triggerItems: { node: 'Every Night', items: [{ json: {} }] } });
		expect(nightly.error).toBeUndefined();
		const refused = `five9-call-${callFacts(day()[2], 1800).callId}`;
		assembled.clear();
		store.refusedImportIds.add(refused);
		const again = await runWorkflow(json, { credentials: credentials(), triggerItems: { node: 'Every Night', items: [{ json: {} }] } });
		expect(again.status).toBe('success');
		const [summary] = again.json('Problems Summary');
		expect(summary).toMatchObject({ rows_reported: 1, invalid_calls: 1, call_ids: [refused.replace('five9-call-', '')] });
		expect(String((summary.reasons as string[])[0])).toMatch(/is refused/);
		expect(store.conversations.size).toBe(day().length - 1);
		expect(again.ran('Stop: Conversations Not Sent')).toBe(false);
	});

	test('Assembled refusing the key ends the run at Stop: Conversations Not Sent', async () => {
		five9 = await new Five9Mock({ callSpacingSeconds: 1800, runningPolls: 0 }).start();
		const nightly = await runWorkflow(template(), {
			credentials: { five9Api: five9.credentials(), assembledApi: { apiKey: 'sk_test_cannot_write', baseUrl: assembled.url } },
			triggerItems: { node: 'Every Night', items: [{ json: {} }] },
		});
		expect(nightly.status).toBe('error');
		expect(nightly.ran('Stop: Conversations Not Sent')).toBe(true);
		expect(nightly.error?.message).toMatch(/^Conversations did not reach Assembled: Assembled refused access \(403\)/);
	});

	test('dryRun in Configuration shows the payloads and sends nothing', async () => {
		five9 = await new Five9Mock({ callSpacingSeconds: 1800, runningPolls: 0 }).start();
		const run = await runWorkflow(template({ dryRun: true, nightlyDays: 1 }), { credentials: credentials(), triggerItems: { node: 'Every Night', items: [{ json: {} }] } });
		expect(run.error).toBeUndefined();
		const ks = gridIndexes(windowOf(0), 1800);
		expect(run.json('Push Conversations').map((item) => item.payload)).toEqual(ks.map((k) => expectedConversation(k, 1800, people)));
		expect(ingestOf(assembled).batches).toEqual([]);
	});
});

describe('template: Five9 agent states → Assembled agent states', () => {
	let five9: Five9Mock;
	let assembled: AssembledMock;
	const now = Date.now();
	const secondsAgo = (s: number) => Math.floor((now - s * 1000) / 1000) * 1000;
	const agents: MockAgentState[] = [
		{ username: 'zoe.muller@acme.example', fullName: 'Zoë Müller', state: 'Ready', reasonCode: null, stateSinceMs: secondsAgo(20), campaign: null, callType: null, mediaAvailability: 'Voice, Chat' },
		{ username: 'jose.garcia@acme.example', fullName: 'José García', state: 'Not Ready', reasonCode: 'Lunch', stateSinceMs: secondsAgo(14 * 60), campaign: null, callType: null, mediaAvailability: 'Voice' },
		{ username: 'jj.oneil@acme.example', fullName: 'Jean "JJ" O\'Neil', state: 'On Call', reasonCode: null, stateSinceMs: secondsAgo(5), campaign: 'Sales, Renewals', callType: 'Inbound', mediaAvailability: 'Voice' },
		{ username: 'li.wei@acme.example', fullName: '李 伟', state: 'After Call Work', reasonCode: null, stateSinceMs: secondsAgo(7 * 60), campaign: 'Support Inbound', callType: 'Inbound', mediaAvailability: 'Voice' },
		{ username: 'stranger@acme.example', fullName: 'Not In Assembled', state: 'Ready', reasonCode: null, stateSinceMs: secondsAgo(30), campaign: null, callType: null, mediaAvailability: 'Voice' },
	];
	// The first four are Assembled people (by email); the fifth is not.
	const people = peopleForFive9Agents().slice(0, 4).map((person, i) => ({ ...person, email: agents[i].username }));
	beforeAll(async () => {
		assembled = await new AssembledMock({ people }).start();
	});
	afterAll(() => assembled.stop());
	beforeEach(async () => {
		assembled.clear();
		five9 = await new Five9Mock({ agents }).start();
	});
	afterEach(async () => {
		await five9.stop();
	});
	const credentials = () => ({ five9Api: five9.credentials(), assembledApi: { apiKey: API_KEY, baseUrl: assembled.url } });
	const template = (values: IDataObject = {}) => setConfiguration(readWorkflow(STATES_TEMPLATE), values);
	const expectedState = (i: number) => ({
		agent_id: people[i].agent_id,
		state: agents[i].reasonCode ? `${agents[i].state}: ${agents[i].reasonCode}` : agents[i].state,
		start_time: agents[i].stateSinceMs / 1000,
		end_time: null,
		external_id: `five9-${agents[i].username}-${agents[i].stateSinceMs / 1000}`,
	});
	const stored = () => [...ingestOf(assembled).states.values()].map((s) => ({ agent_id: s.agent_id, state: s.state, start_time: s.start_time, end_time: s.end_time, external_id: s.external_id }));

	test('can run headless and tells the user what to set', () => {
		const json = readWorkflow(STATES_TEMPLATE);
		expect(json.nodes[0].type).toBe('n8n-nodes-base.manualTrigger');
		expect(json.settings).toMatchObject({ errorWorkflow: 'errorNotification1' });
		const notes = json.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').map((n) => String(n.parameters.content)).join('\n');
		expect(notes).toContain('**Configuration**');
		expect(json.connections['Push Agent States'].main[1]?.[0].node).toBe('Row Problem?');
	});

	test('Run Now sends every agent’s current state; the agent Assembled does not know is counted; run twice, each state is held once', async () => {
		const first = await runWorkflow(template(), { credentials: credentials() });
		expect(first.status).toBe('success');
		expect(stored()).toEqual([0, 1, 2, 3].map(expectedState));
		expect(first.json('Problems Summary')).toEqual([
			expect.objectContaining({ rows_reported: 1, unknown_agents: ['Not In Assembled'], invalid_states: 0 }),
		]);
		expect(ingestOf(assembled).batches.map((b) => b.count)).toEqual([4]);

		await runWorkflow(template(), { credentials: credentials() });
		expect(stored()).toEqual([0, 1, 2, 3].map(expectedState));
		expect([...ingestOf(assembled).stateReceipts.values()]).toEqual([2, 2, 2, 2]);
	});

	test('every 15 seconds: only states that began within newStatesWithinSeconds', async () => {
		const scheduled = await runWorkflow(template({ newStatesWithinSeconds: 60 }), {
			credentials: credentials(),
			triggerItems: { node: 'Every 15 Seconds', items: [{ json: {} }] },
		});
		expect(scheduled.status).toBe('success');
		// Zoë (20 s) and JJ (5 s) are new; the stranger (30 s) is new too, and unknown.
		expect(stored()).toEqual([0, 2].map(expectedState));
		expect(scheduled.json('Problems Summary')[0]).toMatchObject({ rows_reported: 1 });

		assembled.clear();
		const all = await runWorkflow(template({ newStatesWithinSeconds: 0 }), {
			credentials: credentials(),
			triggerItems: { node: 'Every 15 Seconds', items: [{ json: {} }] },
		});
		expect(all.status).toBe('success');
		expect(stored()).toEqual([0, 1, 2, 3].map(expectedState));
	});

	test('Assembled down after the retries ends the run at Stop: States Not Sent', async () => {
		assembled.schedule(STATES, Object.fromEntries(Array.from({ length: 10 }, (_, i) => [i + 1, { status: 503 }])));
		const json = template();
		const push = json.nodes.find((n) => n.name === 'Push Agent States')!;
		(push.parameters.advanced as IDataObject).maxRetries = 1;
		(push.parameters.advanced as IDataObject).retryDelayMs = 1;
		const result = await runWorkflow(json, { credentials: credentials() });
		expect(result.status).toBe('error');
		expect(result.ran('Stop: States Not Sent')).toBe(true);
		expect(result.error?.message).toMatch(/^Agent states did not reach Assembled: Assembled had a server error \(503\)/);
		expect(ingestOf(assembled).states.size).toBe(0);
	});
});
