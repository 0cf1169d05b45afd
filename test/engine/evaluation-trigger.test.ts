/**
 * The Five9 Evaluation Trigger polling the provisional evaluations API (local server), the way n8n
 * calls `poll()` on schedule, with the workflow's static data carried from poll to poll.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { makePeople } from '../mocks/assembled';
import { agentsFor, evaluationAt, evaluationsBetween, type EvaluationFeed, type MockEvaluation } from '../mocks/evaluations';
import { Five9QualityMock } from '../mocks/five9-quality';
import { loadTypes, pollTrigger as pollOnly, type WorkflowJson } from '../harness/engine';

/** Every run these polls start delivers what it got: the trigger hears "success" each time. */
const DELIVERED = { status: 'success', data: { resultData: { runData: {} } } } as never;
async function pollTrigger(...args: Parameters<typeof pollOnly>) {
	const polled = await pollOnly(...args);
	await polled.finish?.(DELIVERED);
	return polled;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const feed: EvaluationFeed = { agents: agentsFor(makePeople(12)), everyMs: HOUR / 2 };

/** The evaluations API where an evaluation can be edited after it was made (a QA lead changes a score). */
class EditableQualityMock extends Five9QualityMock {
	edits: { id: string; visibleFrom: number; change: Partial<MockEvaluation> }[] = [];

	override visible(from: number, to: number): MockEvaluation[] {
		const now = (this.options.now ?? Date.now)();
		return super.visible(from, to).map((evaluation) => {
			const edit = this.edits.filter((e) => e.id === evaluation.id && e.visibleFrom <= now).at(-1);
			return edit ? { ...evaluation, ...edit.change } : evaluation;
		});
	}
}

let api: EditableQualityMock;

beforeEach(async () => {
	api = await new EditableQualityMock({ feed, maxPageLimit: 10 }).start();
});
afterEach(() => api.stop());

function workflow(options: IDataObject = {}): WorkflowJson {
	return {
		name: 'evaluation trigger',
		nodes: [
			{
				id: 'trigger',
				name: 'Five9 Evaluation Trigger',
				type: 'n8n-nodes-five9-assembled.five9EvaluationTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { source: 'api', options },
				credentials: { five9EvaluationsApi: { id: 'evalApi', name: 'Evaluations API' } },
			} as INode,
		],
		connections: {},
	};
}

const credentials = () => ({
	five9EvaluationsApi: { baseUrl: api.url, domainId: api.domainId, consumerKey: 'consumer-key', consumerSecret: 'consumer-secret' },
});

const ids = (result: Awaited<ReturnType<typeof pollOnly>>['result']) =>
	(result?.[0] ?? []).map((item) => item.json.evaluation_id as string);

test('first activation starts from now and emits nothing old', async () => {
	const staticData: IDataObject = {};
	const { result } = await pollTrigger(workflow(), 'Five9 Evaluation Trigger', { credentials: credentials(), staticData });
	expect(result).toBeNull();
	expect(api.requests.filter((r) => r.path.includes('/evaluations'))).toHaveLength(0);
	const state = staticData['node:Five9 Evaluation Trigger'] as { watermark: number };
	expect(Math.abs(state.watermark - Date.now())).toBeLessThan(60_000);
});

test('backfill, then overlapping polls emit each evaluation exactly once; a late one arrives once', async () => {
	const staticData: IDataObject = {};
	const start = Date.now();
	const first = await pollTrigger(workflow({ backfillDays: 1, overlapMinutes: 60 }), 'Five9 Evaluation Trigger', { credentials: credentials(), staticData });
	const firstIds = ids(first.result);
	// What the day holds, computed from the feed itself: every evaluation of the last 24 h.
	const expected = evaluationsBetween(feed, start - 24 * HOUR, Date.now()).map((e) => e.id);
	expect(firstIds.length).toBeGreaterThanOrEqual(expected.length - 1);
	expect(new Set(firstIds).size).toBe(firstIds.length);
	for (const id of expected.slice(1)) expect(firstIds).toContain(id);
	// Cursor paging was used (pages of 10).
	expect(api.requests.filter((r) => r.query.pageCursor).length).toBeGreaterThan(0);

	const second = await pollTrigger(workflow({ backfillDays: 1, overlapMinutes: 60 }), 'Five9 Evaluation Trigger', { credentials: credentials(), staticData });
	expect(second.result).toBeNull();

	const late = { ...evaluationAt(feed, Date.now() - 20 * 60_000), id: 'late-1' };
	api.late.push({ evaluation: late, visibleFrom: Date.now() });
	const third = await pollTrigger(workflow({ backfillDays: 1, overlapMinutes: 60 }), 'Five9 Evaluation Trigger', { credentials: credentials(), staticData });
	expect(ids(third.result)).toEqual(['late-1']);
	const item = third.result![0][0].json;
	expect(item).toMatchObject({ evaluation_id: 'late-1', source: 'api', score: late.score, max_score: late.maxScore, agent_name: late.agent.fullName });
	expect(item.evaluated_at).toBe(new Date(late.evaluatedOn).toISOString());
});

test('a poll that fails midway leaves the watermark where it was, and the next poll catches up', async () => {
	const staticData: IDataObject = {};
	await pollTrigger(workflow(), 'Five9 Evaluation Trigger', { credentials: credentials(), staticData });
	const before = JSON.parse(JSON.stringify(staticData));
	const activatedAt = (before['node:Five9 Evaluation Trigger'] as { floor: number }).floor;
	await new Promise((resolve) => setTimeout(resolve, 40));
	// 25 evaluations made since activation: three pages of 10.
	for (let i = 0; i < 25; i++) api.late.push({ evaluation: { ...evaluationAt(feed, activatedAt + 1 + i), id: `late-${i}` }, visibleFrom: 0 });
	// The second page is refused: the whole poll fails.
	api.failNext = { status: 403, count: 1, skip: 1 };
	await expect(pollTrigger(workflow(), 'Five9 Evaluation Trigger', { credentials: credentials(), staticData })).rejects.toThrow(/refused access \(403\)/);
	expect(JSON.parse(JSON.stringify(staticData))).toEqual(before);
	const retry = await pollTrigger(workflow(), 'Five9 Evaluation Trigger', { credentials: credentials(), staticData });
	expect(ids(retry.result).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `late-${i}`).sort());
});

test('an expired token is renewed once and the poll goes on', async () => {
	const staticData: IDataObject = {};
	await pollTrigger(workflow({ backfillDays: 1 }), 'Five9 Evaluation Trigger', { credentials: credentials(), staticData });
	api.expireTokens();
	api.late.push({ evaluation: { ...evaluationAt(feed, Date.now() - 60_000), id: 'after-expiry' }, visibleFrom: 0 });
	// Evaluated before the backfill start: never emitted.
	api.late.push({ evaluation: { ...evaluationAt(feed, Date.now() - 30 * HOUR), id: 'too-old' }, visibleFrom: 0 });
	const { result } = await pollTrigger(workflow({ backfillDays: 1 }), 'Five9 Evaluation Trigger', { credentials: credentials(), staticData });
	expect(ids(result)).toEqual(['after-expiry']);
	expect(api.tokenRequests).toBeGreaterThanOrEqual(2);
});

test('a manual test run returns the latest few evaluations and changes no state', async () => {
	const staticData: IDataObject = {};
	const { result } = await pollTrigger(workflow({ manualLimit: 3 }), 'Five9 Evaluation Trigger', { credentials: credentials(), staticData, mode: 'manual' });
	const latest = evaluationsBetween(feed, Date.now() - 24 * HOUR, Date.now()).slice(-3).reverse().map((e) => e.id);
	expect(ids(result)).toEqual(latest);
	expect(staticData).toEqual({});
});

describe('edits, late arrivals and memory, on a controlled clock', () => {
	// Polls at :06 past the hour; the feed's evaluations fall on :00 and :30.
	const T0 = Date.UTC(2026, 10, 23, 12, 6);
	const NODE = 'Five9 Evaluation Trigger';
	const options = { overlapMinutes: 60, rescanDays: 1, rescanEveryHours: 6 };
	type Seen = Record<string, [number, string]>;

	beforeAll(() => loadTypes());
	beforeEach(() => {
		// Only Date is faked (moving on in real time from where a test sets it): sockets and sleeps stay real.
		jest.useFakeTimers({
			now: T0,
			advanceTimers: true,
			doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
		});
	});
	afterEach(() => jest.useRealTimers());

	/** Where each request for the first page of a poll started its range. */
	const rangeStarts = () =>
		api.requests
			.filter((r) => r.path.includes('/evaluations') && !r.query.pageCursor && r.status === 200)
			.map((r) => Date.parse(/evaluatedOn>=([^;]+)/.exec(r.query.filter)![1]));

	test('edited scores come again once, late arrivals come with the deep re-scan, nothing twice, memory stays within the horizon', async () => {
		const staticData: IDataObject = {};
		const poll = async (at: number) => {
			jest.setSystemTime(at);
			const { result } = await pollTrigger(workflow(options), NODE, { credentials: credentials(), staticData });
			return (result?.[0] ?? []).map((item) => item.json);
		};
		expect(await poll(T0)).toEqual([]);

		const emitted: IDataObject[] = [];
		const byPoll: Record<number, IDataObject[]> = {};
		const recentEdit = evaluationAt(feed, T0 + 3 * HOUR - 6 * MINUTE);
		const oldEdit = evaluationAt(feed, T0 + 2 * HOUR - 6 * MINUTE);
		const lateOld = { ...evaluationAt(feed, T0 + 4 * HOUR + 4 * MINUTE), id: 'late-old' };
		const lateRecent = { ...evaluationAt(feed, T0 + 14 * HOUR - 26 * MINUTE), id: 'late-recent' };
		const tooLate = { ...evaluationAt(feed, T0 + 2 * HOUR + 4 * MINUTE), id: 'too-late' };
		const unreadable = { ...evaluationAt(feed, T0 + 20 * HOUR + 4 * MINUTE), id: 'unreadable', score: 'n/a' as unknown as number };
		const otherScore = (e: MockEvaluation) => (e.score === 0 ? 1 : 0);
		const starts: Record<number, number> = {};
		const POLLS = 40;
		for (let k = 1; k <= POLLS; k++) {
			const at = T0 + k * HOUR;
			// What happens in Five9 between polls.
			if (k === 4) api.edits.push({ id: recentEdit.id, visibleFrom: 0, change: { score: otherScore(recentEdit) } });
			if (k === 8) {
				api.edits.push({ id: oldEdit.id, visibleFrom: 0, change: { score: otherScore(oldEdit) } });
				api.late.push({ evaluation: lateOld, visibleFrom: at - 30 * MINUTE });
			}
			if (k === 14) api.late.push({ evaluation: lateRecent, visibleFrom: 0 });
			if (k === 21) api.late.push({ evaluation: unreadable, visibleFrom: 0 });
			// Older than the re-scan reaches by the time it appears: cannot be caught.
			if (k === 30) api.late.push({ evaluation: tooLate, visibleFrom: 0 });
			const before = rangeStarts().length;
			byPoll[k] = await poll(at);
			emitted.push(...byPoll[k]);
			starts[k] = rangeStarts()[before];

			const state = staticData[`node:${NODE}`] as { seen: Seen; rejected: Record<string, number> };
			// What is remembered: evaluations of the last day (the re-scan horizon) and nothing older.
			const times = Object.values(state.seen).map(([seconds]) => seconds * 1000);
			expect(Math.min(...times)).toBeGreaterThanOrEqual(at - DAY - 1000);
			const lastDay = evaluationsBetween(feed, Math.max(T0, at - DAY), at).map((e) => e.id);
			for (const id of lastDay) expect(state.seen[id]).toEqual([expect.any(Number), expect.stringMatching(/^[0-9a-f]{12}$/)]);
			expect(Object.keys(state.seen).length).toBeLessThanOrEqual(lastDay.length + 3);
		}

		// Deep re-scans: every 6 hours counted from activation, one day back but not before activation.
		for (let k = 1; k <= POLLS; k++) {
			const at = T0 + k * HOUR;
			if (k % 6 === 0) expect(starts[k]).toBe(Math.max(T0, at - DAY));
			// Otherwise watermark − overlap: at most two overlaps before the previous poll.
			else expect(starts[k]).toBeGreaterThanOrEqual(at - HOUR - 2 * HOUR);
		}

		// Every evaluation made since activation, plus the two late ones, exactly once as new.
		const created = emitted.filter((e) => e.changed === false && !e.invalid);
		const expected = [...evaluationsBetween(feed, T0, T0 + POLLS * HOUR).map((e) => e.id), 'late-old', 'late-recent'];
		expect(created.map((e) => e.evaluation_id).sort()).toEqual(expected.sort());
		expect(emitted.map((e) => e.evaluation_id)).not.toContain('too-late');

		// The recent edit within the usual window at the next poll, the older one with the next re-scan: each once.
		const changed = emitted.filter((e) => e.changed === true);
		expect(changed.map((e) => [e.evaluation_id, e.score])).toEqual([
			[recentEdit.id, otherScore(recentEdit)],
			[oldEdit.id, otherScore(oldEdit)],
		]);
		expect(byPoll[4].filter((e) => e.changed)).toHaveLength(1);
		expect(byPoll[12].filter((e) => e.changed)).toHaveLength(1);

		// The late arrival older than watermark − overlap came with the re-scan, flagged; the recent one normally.
		expect(byPoll[12].filter((e) => e.evaluation_id === 'late-old')).toEqual([expect.objectContaining({ late: true, changed: false, score: lateOld.score })]);
		expect(byPoll[14].filter((e) => e.evaluation_id === 'late-recent')).toEqual([expect.objectContaining({ late: false, changed: false })]);
		expect(created.filter((e) => e.late).map((e) => e.evaluation_id)).toEqual(['late-old']);

		// The unreadable item, listed by every poll and re-scan that reaches it, came once.
		const invalid = emitted.filter((e) => e.invalid);
		expect(invalid).toEqual([expect.objectContaining({ errorKind: 'unreadableRow', error: expect.stringMatching(/^Evaluation row could not be read: .*score/) })]);
		expect((invalid[0].row as IDataObject).id).toBe('unreadable');
		expect(byPoll[21].filter((e) => e.invalid)).toHaveLength(1);
	});

	test('a deep re-scan that fails leaves the state as it was; the next poll does it', async () => {
		const staticData: IDataObject = {};
		await pollTrigger(workflow(options), NODE, { credentials: credentials(), staticData });
		jest.setSystemTime(T0 + 6 * HOUR);
		const before = JSON.parse(JSON.stringify(staticData));
		api.failNext = { status: 403, count: 1 };
		await expect(pollTrigger(workflow(options), NODE, { credentials: credentials(), staticData })).rejects.toThrow(/refused access \(403\)/);
		expect(JSON.parse(JSON.stringify(staticData))).toEqual(before);
		jest.setSystemTime(T0 + 6 * HOUR + MINUTE);
		const { result } = await pollTrigger(workflow(options), NODE, { credentials: credentials(), staticData });
		expect(rangeStarts().at(-1)).toBe(T0);
		// No poll got through since activation, so everything since then comes now, once.
		const items = (result?.[0] ?? []).map((item) => item.json);
		const all = evaluationsBetween(feed, T0, T0 + 6 * HOUR + MINUTE).map((e) => e.id);
		expect(items.map((e) => e.evaluation_id)).toEqual(all);
		expect((staticData[`node:${NODE}`] as { lastRescan: number }).lastRescan).toBeGreaterThanOrEqual(T0 + 6 * HOUR + MINUTE);
	});
});
