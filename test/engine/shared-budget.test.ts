/**
 * Executions that share a credential share its limits, through n8n's engine: two QA pushes at
 * once stay within one Assembled budget, and two Five9 report runs of one user never overlap —
 * in one process, and through a real Redis the way queue-mode workers coordinate.
 */

import {
	ProcessCoordinator,
	useCoordinator,
} from '../../nodes/shared/coordination';
import { runWorkflow } from '../harness/engine';
import {
	FIVE9_CREDENTIAL_REF,
	FIVE9_TYPE,
	NODE,
	callLogRun,
	expectCallLogItems,
} from '../harness/five9';
import { redisCoordination } from '../harness/redis';
import { singleNodeWorkflow } from '../harness/single-node';
import { assembledNode, rowsInto } from '../harness/workflows';
import { scoreRows } from '../fixtures/scores';
import { AssembledMock } from '../mocks/assembled';
import { Five9Mock } from '../mocks/five9';
import { LA } from '../harness/five9';

const API_KEY = 'sk_live_shared_budget_4c1d';
const LIMIT = { perMinute: 300, burst: 20 };

// Each test's coordinator is reset after it (the helper's afterEach).
const redis = redisCoordination();

/** Two QA Score → Create Many executions at once with one credential: 15 requests each. */
async function twoPushes(mock: AssembledMock) {
	const qa = assembledNode(
		{
			resource: 'qaScore',
			operation: 'createMany',
			source: 'custom',
			batchSize: 100,
			options: { retryDelayMs: 20 },
		},
		'continueErrorOutput',
	);
	const batches = [scoreRows(1500, mock.people, 'first'), scoreRows(1500, mock.people, 'second')];
	const runs = await Promise.all(
		batches.map((rows) =>
			runWorkflow(rowsInto(rows, qa), {
				credentials: { assembledApi: { apiKey: API_KEY, baseUrl: mock.url } },
			}),
		),
	);
	return { runs, ids: batches.flat().map((row) => String(row.imported_id)) };
}

function expectOneBudget(mock: AssembledMock, ids: string[]) {
	// Every score once, by what the server received, and not one request refused.
	expect([...mock.receipts.keys()].sort()).toEqual([...ids].sort());
	expect([...mock.receipts.values()].every((count) => count === 1)).toBe(true);
	expect(mock.countRequests({ status: 429 })).toBe(0);
	// 30 requests under one budget: the last could not leave before the floor of all 30.
	const times = mock.requests.filter((r) => r.path === '/v0/qa_scores/bulk').map((r) => r.at);
	expect(times).toHaveLength(30);
	const floorMs = ((30 - LIMIT.burst) * 60_000) / LIMIT.perMinute;
	expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(floorMs - 250);
}

describe('one Assembled budget per credential', () => {
	let mock: AssembledMock;
	afterEach(async () => mock?.stop());

	test('two executions at once in one n8n: no 429, every score once', async () => {
		await useCoordinator(new ProcessCoordinator());
		mock = await new AssembledMock({ rateLimit: LIMIT }).start();
		const { runs, ids } = await twoPushes(mock);
		for (const run of runs) expect(run.status).toBe('success');
		expectOneBudget(mock, ids);
	});

	test('two executions at once coordinating through Redis (queue mode): no 429, every score once', async () => {
		const client = await redis.coordinate();
		mock = await new AssembledMock({ rateLimit: LIMIT }).start();
		const { runs, ids } = await twoPushes(mock);
		for (const run of runs) expect(run.status).toBe('success');
		expectOneBudget(mock, ids);
		// The budget lives in Redis under the credential's hash, never under the key.
		const keys = await client.keys('n8n-nodes-five9-assembled:rate:*');
		expect(keys).toHaveLength(1);
		expect(keys[0]).not.toContain(API_KEY);
	});
});

describe('one Five9 session per user', () => {
	let mock: Five9Mock;
	afterEach(async () => mock?.stop());

	test('two report runs of one user at once, coordinating through Redis: never two requests in flight, every row', async () => {
		const client = await redis.coordinate();
		mock = await new Five9Mock({
			callSpacingSeconds: 1800,
			runningPolls: 1,
			latencyMs: 15,
		}).start();
		const workflow = singleNodeWorkflow(
			{ type: FIVE9_TYPE, parameters: callLogRun(), credentials: FIVE9_CREDENTIAL_REF },
			NODE,
		);
		const runs = await Promise.all(
			[0, 1].map(() => runWorkflow(workflow, { credentials: { five9Api: mock.credentials() } })),
		);
		const days = [
			{ startMs: LA.mar09, endMs: LA.mar10 },
			{ startMs: LA.mar10, endMs: LA.mar11 },
			{ startMs: LA.mar11, endMs: LA.mar12 },
		];
		for (const run of runs) {
			expect(run.error).toBeUndefined();
			expectCallLogItems(run.json(NODE), days, 1800);
		}
		expect(mock.maxInFlight).toBe(1);
		expect(mock.requests.filter((r) => r.fault)).toHaveLength(0);
		expect(await client.keys('n8n-nodes-five9-assembled:lock:*')).toHaveLength(0);
	});
});
