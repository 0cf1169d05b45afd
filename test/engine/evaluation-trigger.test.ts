/**
 * The Five9 Evaluation Trigger polling the provisional evaluations API (local server), the way n8n
 * calls `poll()` on schedule, with the workflow's static data carried from poll to poll.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { makePeople } from '../mocks/assembled';
import { agentsFor, evaluationAt, evaluationsBetween, type EvaluationFeed } from '../mocks/evaluations';
import { Five9QualityMock } from '../mocks/five9-quality';
import { pollTrigger, type WorkflowJson } from '../harness/engine';

const HOUR = 3_600_000;
const feed: EvaluationFeed = { agents: agentsFor(makePeople(12)), everyMs: HOUR / 2 };
let api: Five9QualityMock;

beforeEach(async () => {
	api = await new Five9QualityMock({ feed, maxPageLimit: 10 }).start();
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

const ids = (result: Awaited<ReturnType<typeof pollTrigger>>['result']) =>
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
