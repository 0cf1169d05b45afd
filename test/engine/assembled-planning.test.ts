/**
 * Time Off (Create, Get Many, Cancel), Forecast → Get Many, Requirement (Get Many, Create) and
 * Working Hours → Get Many through n8n's engine, checked by what the local Assembled server
 * received: fields, unix seconds, repeated parameters, paging to the last page.
 */
import type { IDataObject } from 'n8n-workflow';

import { AssembledMock, MOCK_ACTIVITY_TYPES, MOCK_QUEUES } from '../mocks/assembled';
import { MOCK_REQUIREMENT_TYPES, planningOf, type PlanningStore } from '../mocks/assembled-planning';
import { runWorkflow } from '../harness/engine';
import { assembledNode, rowsInto } from '../harness/workflows';

const API_KEY = 'sk_live_planning_tests_5e7a';
let mock: AssembledMock;
let planning: PlanningStore;

// A time-off activity type, as an Assembled instance has (the shared fixtures have none).
const VACATION = '00000ac7-0000-4000-8000-0000000000f1';
(MOCK_ACTIVITY_TYPES as Record<string, unknown>)[VACATION] = {
	id: VACATION,
	import_id: 'vacation',
	name: 'Vacation',
	short_name: 'VAC',
	value: 'vacation',
	channels: [],
	productive: false,
	timeoff: true,
	background_color: '#ffb000',
	font_color: '#000000',
};

beforeAll(async () => {
	mock = await new AssembledMock({ rateLimit: false }).start();
});
afterAll(() => mock.stop());
beforeEach(() => {
	mock.clear();
	planning = planningOf(mock);
});

const credentials = () => ({ assembledApi: { apiKey: API_KEY, baseUrl: mock.url } });
const node = (resource: string, operation: string, parameters: IDataObject) =>
	assembledNode({ resource, operation, ...parameters }, 'continueErrorOutput');
const run = (rows: IDataObject[], resource: string, operation: string, parameters: IDataObject) =>
	runWorkflow(rowsInto(rows, node(resource, operation, parameters)), { credentials: credentials() });
const seconds = (iso: string) => Date.parse(iso) / 1000;
const callsTo = (method: string, path: string) => planning.calls.filter((c) => c.method === method && c.path === path);
const queryOf = (search: string) => new URLSearchParams(search);
const agents = () => mock.people.filter((p) => !p.deleted);

describe('Time Off → Create', () => {
	const createNode = (options: IDataObject = {}) => ({
		agentBy: 'email',
		agent: '={{ $json.email }}',
		timeOffType: '={{ $json.type }}',
		startTime: '={{ $json.start }}',
		endTime: '={{ $json.end }}',
		reason: '={{ $json.reason }}',
		options,
	});

	test('sends agent, type and times in unix seconds; unknown agents and bad times go to the error output per item', async () => {
		const [a, b] = agents();
		const rows = [
			{ email: a.email!.toUpperCase(), type: 'Vacation', start: '2026-12-21T00:00:00Z', end: '2026-12-24T00:00:00Z', reason: 'Holidays' },
			{ email: b.email, type: VACATION, start: 1798156800, end: 1798243200, reason: '' },
			{ email: 'nobody@example.com', type: 'Vacation', start: '2026-12-21T00:00:00Z', end: '2026-12-22T00:00:00Z', reason: '' },
			{ email: a.email, type: 'Vacation', start: 'next tuesday', end: '2026-12-22T00:00:00Z', reason: '' },
			{ email: a.email, type: 'Vacation', start: '2026-12-22T00:00:00Z', end: '2026-12-21T00:00:00Z', reason: '' },
		];
		const result = await run(rows, 'timeOff', 'create', createNode());
		const bodies = callsTo('POST', '/v0/time_off').map((c) => c.body);
		expect(bodies).toEqual([
			{ agent_id: a.agent_id, activity_type_id: VACATION, start_time: seconds('2026-12-21T00:00:00Z'), end_time: seconds('2026-12-24T00:00:00Z'), description: 'Holidays' },
			{ agent_id: b.agent_id, activity_type_id: VACATION, start_time: 1798156800, end_time: 1798243200 },
		]);
		const created = result.json('Node Under Test', 0);
		expect(created.map((c) => c.status)).toEqual(['created', 'created']);
		expect(created[0]).toMatchObject({ agent_email: a.email, timeOff: { agent_id: a.agent_id, status: 'pending', start_time_iso: '2026-12-21T00:00:00Z', end_time_iso: '2026-12-24T00:00:00Z' } });
		expect(result.items('Node Under Test', 0).map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const failed = result.items('Node Under Test', 1);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 2 }, { item: 3 }, { item: 4 }]);
		expect(failed.map((item) => (item.json.details as IDataObject).errorKind)).toEqual(['unknownAgent', 'invalidItem', 'invalidItem']);
		expect(failed[0].json.error).toMatch(/No agent in Assembled People has email "nobody@example.com"/);
		expect(failed[1].json.error).toMatch(/^Start "next tuesday" is not ISO 8601/);
		expect(failed[2].json.error).toBe('End must be after Start');
		expect(planning.timeOff.size).toBe(2);
	});

	test('All Day is sent only when the option is added; Dry Run sends nothing and shows the exact payload', async () => {
		const [a] = agents();
		const row = { email: a.email, type: 'vac', start: '2026-12-28T00:00:00Z', end: '2026-12-29T00:00:00Z', reason: 'Dentist' };
		const dry = await run([row], 'timeOff', 'create', createNode({ dryRun: true, allDay: false }));
		expect(dry.json('Node Under Test')).toEqual([
			{
				status: 'dryRun',
				agent_email: a.email,
				payload: { agent_id: a.agent_id, activity_type_id: VACATION, start_time: seconds(row.start), end_time: seconds(row.end), description: 'Dentist', all_day: false },
			},
		]);
		expect(callsTo('POST', '/v0/time_off')).toHaveLength(0);
		await run([row], 'timeOff', 'create', createNode({ allDay: true }));
		expect(callsTo('POST', '/v0/time_off')[0].body).toMatchObject({ all_day: true });
	});

	test('Skip If Already Requested leaves out a request the agent already has, unless it was cancelled', async () => {
		const [a] = agents();
		const row = { email: a.email, type: 'Vacation', start: '2027-01-04T00:00:00Z', end: '2027-01-08T00:00:00Z', reason: '' };
		const first = await run([row], 'timeOff', 'create', createNode({ skipExisting: true }));
		expect(first.json('Node Under Test')[0].status).toBe('created');
		const again = await run([row], 'timeOff', 'create', createNode({ skipExisting: true }));
		expect(again.json('Node Under Test')[0]).toMatchObject({ status: 'exists', timeOff: { agent_id: a.agent_id, start_time: seconds(row.start) } });
		expect(callsTo('POST', '/v0/time_off')).toHaveLength(1);
		// The check read the range in unix seconds.
		expect(queryOf(callsTo('GET', '/v0/time_off/requests')[0].search).get('start_time')).toBe(String(seconds(row.start)));
		for (const request of planning.timeOff.values()) request.status = 'cancelled';
		const afterCancel = await run([row], 'timeOff', 'create', createNode({ skipExisting: true }));
		expect(afterCancel.json('Node Under Test')[0].status).toBe('created');
	});
});

describe('Time Off → Get Many', () => {
	const base = seconds('2027-02-01T00:00:00Z');
	const seed = (count: number) => {
		const people = agents();
		planning.clock = () => 1_800_000_000;
		for (let i = 0; i < count; i++) {
			planning.addTimeOff({
				agent_id: people[i % 4].agent_id,
				activity_type_id: VACATION,
				start_time: base + i * 86_400,
				end_time: base + i * 86_400 + 28_800,
				status: ['pending', 'approved', 'rejected', 'cancelled'][i % 4],
				updated_at: 1_800_000_000 + i,
			});
		}
	};

	test('Return All pages with limit/offset to the last page and sends times in unix seconds', async () => {
		seed(250);
		const result = await run([{}], 'timeOff', 'getMany', {
			returnAll: true,
			filters: { startTime: '2027-01-01T00:00:00Z', endTime: new Date((base + 400 * 86_400) * 1000).toISOString(), updatedSince: 1_800_000_000 },
		});
		const out = result.json('Node Under Test');
		expect(out).toHaveLength(250);
		expect(new Set(out.map((r) => r.id)).size).toBe(250);
		const queries = callsTo('GET', '/v0/time_off/requests').map((c) => queryOf(c.search));
		expect(queries.map((q) => [q.get('offset'), q.get('limit')])).toEqual([
			['0', '100'],
			['100', '100'],
			['200', '100'],
		]);
		expect(queries[0].get('start_time')).toBe(String(seconds('2027-01-01T00:00:00Z')));
		expect(queries[0].get('end_time')).toBe(String(base + 400 * 86_400));
		expect(queries[0].get('updated_since')).toBe('1800000000');
		expect(out[0]).toMatchObject({ start_time: base, start_time_iso: '2027-02-01T00:00:00Z', updated_at_iso: '2027-01-15T08:00:00Z' });
	});

	test('Updated Since returns only what changed; Limit stops reading early', async () => {
		seed(250);
		const changed = await run([{}], 'timeOff', 'getMany', { returnAll: true, filters: { updatedSince: 1_800_000_240 } });
		expect(changed.json('Node Under Test').map((r) => r.updated_at)).toEqual([1_800_000_240, 1_800_000_241, 1_800_000_242, 1_800_000_243, 1_800_000_244, 1_800_000_245, 1_800_000_246, 1_800_000_247, 1_800_000_248, 1_800_000_249]);
		planning.calls.length = 0;
		const limited = await run([{}], 'timeOff', 'getMany', { limit: 30 });
		expect(limited.json('Node Under Test')).toHaveLength(30);
		expect(callsTo('GET', '/v0/time_off/requests')).toHaveLength(1);
		// Nothing set is sent as nothing: no time filters.
		expect([...queryOf(callsTo('GET', '/v0/time_off/requests')[0].search).keys()].sort()).toEqual(['limit', 'offset']);
	});

	test('Status and Agent filters are applied to what Assembled returns, across pages', async () => {
		seed(250);
		const agent = agents()[1].agent_id;
		const result = await run([{}], 'timeOff', 'getMany', { returnAll: true, filters: { status: ['approved', 'denied'], agentIds: agent } });
		const out = result.json('Node Under Test');
		// Agent 1 has i % 4 === 1 (approved); "denied" also matches "rejected" (agent 2's).
		expect(out).toHaveLength(Math.ceil((250 - 1) / 4));
		expect(out.every((r) => r.agent_id === agent && r.status === 'approved')).toBe(true);
		const mixed = await run([{}], 'timeOff', 'getMany', { returnAll: true, filters: { status: ['denied'] } });
		expect(new Set(mixed.json('Node Under Test').map((r) => r.status))).toEqual(new Set(['rejected']));
	});

	test('a server that ignores offset ends the paging without duplicates', async () => {
		seed(150);
		const firstPage = await run([{}], 'timeOff', 'getMany', { limit: 100 });
		// The second page answers the first one again, without a total.
		const page = { time_off_requests: Object.fromEntries(firstPage.json('Node Under Test').map((r) => [r.id, { ...r }])) };
		mock.clear();
		planning = planningOf(mock);
		seed(150);
		mock.schedule('/v0/time_off/requests', { 2: { status: 200, body: JSON.stringify(page) } });
		const result = await run([{}], 'timeOff', 'getMany', { returnAll: true });
		expect(result.json('Node Under Test')).toHaveLength(100);
		expect(mock.countRequests({ path: '/v0/time_off/requests' })).toBe(2);
	});

	test('bad filter times are the item\'s error, not the run\'s', async () => {
		const result = await run([{ since: 'yesterday-ish' }, { since: 1_800_000_000 }], 'timeOff', 'getMany', { filters: { updatedSince: '={{ $json.since }}' } });
		expect(result.json('Node Under Test', 1)).toEqual([
			expect.objectContaining({ error: 'Updated Since "yesterday-ish" is not ISO 8601, unix seconds or unix milliseconds', details: expect.objectContaining({ errorKind: 'invalidItem' }) }),
		]);
		expect(callsTo('GET', '/v0/time_off/requests')).toHaveLength(1);
	});
});

describe('Time Off → Cancel', () => {
	test('posts to the request\'s cancel path; an unknown ID fails only its item; Dry Run sends nothing', async () => {
		const [a] = agents();
		const request = planning.addTimeOff({ agent_id: a.agent_id, activity_type_id: VACATION, start_time: 1_800_000_000, end_time: 1_800_086_400 });
		const id = String(request.id);
		const dry = await run([{ id }], 'timeOff', 'cancel', { timeOffId: '={{ $json.id }}', options: { dryRun: true } });
		expect(dry.json('Node Under Test')).toEqual([{ status: 'dryRun', id, request: { method: 'POST', path: `/v0/time_off/${id}/cancel` } }]);
		expect(planning.calls).toHaveLength(0);
		const result = await run([{ id }, { id: 'no-such-request' }, { id: '' }], 'timeOff', 'cancel', { timeOffId: '={{ $json.id }}' });
		expect(callsTo('POST', `/v0/time_off/${String(request.id)}/cancel`)).toHaveLength(1);
		expect(planning.timeOff.get(String(request.id))!.status).toBe('cancelled');
		expect(result.json('Node Under Test', 0)).toEqual([
			expect.objectContaining({ status: 'cancelled', id, timeOff: expect.objectContaining({ status: 'cancelled', start_time_iso: '2027-01-15T08:00:00Z' }) }),
		]);
		const failed = result.items('Node Under Test', 1);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(failed[0].json.error).toMatch(/Not found in Assembled \(404\)/);
		expect(failed[1].json).toMatchObject({ error: 'Time Off Request ID is empty', details: { errorKind: 'invalidItem', errorLevel: 'row' } });
	});
});

describe('Forecast → Get Many', () => {
	const [sales, support] = Object.keys(MOCK_QUEUES);
	const start = seconds('2027-03-01T09:00:00Z');
	beforeEach(() => {
		planning.forecasts = Array.from({ length: 16 }, (_, i) => ({
			queue_id: i % 2 ? support : sales,
			channel: i % 4 < 2 ? 'phone' : 'email',
			start_time: start + Math.floor(i / 4) * 1800,
			end_time: start + Math.floor(i / 4) * 1800 + 1800,
			volume: 10 + i,
		}));
	});

	test('sends the range in unix seconds with queue, channel and interval, and returns rows with ISO times', async () => {
		const result = await run([{}], 'forecast', 'getMany', {
			startTime: '2027-03-01T09:00:00Z',
			endTime: '2027-03-01T11:00:00Z',
			returnAll: true,
			filters: { queueIds: support, channel: 'phone', interval: '30m' },
		});
		const [call] = callsTo('GET', '/v0/forecasts');
		expect(Object.fromEntries(queryOf(call.search))).toEqual({ start_time: String(start), end_time: String(start + 7200), queue_ids: support, channel: 'phone', interval: '30m' });
		const out = result.json('Node Under Test');
		expect(out.map((f) => f.volume)).toEqual([11, 15, 19, 23]);
		expect(out[0]).toMatchObject({ start_time_iso: '2027-03-01T09:00:00Z', end_time_iso: '2027-03-01T09:30:00Z' });
	});

	test('several queues are sent comma-separated; Limit caps the rows; an end before the start fails the item', async () => {
		const result = await run([{ end: '2027-03-01T11:00:00Z' }, { end: '2027-03-01T08:00:00Z' }], 'forecast', 'getMany', {
			startTime: '2027-03-01T09:00:00Z',
			endTime: '={{ $json.end }}',
			limit: 5,
			filters: { queueIds: `${sales}, ${support}` },
		});
		expect(queryOf(callsTo('GET', '/v0/forecasts')[0].search).get('queue_ids')).toBe(`${sales},${support}`);
		expect(result.json('Node Under Test', 0)).toHaveLength(5);
		expect(result.json('Node Under Test', 1)).toEqual([expect.objectContaining({ error: 'End must be after Start' })]);
		expect(callsTo('GET', '/v0/forecasts')).toHaveLength(1);
	});

	test('an answer in another form is a clear error, not an empty list', async () => {
		mock.schedule('/v0/forecasts', { 1: { status: 200, body: JSON.stringify({ data: [{ volume: 1 }] }) } });
		const result = await run([{}], 'forecast', 'getMany', { startTime: '2027-03-01T09:00:00Z', endTime: '2027-03-01T11:00:00Z' });
		expect(result.json('Node Under Test', 1)[0].error).toBe("Assembled's answer about forecasts is not in the expected form");
		expect(String((result.json('Node Under Test', 1)[0].details as IDataObject).description)).toContain('fields data');
	});
});

describe('Requirement → Get Many', () => {
	const [phones, email] = Object.keys(MOCK_REQUIREMENT_TYPES);
	const start = seconds('2027-04-05T09:00:00Z');
	beforeEach(() => {
		for (let i = 0; i < 8; i++) {
			const type = i % 2 ? email : phones;
			const from = start + Math.floor(i / 2) * 900;
			planning.requirements.set(`${type}|${from}`, { requirement_type_id: type, start_time: from, end_time: from + 900, required: 3 + i, scheduled: 2 });
		}
	});

	test('sends the range in unix seconds and one requirement_types parameter per type; names the type', async () => {
		const result = await run([{}], 'requirement', 'getMany', { startTime: start, endTime: start + 3600, returnAll: true, filters: { requirementTypes: 'phones' } });
		const [call] = callsTo('GET', '/v0/requirements');
		const query = queryOf(call.search);
		expect(query.getAll('requirement_types')).toEqual([phones]);
		expect([query.get('start_time'), query.get('end_time')]).toEqual([String(start), String(start + 3600)]);
		const out = result.json('Node Under Test');
		expect(out.map((r) => r.required)).toEqual([3, 5, 7, 9]);
		expect(out[0]).toMatchObject({ requirement_type_name: 'Phones', start_time_iso: '2027-04-05T09:00:00Z', end_time_iso: '2027-04-05T09:15:00Z' });
		const both = await run([{}], 'requirement', 'getMany', { startTime: start, endTime: start + 3600, limit: 3, filters: { requirementTypes: `${phones},${email}` } });
		expect(queryOf(callsTo('GET', '/v0/requirements')[1].search).getAll('requirement_types')).toEqual([phones, email]);
		expect(both.json('Node Under Test')).toHaveLength(3);
	});

	test('an empty answer (no requirements key) is no rows; an unknown type name fails the item', async () => {
		const result = await run([{ type: '' }, { type: 'Chat' }], 'requirement', 'getMany', {
			startTime: '2030-01-01T00:00:00Z',
			endTime: '2030-01-02T00:00:00Z',
			filters: { requirementTypes: '={{ $json.type }}' },
		});
		expect(result.json('Node Under Test', 0)).toEqual([]);
		expect(result.json('Node Under Test', 1)).toEqual([
			expect.objectContaining({ error: 'No requirement type in Assembled has the ID or name "Chat"', details: expect.objectContaining({ errorKind: 'invalidItem' }) }),
		]);
		// The types were read once for both items.
		expect(callsTo('GET', '/v0/requirement_types')).toHaveLength(1);
	});
});

describe('Requirement → Create', () => {
	const [phones] = Object.keys(MOCK_REQUIREMENT_TYPES);
	const createNode = (options: IDataObject = {}) => ({
		requirementType: '={{ $json.type }}',
		startTime: '={{ $json.start }}',
		endTime: '={{ $json.end }}',
		required: '={{ $json.required }}',
		options,
	});

	test('sends exactly the four fields, in unix seconds; one interval per request when split; a re-run overwrites', async () => {
		const rows = [
			{ type: 'Phones', start: '2027-04-05T09:00:00Z', end: '2027-04-05T09:15:00Z', required: 2.5 },
			{ type: phones, start: '2027-04-05T10:00:00Z', end: '2027-04-05T11:00:00Z', required: 4 },
		];
		const first = await runWorkflow(rowsInto(rows.slice(0, 1), node('requirement', 'create', createNode())), { credentials: credentials() });
		expect(callsTo('POST', '/v0/requirements').map((c) => c.body)).toEqual([
			{ requirement_type_id: phones, start_time: seconds(rows[0].start), end_time: seconds(rows[0].end), required: 2.5 },
		]);
		expect(first.json('Node Under Test')).toEqual([
			expect.objectContaining({ status: 'created', requirement: expect.objectContaining({ required: 2.5, scheduled: 0, start_time_iso: '2027-04-05T09:00:00Z' }) }),
		]);
		planning.calls.length = 0;
		const split = await runWorkflow(rowsInto(rows.slice(1), node('requirement', 'create', createNode({ intervalMinutes: 15 }))), { credentials: credentials() });
		const starts = callsTo('POST', '/v0/requirements').map((c) => (c.body as IDataObject).start_time);
		const from = seconds(rows[1].start);
		expect(starts).toEqual([from, from + 900, from + 1800, from + 2700]);
		expect(split.items('Node Under Test').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }, { item: 0 }]);
		await runWorkflow(rowsInto(rows.slice(1), node('requirement', 'create', createNode({ intervalMinutes: 15 }))), { credentials: credentials() });
		expect(planning.requirements.size).toBe(5);
	});

	test('Dry Run sends nothing; misaligned ranges, bad numbers and unknown types fail their own item', async () => {
		const rows = [
			{ type: 'Phones', start: '2027-04-05T09:00:00Z', end: '2027-04-05T09:30:00Z', required: 1 },
			{ type: 'Phones', start: '2027-04-05T09:05:00Z', end: '2027-04-05T09:30:00Z', required: 1 },
			{ type: 'Phones', start: '2027-04-05T09:00:00Z', end: '2027-04-05T09:30:00Z', required: -2 },
			{ type: 'Chat', start: '2027-04-05T09:00:00Z', end: '2027-04-05T09:30:00Z', required: 1 },
		];
		const result = await runWorkflow(rowsInto(rows, node('requirement', 'create', createNode({ intervalMinutes: 15, dryRun: true }))), { credentials: credentials() });
		expect(callsTo('POST', '/v0/requirements')).toHaveLength(0);
		expect(result.json('Node Under Test', 0).map((r) => (r.payload as IDataObject).start_time)).toEqual([seconds(rows[0].start), seconds(rows[0].start) + 900]);
		expect(result.json('Node Under Test', 1).map((r) => r.error)).toEqual([
			'Start and End must fall on 15-minute boundaries',
			expect.stringMatching(/^Required Agents must be a number of zero or more/),
			'No requirement type in Assembled has the ID or name "Chat"',
		]);
		expect(result.items('Node Under Test', 1).map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }, { item: 3 }]);
	});

	test('when Assembled rejects one interval, the ones saved before it still come out, then the error', async () => {
		mock.schedule('/v0/requirements', { 3: { status: 400, body: JSON.stringify({ error: { message: 'required is too high' } }) } });
		const rows = [{ type: 'Phones', start: '2027-04-05T09:00:00Z', end: '2027-04-05T10:00:00Z', required: 3 }];
		const result = await runWorkflow(rowsInto(rows, node('requirement', 'create', createNode({ intervalMinutes: 15 }))), { credentials: credentials() });
		expect(result.json('Node Under Test', 0).map((r) => r.status)).toEqual(['created', 'created']);
		expect(result.json('Node Under Test', 1)[0].error).toMatch(/Assembled rejected the request \(400\): required is too high/);
		expect(planning.requirements.size).toBe(2);
	});
});

describe('Working Hours → Get Many', () => {
	test('sends the agent as agent_id and returns the rules', async () => {
		const [a, b] = agents();
		planning.workingHours = [
			{ id: 'wh-1', agent_id: a.agent_id, timezone: 'America/Chicago', weekly_pattern: [{ day_of_week: 'monday', start_time: '09:00', end_time: '17:00' }] },
			{ id: 'wh-2', agent_id: b.agent_id, timezone: 'Europe/Warsaw', weekly_pattern: [] },
			{ id: 'wh-3', agent_id: b.agent_id, timezone: 'Europe/Warsaw', weekly_pattern: [] },
		];
		const one = await run([{}], 'workingHours', 'getMany', { agentId: a.agent_id, returnAll: true });
		expect(Object.fromEntries(queryOf(callsTo('GET', '/v0/scheduling_rules/working_hours')[0].search))).toEqual({ agent_id: a.agent_id });
		expect(one.json('Node Under Test')).toEqual([planning.workingHours[0]]);
		const limited = await run([{}], 'workingHours', 'getMany', { limit: 2 });
		expect(callsTo('GET', '/v0/scheduling_rules/working_hours')[1].search).toBe('');
		expect(limited.json('Node Under Test').map((r) => r.id)).toEqual(['wh-1', 'wh-2']);
	});
});
