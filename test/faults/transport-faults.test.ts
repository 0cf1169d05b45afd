/**
 * The shared transport under hostile answers, node by node against the local servers, judged by what
 * the servers received: request storms that must not happen, answers that trickle, that are too
 * large, that break off, that move elsewhere, and a server that keeps failing.
 */
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { AssembledMock, makePeople } from '../mocks/assembled';
import { Five9Mock } from '../mocks/five9';
import { LocalServer } from '../mocks/http';
import { runWorkflow, type WorkflowRun } from '../harness/engine';
import { singleNodeWorkflow } from '../harness/single-node';
import { ASSEMBLED_TYPE, assembledNode, rowsInto } from '../harness/workflows';
import { FIVE9_CREDENTIAL_REF, FIVE9_TYPE, LA, NODE, callLogRun, expectCallLogItems } from '../harness/five9';
import { scoreRows } from '../fixtures/scores';

const API_KEY = 'sk_live_transport_faults_7c1d';
const BULK = '/v0/qa_scores/bulk';
const bulkOnly = (req: { path: string }) => req.path === BULK;

type ErrorItem = IDataObject & { error: string; details: IDataObject & { errorLevel: string; errorKind: string } };

function qaNode(options: IDataObject = {}, extra: IDataObject = {}, onError: INode['onError'] = 'continueErrorOutput') {
	return assembledNode({ resource: 'qaScore', operation: 'createMany', source: 'custom', options: { retryDelayMs: 10, ...options }, ...extra }, onError);
}

/** The message and description of whatever stopped the node. */
function failureText(run: WorkflowRun): string {
	const error = run.nodeError(NODE) as unknown as { message?: string; description?: string } | undefined;
	expect(error).toBeDefined();
	return `${error!.message ?? ''} | ${error!.description ?? ''}`;
}

describe('Assembled QA push: no request storm', () => {
	let mock: AssembledMock;
	afterEach(() => mock?.stop());

	const credentials = (extra: IDataObject = {}) => ({ assembledApi: { apiKey: API_KEY, baseUrl: mock.url, ...extra } });

	test.each([1000, 2500])('a 400 naming the API-Version header, %i scores: one request, every item a run-level error, nothing stored', async (count) => {
		mock = await new AssembledMock().start();
		const rows = scoreRows(count, mock.people, 'storm');
		const run = await runWorkflow(rowsInto(rows, qaNode()), { credentials: credentials({ apiVersion: 'v2' }) });
		// The first answer names the request, so no batch is split and no later batch is sent.
		expect(mock.requests).toHaveLength(1);
		expect(mock.requests[0]).toMatchObject({ path: BULK, status: 400, apiVersion: 'v2' });
		expect(mock.store.size).toBe(0);
		expect(run.items(NODE, 0)).toHaveLength(0);
		const failed = run.json(NODE, 1) as ErrorItem[];
		expect(failed).toHaveLength(count);
		for (const item of failed) {
			expect(item.details.errorLevel).toBe('run');
			expect(item.details.errorKind).toBe('notSent');
		}
		expect(failed[0].error).toMatch(/Invalid API-Version header: v2/);
		expect(failed[count - 1].error).toMatch(/Invalid API-Version header: v2/);
	});

	test('a 400 in words that do not name the request, for every batch and half: bounded (≤ 5 requests for 1,000 scores)', async () => {
		mock = await new AssembledMock().start();
		mock.inject({ status: 400, body: JSON.stringify({ error: { message: 'Something is wrong' } }), times: 100 });
		const run = await runWorkflow(rowsInto(scoreRows(1000, mock.people, 'vague'), qaNode()), { credentials: credentials() });
		// The batch (1,000), its halves (500, 500), and the halves of its first half (250, 250): the same
		// words twice in a row mean the request is at fault, and nothing more is sent.
		expect(mock.requests).toHaveLength(5);
		expect(mock.requests.every((r) => r.path === BULK && r.status === 400)).toBe(true);
		expect(mock.store.size).toBe(0);
		const failed = run.json(NODE, 1) as ErrorItem[];
		expect(failed).toHaveLength(1000);
		expect(failed.every((item) => item.details.errorLevel === 'run')).toBe(true);
		expect(failed[0].error).toMatch(/Something is wrong/);
	});

	test('a request-level 400 whose words carry a new request id each time: still bounded, every item run level', async () => {
		mock = await new AssembledMock().start();
		const bodies = Array.from({ length: 100 }, (_, n) => ({
			match: bulkOnly,
			status: 400,
			body: JSON.stringify({ error: { message: `Something is wrong (request id r-${1000 + n}-${(0xbeef00 + n).toString(16)})` } }),
		}));
		mock.inject(...bodies);
		const run = await runWorkflow(rowsInto(scoreRows(1000, mock.people, 'ids'), qaNode({ requestsPerMinute: 1e6, burst: 1000 })), { credentials: credentials() });
		// Ids and numbers aside the words are the same, so the halving stops as for identical words.
		expect(mock.countRequests({ path: BULK })).toBe(5);
		const failed = run.json(NODE, 1) as ErrorItem[];
		expect(failed).toHaveLength(1000);
		expect(failed.every((item) => item.details.errorLevel === 'run')).toBe(true);
	});

	test('a 400 that stays different however the batch is split: no batch costs more than its budget', async () => {
		mock = await new AssembledMock().start();
		// Words that change completely from answer to answer, so no two answers agree.
		const bodies = Array.from({ length: 200 }, (_, n) => ({
			match: bulkOnly,
			status: 400,
			body: JSON.stringify({ error: { message: `${['Rejected', 'Refused', 'Denied', 'Declined'][n % 4]} ${'xyz'.repeat(n % 7)}` } }),
		}));
		mock.inject(...bodies);
		const run = await runWorkflow(rowsInto(scoreRows(1000, mock.people, 'budget'), qaNode({ requestsPerMinute: 1e6, burst: 1000 })), { credentials: credentials() });
		// 4 · ⌈log2 1000⌉ + 5 = 45 split requests at most, plus the batch itself.
		expect(mock.countRequests({ path: BULK })).toBeLessThanOrEqual(46);
		expect(mock.store.size).toBe(0);
		expect(run.json(NODE, 1)).toHaveLength(1000);
	});

	test('one bad item among 1,000: found by halving in about 2·log2(1000) requests; 999 stored', async () => {
		mock = await new AssembledMock({ strictAgents: true }).start();
		const rows = scoreRows(1000, mock.people, 'one-bad');
		rows[613].agent_email = 'nobody.at.all@example.com';
		const run = await runWorkflow(rowsInto(rows, qaNode()), { credentials: credentials() });
		const requests = mock.countRequests({ path: BULK });
		// 1 + 2 per halving; 10 halvings take 1000 down to 1.
		expect(requests).toBeLessThanOrEqual(21);
		expect(requests).toBeGreaterThanOrEqual(11);
		expect(mock.store.size).toBe(999);
		expect(mock.store.has('one-bad-614')).toBe(false);
		expect(run.json(NODE, 0)).toHaveLength(999);
		const failed = run.json(NODE, 1) as ErrorItem[];
		expect(failed).toHaveLength(1);
		expect(failed[0].details).toMatchObject({ errorLevel: 'row', errorKind: 'rejectedItem', itemIndex: 613 });
		expect(failed[0].error).toMatch(/unknown agent nobody\.at\.all@example\.com/);
	});

	test('a 5xx past the retry budget on batch 1 of 3: batches 2 and 3 are not sent; all items run-level errors', async () => {
		mock = await new AssembledMock().start();
		mock.inject({ match: bulkOnly, status: 503, retryAfter: 0, times: 100 });
		const run = await runWorkflow(rowsInto(scoreRows(30, mock.people, 'five'), qaNode({ maxRetries: 1 }, { batchSize: 10 })), { credentials: credentials() });
		// Batch 1 and its one retry; nothing of batches 2 and 3.
		expect(mock.requests.map((r) => [r.path, r.status, r.scoreCount])).toEqual([
			[BULK, 503, undefined],
			[BULK, 503, undefined],
		]);
		expect(mock.store.size).toBe(0);
		const failed = run.json(NODE, 1) as ErrorItem[];
		expect(failed).toHaveLength(30);
		expect(failed.every((item) => item.details.errorLevel === 'run' && item.details.errorKind === 'notSent')).toBe(true);
		expect(new Set(failed.map((item) => item.details.batch))).toEqual(new Set([1, 2, 3]));
		expect(failed[29].error).toMatch(/Assembled had a server error \(503\)/);
	});
});

describe('Assembled: answers that trickle, break off or move', () => {
	let mock: AssembledMock;
	afterEach(() => mock?.stop());

	const credentials = () => ({ assembledApi: { apiKey: API_KEY, baseUrl: mock.url } });

	test('a bulk answer dripping a byte every 500 ms fails at the 1.5 s deadline, not the server’s pace', async () => {
		mock = await new AssembledMock().start();
		mock.inject({ match: bulkOnly, drip: { intervalMs: 500 } });
		const run = await runWorkflow(rowsInto(scoreRows(3, mock.people), qaNode({ timeoutMs: 1500, maxRetries: 0 }, {}, 'stopWorkflow' as never)), { credentials: credentials() });
		expect(run.status).toBe('error');
		const text = failureText(run);
		expect(text).toMatch(/^Item 0: Could not reach Assembled: the answer did not arrive within 2 s/);
		expect(text).toMatch(/"Request Timeout"/);
		expect(mock.requests).toEqual([expect.objectContaining({ path: BULK, status: 200, fault: 'drip' })]);
	});

	const peopleNode = (options: IDataObject) =>
		singleNodeWorkflow({ type: ASSEMBLED_TYPE, parameters: { resource: 'person', operation: 'getMany', returnAll: true, options: { retryDelayMs: 10, ...options } } as INodeParameters, credentials: assembledNode({}).credentials });

	test('GET /v0/people cut off once: retried, every person arrives', async () => {
		mock = await new AssembledMock().start();
		mock.inject({ match: (req) => req.path === '/v0/people', cutOff: { afterBytes: 200 } });
		const run = await runWorkflow(peopleNode({ maxRetries: 1 }), { credentials: credentials() });
		expect(run.error).toBeUndefined();
		expect(mock.requests.map((r) => r.fault ?? r.status)).toEqual(['cutOff', 200]);
		const expected = mock.people.filter((p) => !p.deleted).map((p) => p.id);
		expect(run.json(NODE).map((item) => item.id)).toEqual(expected);
	});

	test('GET /v0/people cut off every time: "the answer was cut off" after the retries', async () => {
		mock = await new AssembledMock().start();
		mock.inject({ match: (req) => req.path === '/v0/people', cutOff: { afterBytes: 200 }, times: 10 });
		const run = await runWorkflow(peopleNode({ maxRetries: 1 }), { credentials: credentials() });
		const text = failureText(run);
		expect(text).toMatch(/Could not reach Assembled: the answer was cut off/);
		expect(text).toMatch(/Gave up after 1 retry \(answer cut off\)/);
		expect(mock.requests.map((r) => r.fault)).toEqual(['cutOff', 'cutOff']);
		expect(run.items(NODE)).toHaveLength(0);
	});

	test('a 302 from the bulk endpoint: named, not followed, nothing stored', async () => {
		mock = await new AssembledMock().start();
		mock.inject({ match: bulkOnly, redirect: true, times: 10 });
		const run = await runWorkflow(rowsInto(scoreRows(5, mock.people), qaNode({}, {}, 'stopWorkflow' as never)), { credentials: credentials() });
		const text = failureText(run);
		expect(text).toMatch(new RegExp(`Assembled answered 302 \\(moved to ${mock.url}${BULK}\\)`));
		expect(text).toMatch(/was redirected, which the node does not follow/);
		// The Location is this same server: following it would have been a second request.
		expect(mock.requests).toHaveLength(1);
		expect(mock.store.size).toBe(0);
	});

	test('a 302 to another host: that host receives nothing, every item is a run-level error', async () => {
		const elsewhere: string[] = [];
		const target = new LocalServer((req, res) => {
			elsewhere.push(`${req.method} ${req.url}`);
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end('{}');
		});
		const targetUrl = await target.start();
		const redirecting = new LocalServer((req, res) => {
			res.writeHead(302, { Location: `${targetUrl}${req.url}` });
			res.end();
		});
		const url = await redirecting.start();
		try {
			const run = await runWorkflow(rowsInto(scoreRows(4, makePeople(6), 'moved'), qaNode()), {
				credentials: { assembledApi: { apiKey: API_KEY, baseUrl: url } },
			});
			expect(elsewhere).toEqual([]);
			const failed = run.json(NODE, 1) as ErrorItem[];
			expect(failed).toHaveLength(4);
			expect(failed.every((item) => item.details.errorLevel === 'run')).toBe(true);
			expect(failed[0].error).toContain(`Assembled answered 302 (moved to ${targetUrl}${BULK})`);
		} finally {
			await redirecting.stop();
			await target.stop();
		}
	});
});

describe('Five9 Report → Run: answers that trickle, are too large, or break off', () => {
	let mock: Five9Mock;
	afterEach(() => mock?.stop());

	const SPACING = 3600;
	/** One window: 9 March 2024 in Los Angeles. */
	const ONE_DAY = { start: '2024-03-09', end: '2024-03-10' };

	async function runReport(options: IDataObject) {
		const workflow = singleNodeWorkflow({ type: FIVE9_TYPE, parameters: callLogRun(ONE_DAY, options), credentials: FIVE9_CREDENTIAL_REF });
		return await runWorkflow(workflow, { credentials: { five9Api: mock.credentials() } });
	}

	test('getReportResultCsv dripping a byte every 500 ms fails at the 1.5 s deadline, naming the window', async () => {
		mock = await new Five9Mock({ runningPolls: 0, callSpacingSeconds: SPACING }).start();
		mock.inject({ operation: 'getReportResultCsv', drip: { intervalMs: 500 } });
		const run = await runReport({ timeoutMs: 1500, maxRetries: 0 });
		expect(run.status).toBe('error');
		const text = failureText(run);
		expect(text).toMatch(/^Could not reach Five9: the answer did not arrive within 2 s — window 2024-03-09 /);
		expect(mock.calls('getReportResultCsv')).toEqual([expect.objectContaining({ status: 200, fault: 'drip' })]);
	});

	test('a 50 MB CSV with a 5 MB cap: an error naming the window and smaller windows; the memory stays flat', async () => {
		mock = await new Five9Mock({ runningPolls: 0, callSpacingSeconds: SPACING, hugeCsvBytes: 50 * 1024 * 1024 }).start();
		const before = process.memoryUsage().rss;
		let peak = before;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
		let run: WorkflowRun;
		try {
			run = await runReport({ maxAnswerMb: 5, maxRetries: 0 });
		} finally {
			clearInterval(sampler);
		}
		peak = Math.max(peak, process.memoryUsage().rss);
		const text = failureText(run);
		expect(text).toMatch(/^Five9's answer for this report window is larger than 5 MB — window 2024-03-09 /);
		expect(text).toMatch(/Use smaller windows/);
		expect(mock.calls('getReportResultCsv')).toEqual([expect.objectContaining({ status: 200, fault: 'huge' })]);
		expect(peak - before).toBeLessThan(40 * 1024 * 1024);
	});

	test('getReportResultCsv cut off once: retried, every row of the window arrives', async () => {
		mock = await new Five9Mock({ runningPolls: 0, callSpacingSeconds: SPACING }).start();
		mock.inject({ operation: 'getReportResultCsv', cutOff: { afterBytes: 300 } });
		const run = await runReport({ maxRetries: 1, retryDelayMs: 10 });
		expect(run.error).toBeUndefined();
		expectCallLogItems(run.json(NODE), [{ startMs: LA.mar09, endMs: LA.mar10 }], SPACING);
		expect(mock.calls('getReportResultCsv').map((r) => r.fault ?? r.status)).toEqual(['cutOff', 200]);
	});

	test('getReportResultCsv cut off every time: "the answer was cut off" after the retries', async () => {
		mock = await new Five9Mock({ runningPolls: 0, callSpacingSeconds: SPACING }).start();
		mock.inject({ operation: 'getReportResultCsv', cutOff: { afterBytes: 300 }, times: 10 });
		const run = await runReport({ maxRetries: 1, retryDelayMs: 10 });
		const text = failureText(run);
		expect(text).toMatch(/^Could not reach Five9: the answer was cut off — window 2024-03-09 /);
		expect(text).toMatch(/Gave up after 1 retry \(answer cut off\)/);
		expect(mock.calls('getReportResultCsv').map((r) => r.fault)).toEqual(['cutOff', 'cutOff']);
		expect(run.items(NODE)).toHaveLength(0);
	});
});
