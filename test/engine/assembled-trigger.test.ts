/**
 * The Assembled Trigger polling the local Assembled server the way n8n calls `poll()` on schedule,
 * with the workflow's static data carried from poll to poll, on a controlled clock. What the
 * server received (windows in unix seconds, paging) and what was emitted are checked against
 * what the test put on the server, computed here and not by the node.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { AssembledMock, makePeople, type MockPerson } from '../mocks/assembled';
import { planningOf } from '../mocks/assembled-planning';
import { clearTriggerStores, triggerStores } from '../mocks/assembled-trigger';
import { loadTypes, pollTrigger, type WorkflowJson } from '../harness/engine';

const API_KEY = 'sk_live_trigger_tests_5e6f';
const NODE = 'Assembled Trigger';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/**
 * Activation, 7 s past a full hour two days ahead: the mock's rate limiter counts on a clock that
 * never runs backwards, and the tests only move it forward from here.
 */
const T0 = Math.floor(Date.now() / HOUR) * HOUR + 2 * DAY + 7 * SECOND;

type Event = 'timeOffRequest' | 'scheduleChange' | 'personAdded';

let mock: AssembledMock;

beforeAll(async () => {
	await loadTypes();
	mock = await new AssembledMock().start();
});
afterAll(() => mock.stop());
beforeEach(() => {
	mock.clear();
	clearTriggerStores(mock);
	mock.people = makePeople(12);
	// Only Date is faked (moving on in real time from where a test sets it): sockets and sleeps stay real.
	jest.useFakeTimers({
		now: T0,
		advanceTimers: true,
		doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
	});
});
afterEach(() => jest.useRealTimers());

const credentials = () => ({ assembledApi: { apiKey: API_KEY, baseUrl: mock.url } });
const sec = (ms: number) => Math.floor(ms / 1000);

function workflow(event: Event, options: IDataObject = {}): WorkflowJson {
	return {
		name: 'assembled trigger',
		nodes: [
			{
				id: 'trigger',
				name: NODE,
				type: 'n8n-nodes-five9-assembled.assembledTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { event, options },
				credentials: { assembledApi: { id: 'assembled', name: 'Assembled' } },
			} as INode,
		],
		connections: {},
	};
}

/** One poll at `at` (the trigger's clock); the emitted items' JSON, [] when nothing. */
async function pollAt(at: number, event: Event, staticData: IDataObject, options: IDataObject = {}, mode?: 'manual') {
	jest.setSystemTime(at);
	const { result } = await pollTrigger(workflow(event, options), NODE, { credentials: credentials(), staticData, mode });
	return (result?.[0] ?? []).map((item) => item.json);
}

const stateOf = (staticData: IDataObject, event: Event) =>
	(staticData[`node:${NODE}`] as Record<string, { watermark: number; seen: Record<string, [number, string]>; lastPollAt: number }>)[event];

const listRequests = (path: string) => mock.requests.filter((r) => r.path === path && r.status === 200);

function eventChange(id: string, modifiedAt: number, extra: IDataObject = {}) {
	return {
		id,
		modified_at: sec(modifiedAt),
		modified_by: { id: 'manager-1', name: 'Ana Diaz', email: 'ana.diaz@example.com' },
		event_agent_id: 'agent-1',
		event_agent_name: 'Jamal Okafor',
		event_agent_email: 'jamal.okafor@example.com',
		event_change_type: 'update',
		old_event_type: 'Phones',
		new_event_type: 'Coaching',
		old_start_time: sec(modifiedAt) + 3600,
		old_end_time: sec(modifiedAt) + 5400,
		new_start_time: sec(modifiedAt) + 7200,
		new_end_time: sec(modifiedAt) + 9000,
		...extra,
	};
}
const putChange = (change: IDataObject) => triggerStores(mock).eventChanges.set(String(change.id), change);

function timeOff(id: string, createdAt: number, updatedAt: number, status = 'pending') {
	return {
		id,
		agent_id: 'agent-7',
		activity_type_id: 'vacation',
		start_time: sec(createdAt) + 7 * 86400,
		end_time: sec(createdAt) + 9 * 86400,
		description: 'Family trip',
		status,
		created_at: sec(createdAt),
		updated_at: sec(updatedAt),
	};
}
const putTimeOff = (request: IDataObject) => planningOf(mock).timeOff.set(String(request.id), request);

function newPerson(n: number, createdAt: number, extra: Partial<MockPerson> = {}): MockPerson {
	const base = makePeople(n)[n - 1];
	return { ...base, deleted: false, created_at: sec(createdAt), ...extra };
}

describe.each<[Event, string, () => void]>([
	['scheduleChange', '/v0/event_changes', () => putChange(eventChange('old-change', T0 - 10 * MINUTE))],
	['timeOffRequest', '/v0/time_off/requests', () => putTimeOff(timeOff('old-request', T0 - 3 * DAY, T0 - 10 * MINUTE))],
	['personAdded', '/v0/people', () => undefined],
])('%s', (event, path, seedOld) => {
	test('first activation starts from now: nothing read, nothing old emitted later', async () => {
		seedOld();
		const staticData: IDataObject = {};
		expect(await pollAt(T0, event, staticData)).toEqual([]);
		expect(listRequests(path)).toHaveLength(0);
		expect(stateOf(staticData, event)).toMatchObject({ watermark: T0, seen: {} });
		// Everything on the server is older than the activation (people were made in 2023).
		expect(await pollAt(T0 + 5 * MINUTE, event, staticData)).toEqual([]);
		expect(listRequests(path).length).toBeGreaterThan(0);
	});
});

describe('Schedule Changed', () => {
	test('overlapping polls emit each change exactly once, late and skewed ones included; windows overlap; memory stays bounded', async () => {
		const staticData: IDataObject = {};
		const options = { overlapMinutes: 10 };
		await pollAt(T0, 'scheduleChange', staticData, options);
		const expected: string[] = [];
		const emitted: IDataObject[] = [];
		const POLLS = 36;
		let n = 0;
		for (let k = 1; k <= POLLS; k++) {
			const at = T0 + k * 5 * MINUTE;
			const previous = at - 5 * MINUTE;
			// Three changes since the last poll, one stamped 20 s ahead of our clock (Assembled's clock runs fast).
			for (const offset of [37 * SECOND, 2 * MINUTE + 11 * SECOND, 5 * MINUTE - 13 * SECOND]) {
				const id = `c-${++n}`;
				putChange(eventChange(id, previous + offset + (n % 3 === 0 ? 20 * SECOND : 0)));
				expected.push(id);
			}
			// Written late: stamped 8 minutes ago, visible only now (within the 10-minute overlap).
			if (k % 4 === 0) {
				const id = `late-${k}`;
				putChange(eventChange(id, at - 8 * MINUTE));
				expected.push(id);
			}
			// A burst of 1,200 changes (a schedule regenerated): three pages of 500.
			if (k === 20) {
				for (let i = 0; i < 1200; i++) {
					const id = `burst-${i}`;
					putChange(eventChange(id, previous + MINUTE + (i % 120) * SECOND));
					expected.push(id);
				}
			}
			const before = listRequests('/v0/event_changes').length;
			emitted.push(...(await pollAt(at, 'scheduleChange', staticData, options)));
			const requests = listRequests('/v0/event_changes').slice(before);
			// Each window starts one overlap before the watermark and ends now, in unix seconds.
			// watermark − overlap, where the watermark lies between the last poll − overlap and the last poll.
			expect(Number(requests[0].query.end_time)).toBe(Math.ceil(at / 1000));
			expect(Number(requests[0].query.start_time)).toBeLessThanOrEqual(Math.max(sec(T0), sec(previous - 10 * MINUTE)));
			expect(Number(requests[0].query.start_time)).toBeGreaterThanOrEqual(Math.max(sec(T0), sec(previous - 20 * MINUTE)));
			// Paged to the last page: as many pages of 500 as the window holds changes.
			const [from, to] = [Number(requests[0].query.start_time), Number(requests[0].query.end_time)];
			const inWindow = [...triggerStores(mock).eventChanges.values()].filter((c) => (c.modified_at as number) >= from && (c.modified_at as number) <= to).length;
			expect(requests.map((r) => Number(r.query.offset))).toEqual(Array.from({ length: Math.max(1, Math.ceil(inWindow / 500)) }, (_, i) => i * 500));
			if (k === 20) expect(requests).toHaveLength(3);
			// What is remembered: the changes within two overlaps, nothing older.
			const { seen } = stateOf(staticData, 'scheduleChange');
			const times = Object.values(seen).map(([s]) => s * 1000);
			expect(Math.min(...times)).toBeGreaterThanOrEqual(at - 2 * 10 * MINUTE - SECOND);
			if (k < 20 || k > 23) expect(Object.keys(seen).length).toBeLessThanOrEqual(20);
		}
		// The last change is stamped 7 s after the last poll (the fast clock): the next poll has it.
		emitted.push(...(await pollAt(T0 + (POLLS + 1) * 5 * MINUTE, 'scheduleChange', staticData, options)));
		const ids = emitted.map((item) => item.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect([...ids].sort()).toEqual([...expected].sort());
		expect(emitted.every((item) => item.changed === false)).toBe(true);
		// The item is the change as Assembled sent it, with ISO twins of its times.
		const first = emitted.find((item) => item.id === 'c-1')!;
		expect(first).toMatchObject({ event_change_type: 'update', modified_by: { name: 'Ana Diaz' }, new_event_type: 'Coaching' });
		expect(first.modified_at_iso).toBe(new Date((first.modified_at as number) * 1000).toISOString().replace('.000Z', 'Z'));
		expect(first.new_start_time_iso).toBe(new Date((first.new_start_time as number) * 1000).toISOString().replace('.000Z', 'Z'));
	});

	test('a change record edited later is emitted again, once, with changed: true', async () => {
		const staticData: IDataObject = {};
		await pollAt(T0, 'scheduleChange', staticData, { minIntervalMinutes: 0 });
		putChange(eventChange('c-1', T0 + MINUTE));
		expect((await pollAt(T0 + 2 * MINUTE, 'scheduleChange', staticData, { minIntervalMinutes: 0 })).map((i) => [i.id, i.changed])).toEqual([['c-1', false]]);
		putChange(eventChange('c-1', T0 + MINUTE, { description: 'moved to Friday' }));
		const again = await pollAt(T0 + 4 * MINUTE, 'scheduleChange', staticData, { minIntervalMinutes: 0 });
		expect(again.map((i) => [i.id, i.changed, i.description])).toEqual([['c-1', true, 'moved to Friday']]);
		expect(await pollAt(T0 + 6 * MINUTE, 'scheduleChange', staticData, { minIntervalMinutes: 0 })).toEqual([]);
	});

	test('a poll that fails (500 on the second page, after the retries) leaves the state unchanged; the next poll emits what was missed', async () => {
		const staticData: IDataObject = {};
		await pollAt(T0, 'scheduleChange', staticData);
		for (let i = 0; i < 700; i++) putChange(eventChange(`c-${i}`, T0 + MINUTE + i * 100));
		const before = JSON.parse(JSON.stringify(staticData));
		// The first page answers; the second page fails on every attempt (1 + 5 retries).
		const failures = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [i + 2, { status: 500, retryAfter: 0 }]));
		mock.schedule('/v0/event_changes', failures);
		jest.setSystemTime(T0 + 5 * MINUTE);
		await expect(pollTrigger(workflow('scheduleChange'), NODE, { credentials: credentials(), staticData })).rejects.toThrow(/server error \(500\)/);
		expect(mock.countRequests({ path: '/v0/event_changes', status: 500 })).toBe(6);
		expect(JSON.parse(JSON.stringify(staticData))).toEqual(before);
		// One minute later: the failed poll did not count as a poll, so this one reads.
		const items = await pollAt(T0 + 6 * MINUTE, 'scheduleChange', staticData);
		expect(items.map((i) => i.id)).toEqual(Array.from({ length: 700 }, (_, i) => `c-${i}`));
	});

	test('an answer in an unexpected form fails the poll and changes nothing', async () => {
		const staticData: IDataObject = {};
		await pollAt(T0, 'scheduleChange', staticData);
		const before = JSON.parse(JSON.stringify(staticData));
		mock.inject({ match: (r) => r.path === '/v0/event_changes', status: 200, body: JSON.stringify({ changes: [{ id: 'x' }] }) });
		jest.setSystemTime(T0 + 5 * MINUTE);
		await expect(pollTrigger(workflow('scheduleChange'), NODE, { credentials: credentials(), staticData })).rejects.toThrow(/not in the expected form/);
		expect(JSON.parse(JSON.stringify(staticData))).toEqual(before);
	});

	test('by default Assembled is read at most every 5 minutes, whatever Poll Times says', async () => {
		const staticData: IDataObject = {};
		await pollAt(T0, 'scheduleChange', staticData);
		putChange(eventChange('c-1', T0 + 30 * SECOND));
		// n8n's default Poll Times: every minute.
		for (const minute of [1, 2, 3, 4]) expect(await pollAt(T0 + minute * MINUTE, 'scheduleChange', staticData)).toEqual([]);
		expect(listRequests('/v0/event_changes')).toHaveLength(0);
		// A wake-up a little early still counts as due.
		expect((await pollAt(T0 + 5 * MINUTE - 3 * SECOND, 'scheduleChange', staticData)).map((i) => i.id)).toEqual(['c-1']);
		expect(listRequests('/v0/event_changes')).toHaveLength(1);
		expect(await pollAt(T0 + 6 * MINUTE, 'scheduleChange', staticData)).toEqual([]);
		expect(listRequests('/v0/event_changes')).toHaveLength(1);
	});

	test('a manual test run returns the latest few changes and changes no state', async () => {
		for (let i = 0; i < 8; i++) putChange(eventChange(`c-${i}`, T0 - (i + 1) * HOUR));
		putChange(eventChange('too-old', T0 - 8 * DAY));
		const staticData: IDataObject = {};
		const items = await pollAt(T0, 'scheduleChange', staticData, { manualLimit: 3 }, 'manual');
		expect(items.map((i) => i.id)).toEqual(['c-0', 'c-1', 'c-2']);
		expect(staticData).toEqual({});
		const request = listRequests('/v0/event_changes')[0];
		expect([Number(request.query.start_time), Number(request.query.end_time)]).toEqual([sec(T0 - DAY), Math.ceil(T0 / 1000)]);
	});
});

describe('Time Off Request Created or Changed', () => {
	test('new requests once; a status change again with changed: true; older requests that change count as changed', async () => {
		const staticData: IDataObject = {};
		const options = { overlapMinutes: 30 };
		const OVERLAP = 30 * MINUTE;
		const reads: number[] = [];
		const poll = async (at: number) => {
			reads.push(at);
			return await pollAt(at, 'timeOffRequest', staticData, options);
		};
		const summary = (items: IDataObject[]) => items.map((i) => [i.id, i.status, i.changed]);
		// Made two days before activation, approved after it.
		putTimeOff(timeOff('before', T0 - 2 * DAY, T0 - 2 * DAY));
		await pollAt(T0, 'timeOffRequest', staticData, options);

		putTimeOff(timeOff('r-1', T0 + MINUTE, T0 + MINUTE));
		putTimeOff(timeOff('r-2', T0 + 3 * MINUTE, T0 + 3 * MINUTE));
		const first = await poll(T0 + 5 * MINUTE);
		expect(summary(first)).toEqual([
			['r-1', 'pending', false],
			['r-2', 'pending', false],
		]);
		expect(first[0]).toMatchObject({ agent_id: 'agent-7', created_at_iso: new Date(T0 + MINUTE).toISOString().replace('.000Z', 'Z') });
		expect(await poll(T0 + 10 * MINUTE)).toEqual([]);

		putTimeOff(timeOff('r-1', T0 + MINUTE, T0 + 12 * MINUTE, 'approved'));
		putTimeOff(timeOff('before', T0 - 2 * DAY, T0 + 13 * MINUTE, 'approved'));
		expect(summary(await poll(T0 + 15 * MINUTE))).toEqual([
			['r-1', 'approved', true],
			['before', 'approved', true],
		]);
		expect(await poll(T0 + 20 * MINUTE)).toEqual([]);

		// Long after r-2 left the trigger's memory, it is denied: still a change.
		for (let at = T0 + 25 * MINUTE; at < T0 + 5 * HOUR; at += 30 * MINUTE) expect(await poll(at)).toEqual([]);
		expect(stateOf(staticData, 'timeOffRequest').seen['r-2']).toBeUndefined();
		putTimeOff(timeOff('r-2', T0 + 3 * MINUTE, T0 + 5 * HOUR, 'denied'));
		expect(summary(await poll(T0 + 5 * HOUR + 5 * MINUTE))).toEqual([['r-2', 'denied', true]]);

		// Every read asked for requests updated since watermark − overlap, in unix seconds, never
		// before the activation: between the previous read − 2 × overlap and the previous read − overlap.
		const sinces = listRequests('/v0/time_off/requests').map((r) => r.query.updated_since);
		expect(sinces).toHaveLength(reads.length);
		expect(sinces.every((s) => /^\d+$/.test(s))).toBe(true);
		expect(Number(sinces[0])).toBe(sec(T0));
		for (let i = 1; i < reads.length; i++) {
			expect(Number(sinces[i])).toBeGreaterThanOrEqual(Math.max(sec(T0), sec(reads[i - 1] - 2 * OVERLAP)));
			expect(Number(sinces[i])).toBeLessThanOrEqual(Math.max(sec(T0), sec(reads[i - 1] - OVERLAP)));
		}
	});

	test('pages to the last page of requests, in the server\'s pages of 100', async () => {
		const staticData: IDataObject = {};
		await pollAt(T0, 'timeOffRequest', staticData);
		for (let i = 0; i < 250; i++) putTimeOff(timeOff(`r-${i}`, T0 + MINUTE + i * SECOND, T0 + MINUTE + i * SECOND));
		const items = await pollAt(T0 + 5 * MINUTE, 'timeOffRequest', staticData);
		expect(items.map((i) => i.id)).toEqual(Array.from({ length: 250 }, (_, i) => `r-${i}`));
		expect(listRequests('/v0/time_off/requests').map((r) => [r.query.offset, r.query.limit])).toEqual([
			['0', '100'],
			['100', '100'],
			['200', '100'],
		]);
	});

	test('a manual test run returns the newest requests of the last 24 hours, else of the last 7 days', async () => {
		for (let i = 0; i < 4; i++) putTimeOff(timeOff(`week-${i}`, T0 - (2 + i) * DAY, T0 - (2 + i) * DAY));
		const staticData: IDataObject = {};
		expect((await pollAt(T0, 'timeOffRequest', staticData, { manualLimit: 2 }, 'manual')).map((i) => i.id)).toEqual(['week-0', 'week-1']);
		putTimeOff(timeOff('today', T0 - HOUR, T0 - HOUR));
		expect((await pollAt(T0, 'timeOffRequest', staticData, { manualLimit: 2 }, 'manual')).map((i) => i.id)).toEqual(['today']);
		expect(staticData).toEqual({});
	});
});

describe('Person Added', () => {
	test('each new person once, with names resolved; edits and deleted people are not additions', async () => {
		const staticData: IDataObject = {};
		await pollAt(T0, 'personAdded', staticData);
		mock.people.push(newPerson(13, T0 + MINUTE), newPerson(14, T0 + 2 * MINUTE), newPerson(15, T0 + 3 * MINUTE, { deleted: true }));
		const first = await pollAt(T0 + 5 * MINUTE, 'personAdded', staticData);
		expect(first.map((i) => [i.id, i.changed])).toEqual([
			[mock.people[12].id, false],
			[mock.people[13].id, false],
		]);
		expect(first[0]).toMatchObject({ email: mock.people[12].email, name: `${mock.people[12].first_name} ${mock.people[12].last_name}` });
		expect((first[0].team_names as string[]).length).toBe(1);
		mock.people[12] = { ...mock.people[12], first_name: 'Renamed' };
		expect(await pollAt(T0 + 10 * MINUTE, 'personAdded', staticData)).toEqual([]);
		// People are read whole each time: /v0/people has no filter by creation time.
		expect(listRequests('/v0/people').map((r) => r.query.offset)).toEqual(['0', '0']);
	});

	test('a manual test run returns the newest people', async () => {
		mock.people.push(newPerson(13, T0 - DAY), newPerson(14, T0 - HOUR));
		const staticData: IDataObject = {};
		const items = await pollAt(T0, 'personAdded', staticData, { manualLimit: 2 }, 'manual');
		expect(items.map((i) => i.id)).toEqual([mock.people[13].id, mock.people[12].id]);
		expect(staticData).toEqual({});
	});
});
