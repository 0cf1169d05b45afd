/** Activity Create / Get Many, Activity Type Get Many and Agent State Get Many through n8n's engine. */
import type { IDataObject } from 'n8n-workflow';

import { AssembledMock, MOCK_ACTIVITY_TYPES } from '../mocks/assembled';
import { runWorkflow } from '../harness/engine';
import { assembledNode, rowsInto } from '../harness/workflows';

const API_KEY = 'sk_live_activity_tests_0a1b';
let mock: AssembledMock;

beforeAll(async () => {
	mock = await new AssembledMock({ rateLimit: false }).start();
});
afterAll(() => mock.stop());
beforeEach(() => mock.clear());

const credentials = () => ({ assembledApi: { apiKey: API_KEY, baseUrl: mock.url } });
const node = (resource: string, operation: string, parameters: IDataObject) =>
	assembledNode({ resource, operation, ...parameters }, 'continueErrorOutput');
const coachingType = Object.values(MOCK_ACTIVITY_TYPES).find((t) => t.name === 'Coaching')!.id;

const coachingRows = () => {
	const [a, b] = mock.people.filter((p) => !p.deleted);
	return [
		{ email: a.email!.toUpperCase(), start: '2026-11-24T15:00:00Z', end: '2026-11-24T15:30:00Z' },
		{ email: b.email, start: 1795532400, end: 1795534200 },
		{ email: 'nobody@example.com', start: '2026-11-24T15:00:00Z', end: '2026-11-24T15:30:00Z' },
	];
};
const createNode = (options: IDataObject = {}) =>
	node('activity', 'create', {
		agentBy: 'email',
		agent: '={{ $json.email }}',
		typeId: coachingType,
		startTime: '={{ $json.start }}',
		endTime: '={{ $json.end }}',
		description: 'QA follow-up',
		options,
	});

test('Create puts one activity per agent on the schedule, by email, in unix seconds; unknown agents are reported', async () => {
	const rows = coachingRows();
	const run = await runWorkflow(rowsInto(rows, createNode()), { credentials: credentials() });
	const created = run.json('Node Under Test', 0);
	expect(created.map((c) => c.status)).toEqual(['created', 'created']);
	const [a, b] = mock.people.filter((p) => !p.deleted);
	const stored = [...mock.activities.values()];
	expect(stored.map((s) => s.agent_id)).toEqual([a.agent_id, b.agent_id]);
	expect(stored[0]).toMatchObject({ type_id: coachingType, start_time: Date.parse(rows[0].start as string) / 1000, end_time: Date.parse(rows[0].end as string) / 1000, description: 'QA follow-up' });
	expect(stored[1]).toMatchObject({ start_time: rows[1].start, end_time: rows[1].end });
	const failed = run.json('Node Under Test', 1);
	expect(failed).toHaveLength(1);
	expect(failed[0].error).toMatch(/No agent in Assembled People has email "nobody@example.com"/);
});

test('running Create again schedules nothing twice', async () => {
	await runWorkflow(rowsInto(coachingRows(), createNode()), { credentials: credentials() });
	const before = mock.activities.size;
	const again = await runWorkflow(rowsInto(coachingRows(), createNode()), { credentials: credentials() });
	expect(again.json('Node Under Test', 0).map((c) => c.status)).toEqual(['exists', 'exists']);
	expect(mock.activities.size).toBe(before);
	expect(mock.countRequests({ method: 'POST', path: '/v0/activities' })).toBe(2);
});

test('Create dry run sends nothing', async () => {
	const run = await runWorkflow(rowsInto(coachingRows().slice(0, 2), createNode({ dryRun: true })), { credentials: credentials() });
	expect(run.json('Node Under Test', 0).map((c) => c.status)).toEqual(['dryRun', 'dryRun']);
	expect(mock.countRequests({ method: 'POST' })).toBe(0);
	expect(mock.activities.size).toBe(0);
});

describe('overlapping activities', () => {
	const phones = Object.values(MOCK_ACTIVITY_TYPES).find((t) => t.name === 'Phones')!.id;
	/** The first row's agent is on the phones from 14:00 to 16:00 when the coaching (15:00–15:30) is booked. */
	const shift = async () => {
		const agent = mock.people.filter((p) => !p.deleted)[0];
		const body = { agent_id: agent.agent_id, type_id: phones, start_time: Date.parse('2026-11-24T14:00:00Z') / 1000, end_time: Date.parse('2026-11-24T16:00:00Z') / 1000 };
		const response = await fetch(`${mock.url}/v0/activities`, {
			method: 'POST',
			headers: { Authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ ...body, allow_conflicts: true }),
		});
		expect(response.status).toBe(200);
		return ((await response.json()) as { id: string }).id;
	};

	test('by default the output and a hint name what Assembled replaces; a dry run names it too and sends nothing', async () => {
		const shiftId = await shift();
		const dry = await runWorkflow(rowsInto(coachingRows().slice(0, 1), createNode({ dryRun: true })), { credentials: credentials() });
		const [preview] = dry.json('Node Under Test', 0);
		expect((preview.replaced_activities as IDataObject[]).map((a) => a.id)).toEqual([shiftId]);
		expect(mock.activities.has(shiftId)).toBe(true);
		const run = await runWorkflow(rowsInto(coachingRows().slice(0, 1), createNode()), { credentials: credentials() });
		const [created] = run.json('Node Under Test', 0);
		expect((created.replaced_activities as IDataObject[]).map((a) => a.id)).toEqual([shiftId]);
		expect(run.nodeRun('Node Under Test').hints).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringContaining('1 overlapping activity') })]);
		// Assembled's default: the shift is gone, the coaching is there.
		expect(mock.activities.has(shiftId)).toBe(false);
		expect(mock.requests.find((r) => r.method === 'POST' && r.path === '/v0/activities' && r.status === 200)).toBeDefined();
	});

	test('Keep Overlapping Activities sends allow_conflicts and the shift stays', async () => {
		const shiftId = await shift();
		const run = await runWorkflow(rowsInto(coachingRows().slice(0, 1), createNode({ keepOverlapping: true })), { credentials: credentials() });
		const [created] = run.json('Node Under Test', 0);
		expect(created.status).toBe('created');
		expect(created.replaced_activities).toEqual([]);
		expect(mock.activities.has(shiftId)).toBe(true);
		expect(mock.activities.size).toBe(2);
	});
});

test('Create rejects an end before the start, per item', async () => {
	const rows = [{ email: mock.people[0].email, start: '2026-11-24T16:00:00Z', end: '2026-11-24T15:00:00Z' }];
	const run = await runWorkflow(rowsInto(rows, createNode()), { credentials: credentials() });
	expect(run.json('Node Under Test', 1)[0].error).toBe('End must be after Start');
});

test('Activity Get Many returns what overlaps the range, filtered here since Assembled ignores agent filters', async () => {
	await runWorkflow(rowsInto(coachingRows().slice(0, 2), createNode()), { credentials: credentials() });
	const [a] = mock.people.filter((p) => !p.deleted);
	const all = await runWorkflow(
		rowsInto([{}], node('activity', 'getMany', { startTime: '2026-11-24T15:10:00Z', endTime: '2026-11-24T15:20:00Z', returnAll: true })),
		{ credentials: credentials() },
	);
	expect(all.json('Node Under Test')).toHaveLength(2);
	expect(all.json('Node Under Test')[0].type_name).toBe('Coaching');
	const one = await runWorkflow(
		rowsInto([{}], node('activity', 'getMany', { startTime: '2026-11-24T15:10:00Z', endTime: '2026-11-24T15:20:00Z', filters: { agentIds: a.agent_id } })),
		{ credentials: credentials() },
	);
	expect(one.json('Node Under Test').map((x) => x.agent_id)).toEqual([a.agent_id]);
	const none = await runWorkflow(
		rowsInto([{}], node('activity', 'getMany', { startTime: '2026-11-24T16:00:00Z', endTime: '2026-11-24T17:00:00Z' })),
		{ credentials: credentials() },
	);
	expect(none.json('Node Under Test')).toHaveLength(0);
});

test('Activity Type Get Many lists every type', async () => {
	const run = await runWorkflow(rowsInto([{}], node('activityType', 'getMany', {})), { credentials: credentials() });
	expect(run.json('Node Under Test').map((t) => t.id).sort()).toEqual(Object.keys(MOCK_ACTIVITY_TYPES).sort());
});

describe('Agent State Get Many', () => {
	const start = 1_795_500_000;
	beforeEach(() => {
		mock.agentStates = Array.from({ length: 1200 }, (_, i) => ({
			agent_id: mock.people[i % 4].agent_id,
			agent_email: mock.people[i % 4].email,
			platform: 'five9',
			state: i % 2 ? 'Ready' : 'Not Ready',
			start_time: start + i * 60,
			end_time: start + i * 60 + 60,
		}));
	});

	test('Return All pages with limit/offset until the total', async () => {
		const run = await runWorkflow(
			rowsInto([{}], node('agentState', 'getMany', { startTime: start, endTime: start + 1200 * 60, returnAll: true })),
			{ credentials: credentials() },
		);
		expect(run.json('Node Under Test')).toHaveLength(1200);
		expect(mock.requests.map((r) => r.query.offset)).toEqual(['0', '500', '1000']);
		expect(mock.requests[0].query.start_time).toBe(String(start));
	});

	test('an agent filter and a limit are sent to Assembled', async () => {
		const agent = mock.people[1].agent_id;
		const run = await runWorkflow(
			rowsInto([{}], node('agentState', 'getMany', { startTime: new Date(start * 1000).toISOString(), endTime: start + 6000, agentId: agent, limit: 10 })),
			{ credentials: credentials() },
		);
		const states = run.json('Node Under Test');
		expect(states).toHaveLength(10);
		expect(states.every((s) => s.agent_id === agent)).toBe(true);
		expect(mock.requests.map((r) => [r.query.agent_id, r.query.limit])).toEqual([[agent, '10']]);
	});
});

test('Create takes the activity type by name too, as templates ship it; an unknown name is a clear error', async () => {
	const rows = coachingRows().slice(0, 1);
	const byName = node('activity', 'create', { agentBy: 'email', agent: '={{ $json.email }}', typeId: '={{ "coaching" }}', startTime: '={{ $json.start }}', endTime: '={{ $json.end }}' });
	const run = await runWorkflow(rowsInto(rows, byName), { credentials: credentials() });
	expect(run.json('Node Under Test')[0].status).toBe('created');
	expect([...mock.activities.values()][0].type_id).toBe(coachingType);
	const unknown = node('activity', 'create', { agentBy: 'email', agent: '={{ $json.email }}', typeId: '={{ "Yoga" }}', startTime: '={{ $json.start }}', endTime: '={{ $json.end }}' });
	const failed = await runWorkflow(rowsInto(rows, unknown), { credentials: credentials() });
	expect(failed.json('Node Under Test', 1)[0].error).toBe('No activity type in Assembled has the ID or name "Yoga"');
});

test('activities and agent states carry readable ISO 8601 times next to the unix seconds', async () => {
	const [created] = (await runWorkflow(rowsInto(coachingRows().slice(0, 1), createNode()), { credentials: credentials() })).json('Node Under Test');
	expect(created.activity).toMatchObject({ start_time: 1795532400, start_time_iso: '2026-11-24T15:00:00Z', end_time: 1795534200, end_time_iso: '2026-11-24T15:30:00Z' });
	const dryRun = await runWorkflow(rowsInto(coachingRows().slice(1, 2), createNode({ dryRun: true })), { credentials: credentials() });
	// A dry run's payload is what would be sent, exactly.
	expect(Object.keys(dryRun.json('Node Under Test')[0].payload as IDataObject).sort()).toEqual(['agent_id', 'description', 'end_time', 'start_time', 'type_id']);
	const listed = await runWorkflow(
		rowsInto([{}], node('activity', 'getMany', { startTime: '2026-11-24T15:00:00Z', endTime: '2026-11-24T16:00:00Z' })),
		{ credentials: credentials() },
	);
	expect(listed.json('Node Under Test')[0]).toMatchObject({ start_time_iso: '2026-11-24T15:00:00Z', end_time_iso: '2026-11-24T15:30:00Z', type_name: 'Coaching' });
	mock.agentStates = [{ agent_id: mock.people[0].agent_id, state: 'Ready', start_time: 1795532400, end_time: null }];
	const states = await runWorkflow(rowsInto([{}], node('agentState', 'getMany', { startTime: 1795532000, endTime: 1795536000 })), { credentials: credentials() });
	expect(states.json('Node Under Test')).toEqual([
		{ agent_id: mock.people[0].agent_id, state: 'Ready', start_time: 1795532400, start_time_iso: '2026-11-24T15:00:00Z', end_time: null, end_time_iso: null },
	]);
});
