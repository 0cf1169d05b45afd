/**
 * The shipped scorecard workflow under faults, through n8n's engine: the trigger polls the local
 * Five9 server, the workflow runs with what it emitted, and the trigger hears how the run ended,
 * as in an active n8n. Every expectation is computed from the evaluation feed and the Assembled
 * server's receipts per imported_id, not from what the nodes report.
 */
import type Redis from 'ioredis';
import type { IDataObject, IRun } from 'n8n-workflow';

import { deliveryKey, deliveryNote } from '../../nodes/shared/coordination';

import { AssembledMock } from '../mocks/assembled';
import { AQM_REPORT, DEFAULT_EVALUATION_FEED, evaluationsBetween, type MockEvaluation } from '../mocks/evaluations';
import { Five9Mock } from '../mocks/five9';
import { pollAndRun, pollTrigger, readWorkflow, runWorkflow, type WorkflowJson } from '../harness/engine';
import { redisCoordination } from '../harness/redis';

const DAY = 86_400_000;
const KEY = 'sk_live_scorecard_faults_5a1e';
let five9: Five9Mock;
let assembled: AssembledMock;

beforeEach(async () => {
	five9 = await new Five9Mock({ runningPolls: 0 }).start();
	assembled = await new AssembledMock({ validKeys: [KEY], rateLimit: false }).start();
});
afterEach(async () => {
	await five9.stop();
	await assembled.stop();
});

const credentials = (assembledApi: IDataObject = {}) => ({
	five9Api: five9.credentials(),
	assembledApi: { apiKey: KEY, baseUrl: assembled.url, ...assembledApi },
});

/** The scorecard as a user activates it, with a short retry budget so faults end quickly. */
function scorecard(change: (nodes: Record<string, IDataObject>) => void = () => {}): WorkflowJson {
	const json = readWorkflow('aqm-to-assembled-scorecard.json');
	const nodes = Object.fromEntries(json.nodes.map((node) => [node.name, node.parameters as IDataObject]));
	nodes['New Evaluations'].options = { overlapMinutes: 60, backfillDays: 1, rescanDays: 3 };
	nodes['Push to Agent Scorecard'].options = { ...(nodes['Push to Agent Scorecard'].options as IDataObject), maxRetries: 1, retryDelayMs: 10 };
	change(nodes);
	return json;
}

function knownToAssembled(evaluation: MockEvaluation): boolean {
	const name = evaluation.agent.userName.toLowerCase();
	return assembled.people.some((p) => !p.deleted && (p.email?.toLowerCase() === name || p.platforms.five9.toLowerCase() === name));
}

/** The evaluations a backfill of one day has to deliver, from the feed itself. */
function dayBefore(at: number): MockEvaluation[] {
	return evaluationsBetween(DEFAULT_EVALUATION_FEED, at - DAY + 2_000, at - 2_000).filter(knownToAssembled);
}

const bulkRequests = () => assembled.countRequests({ path: '/v0/qa_scores/bulk' });

test('Assembled down beyond the retry budget: the run is red, nothing is lost; back up, the next poll delivers every score exactly once', async () => {
	const workflow = scorecard();
	const staticData: IDataObject = {};
	assembled.inject({ status: 503, times: 1000, retryAfter: 0, match: (r) => r.path === '/v0/qa_scores/bulk' });
	const at = Date.now();
	const first = await pollAndRun(workflow, 'New Evaluations', { credentials: credentials(), staticData });
	expect(first.run!.status).toBe('error');
	expect(first.run!.nodeError('Stop: Scores Not Sent')?.message).toMatch(/Assembled had a server error \(503\)/);
	expect(assembled.store.size).toBe(0);

	assembled.clear();
	const second = await pollAndRun(workflow, 'New Evaluations', { credentials: credentials(), staticData });
	expect(second.run!.status).toBe('success');
	const expected = dayBefore(at);
	expect(expected.length).toBeGreaterThan(10);
	for (const evaluation of expected) {
		expect(assembled.receipts.get(`five9-aqm-${evaluation.id}`)).toBe(1);
		expect(assembled.store.get(`five9-aqm-${evaluation.id}`)).toMatchObject({ score: evaluation.score, max_score: evaluation.maxScore });
	}
	// Delivered is done: a third poll sends nothing again.
	const requests = bulkRequests();
	await pollAndRun(workflow, 'New Evaluations', { credentials: credentials(), staticData });
	expect(bulkRequests()).toBe(requests);
	expect(assembled.duplicateReceipts).toBe(0);
});

test('a run that delivered some batches before failing: only the scores Assembled did not accept are sent again', async () => {
	const workflow = scorecard((nodes) => (nodes['Push to Agent Scorecard'].batchSize = 10));
	const staticData: IDataObject = {};
	// The first two batches are accepted, then Assembled fails for good.
	assembled.schedule('/v0/qa_scores/bulk', Object.fromEntries(Array.from({ length: 40 }, (_, i) => [i + 3, { status: 503, retryAfter: 0 }])));
	const at = Date.now();
	const first = await pollAndRun(workflow, 'New Evaluations', { credentials: credentials(), staticData });
	expect(first.run!.status).toBe('error');
	const acceptedFirst = new Set(assembled.store.keys());
	expect(acceptedFirst.size).toBe(20);

	assembled.schedule('/v0/qa_scores/bulk', {});
	const second = await pollAndRun(workflow, 'New Evaluations', { credentials: credentials(), staticData });
	expect(second.run!.status).toBe('success');
	const expected = dayBefore(at);
	for (const evaluation of expected) expect(assembled.receipts.get(`five9-aqm-${evaluation.id}`)).toBe(1);
	// The second run carried only what the first did not deliver.
	const resent = second.poll.result![0].map((item) => `five9-aqm-${String(item.json.evaluation_id)}`);
	expect(resent.filter((id) => acceptedFirst.has(id))).toEqual([]);
	expect(assembled.duplicateReceipts).toBe(0);
});

test('an evaluation edited after it was sent is sent again with its new score, once', async () => {
	const workflow = scorecard();
	const staticData: IDataObject = {};
	const at = Date.now();
	await pollAndRun(workflow, 'New Evaluations', { credentials: credentials(), staticData });
	const expected = dayBefore(at);
	const edited = expected[expected.length - 1];
	const newScore = (edited.score + 11) % (edited.maxScore + 1);
	const original = five9.reports[AQM_REPORT];
	five9.reports[AQM_REPORT] = (window, context) => {
		const data = original(window, context);
		const column = (name: string) => data.header.indexOf(name);
		for (const row of data.rows) if (row[column('EVALUATION ID')] === edited.id) row[column('SCORE')] = String(newScore);
		return data;
	};
	const second = await pollAndRun(workflow, 'New Evaluations', { credentials: credentials(), staticData });
	expect(second.poll.result![0].map((item) => item.json.evaluation_id)).toEqual([edited.id]);
	expect(second.poll.result![0][0].json.changed).toBe(true);
	expect(assembled.store.get(`five9-aqm-${edited.id}`)?.score).toBe(newScore);
	expect(assembled.receipts.get(`five9-aqm-${edited.id}`)).toBe(2);
	await pollAndRun(workflow, 'New Evaluations', { credentials: credentials(), staticData });
	expect(assembled.receipts.get(`five9-aqm-${edited.id}`)).toBe(2);
});

test('a rejected API key: the run is red with the credential message; with the key fixed the pending scores land', async () => {
	const workflow = scorecard();
	const staticData: IDataObject = {};
	const at = Date.now();
	const first = await pollAndRun(workflow, 'New Evaluations', { credentials: credentials({ apiKey: 'sk_live_revoked_0000' }), staticData });
	expect(first.run!.status).toBe('error');
	expect(JSON.stringify(first.run!.error)).toMatch(/The API key was rejected by Assembled \(401\)/);
	expect(JSON.stringify(first.run!.run)).not.toContain('sk_live_revoked_0000');
	const second = await pollAndRun(workflow, 'New Evaluations', { credentials: credentials(), staticData });
	expect(second.run!.status).toBe('success');
	for (const evaluation of dayBefore(at)) expect(assembled.receipts.get(`five9-aqm-${evaluation.id}`)).toBe(1);
});

test('a wrong API-Version makes every request fail the same way: one refused request, the run red, the scores kept for later', async () => {
	const workflow = scorecard();
	const staticData: IDataObject = {};
	const at = Date.now();
	const first = await pollAndRun(workflow, 'New Evaluations', { credentials: credentials({ apiVersion: 'latest' }), staticData });
	expect(first.run!.status).toBe('error');
	expect(JSON.stringify(first.run!.error)).toMatch(/API-Version/);
	// The agent check reads People first; refused there, no score is sent and nothing is retried.
	expect(bulkRequests()).toBe(0);
	expect(assembled.requests.length).toBe(1);
	const second = await pollAndRun(workflow, 'New Evaluations', { credentials: credentials(), staticData });
	expect(second.run!.status).toBe('success');
	for (const evaluation of dayBefore(at)) expect(assembled.receipts.get(`five9-aqm-${evaluation.id}`)).toBe(1);
});

test('only row problems (an unknown agent): the run stays green and ends with one summary that counts them', async () => {
	const workflow = scorecard();
	const staticData: IDataObject = {};
	const at = Date.now();
	const { run } = await pollAndRun(workflow, 'New Evaluations', { credentials: credentials(), staticData });
	expect(run!.status).toBe('success');
	const all = evaluationsBetween(DEFAULT_EVALUATION_FEED, at - DAY + 2_000, at - 2_000);
	const unknown = all.filter((e) => !knownToAssembled(e));
	expect(unknown.length).toBeGreaterThan(0);
	const [summary] = run!.json('Problems Summary');
	expect(summary.unknown_agent_scores).toBe(unknown.length);
	expect(summary.unknown_agents).toEqual([...new Set(unknown.map((e) => e.agent.fullName))]);
	expect(run!.items('Problems Summary')).toHaveLength(1);
});

describe('the Test Run path fails when Five9 cannot do its part', () => {
	test('a wrong report name: the run is red and the message names the report', async () => {
		const json = readWorkflow('aqm-to-assembled-scorecard.json');
		json.nodes.find((node) => node.name === 'Evaluations of the Last Day')!.parameters.reportName = 'Agent Scorecards';
		const run = await runWorkflow(json, { credentials: credentials() });
		expect(run.status).toBe('error');
		expect(run.nodeError('Stop: Five9 Failed')?.message).toMatch(/no report "Agent Scorecards" in folder "Quality Management Reports"/);
		expect(bulkRequests()).toBe(0);
	});

	test('a rejected password: the run is red with the login message, and the password is nowhere in it', async () => {
		const run = await runWorkflow(readWorkflow('aqm-to-assembled-scorecard.json'), {
			credentials: { ...credentials(), five9Api: five9.credentials({ password: 'Wr0ng&<pass>' }) },
		});
		expect(run.status).toBe('error');
		expect(run.nodeError('Stop: Five9 Failed')?.message).toMatch(/Five9 rejected the username\/password/);
		expect(JSON.stringify(run.run)).not.toContain('Wr0ng&<pass>');
	});

	test('missing rights: the run is red naming the rights', async () => {
		five9.inject({ operation: 'runReport', fault: 'AccessDisallowedFault', times: 5 });
		const run = await runWorkflow(readWorkflow('aqm-to-assembled-scorecard.json'), { credentials: credentials() });
		expect(run.status).toBe('error');
		expect(run.nodeError('Stop: Five9 Failed')?.message).toMatch(/lacks the rights/);
	});
});

describe('the other AQM templates fail loudly too', () => {
	test('low-score coaching with a wrong report name: the run is red, naming the report; nothing scheduled', async () => {
		const json = readWorkflow('low-score-coaching.json');
		json.nodes.find((node) => node.name === "Yesterday's Evaluations")!.parameters.reportName = 'QA Export';
		const run = await runWorkflow(json, { credentials: credentials() });
		expect(run.status).toBe('error');
		expect(run.nodeError('Stop: Five9 Failed')?.message).toMatch(/no report "QA Export"/);
		expect(assembled.activities.size).toBe(0);
	});

	test('the backfill with a wrong report name: the run is red, naming the report; the checkpoint does not move', async () => {
		const json = readWorkflow('aqm-backfill.json');
		const configuration = json.nodes.find((node) => node.name === 'Configuration')!.parameters as {
			assignments: { assignments: { name: string; value: unknown }[] };
		};
		for (const assignment of configuration.assignments.assignments) {
			if (assignment.name === 'reportName') assignment.value = 'QA Export';
			if (assignment.name === 'from') assignment.value = '2026-11-01';
			if (assignment.name === 'to') assignment.value = '2026-11-03';
		}
		const staticData: IDataObject = {};
		const run = await runWorkflow(json, { credentials: credentials(), staticData });
		expect(run.status).toBe('error');
		expect(run.nodeError('Backfill Stopped')?.message).toMatch(/no report "QA Export"/);
		expect(JSON.stringify(staticData)).not.toMatch(/throughMs/);
	});

	test('low-score coaching with Assembled refusing the key: the run is red with the credential message', async () => {
		const json = readWorkflow('low-score-coaching.json');
		const run = await runWorkflow(json, { credentials: credentials({ apiKey: 'sk_live_revoked_0001' }) });
		expect(run.status).toBe('error');
		expect(run.nodeError('Stop: Coaching Not Scheduled')?.message).toMatch(/API key was rejected by Assembled \(401\)/);
	});
});

/**
 * Queue mode: the run executes on a worker, and main hears only how it ended — its status and
 * error, no run data (n8n 2.40.7 `workflow-runner.js`, the job-finished message) — or nothing, if
 * main restarted meanwhile. The Assembled node notes accepted scores in Redis; the trigger reads them.
 */
describe('queue mode: main hears no run data', () => {
	const redis = redisCoordination();
	let client: Redis;
	beforeEach(async () => {
		client = await redis.coordinate();
	});

	/** What n8n's main process settles a queue-mode emit with: how the run ended, without its items. */
	const asMainHearsIt = (run: IRun): IRun => ({
		...run,
		data: { ...run.data, resultData: { runData: {}, lastNodeExecuted: run.data.resultData.lastNodeExecuted, error: run.data.resultData.error } },
	});

	test('a run that delivered some batches before failing: the next poll sends only what Assembled did not accept', async () => {
		const workflow = scorecard((nodes) => (nodes['Push to Agent Scorecard'].batchSize = 10));
		const staticData: IDataObject = {};
		assembled.schedule('/v0/qa_scores/bulk', Object.fromEntries(Array.from({ length: 40 }, (_, i) => [i + 3, { status: 503, retryAfter: 0 }])));
		const at = Date.now();
		const poll = await pollTrigger(workflow, 'New Evaluations', { credentials: credentials(), staticData });
		const run = await runWorkflow(workflow, { credentials: credentials(), staticData, mode: 'trigger', triggerItems: { node: 'New Evaluations', items: poll.result![0] } });
		expect(run.status).toBe('error');
		await poll.finish!(asMainHearsIt(run.run));
		const acceptedFirst = new Set(assembled.store.keys());
		expect(acceptedFirst.size).toBe(20);

		assembled.schedule('/v0/qa_scores/bulk', {});
		const second = await pollAndRun(workflow, 'New Evaluations', { credentials: credentials(), staticData });
		expect(second.run!.status).toBe('success');
		const resent = second.poll.result![0].map((item) => `five9-aqm-${String(item.json.evaluation_id)}`);
		expect(resent.filter((id) => acceptedFirst.has(id))).toEqual([]);
		for (const evaluation of dayBefore(at)) expect(assembled.receipts.get(`five9-aqm-${evaluation.id}`)).toBe(1);
		expect(assembled.duplicateReceipts).toBe(0);
	});

	test('main restarted while the run was on a worker: what Assembled accepted leaves the in-flight list, nothing is sent again', async () => {
		const workflow = scorecard();
		const staticData: IDataObject = {};
		const poll = await pollTrigger(workflow, 'New Evaluations', { credentials: credentials(), staticData });
		const run = await runWorkflow(workflow, { credentials: credentials(), staticData, mode: 'trigger', triggerItems: { node: 'New Evaluations', items: poll.result![0] } });
		expect(run.status).toBe('success');
		// Main is gone: the emit's promise never settles. The new main reads the saved state.
		const saved = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		const inFlightIds = (state: IDataObject) =>
			Object.values((((state['node:New Evaluations'] as IDataObject)?.inFlight as Record<string, { evaluations: Record<string, unknown> }>) ?? {})).flatMap((emission) =>
				Object.keys(emission.evaluations),
			);
		const emitted = poll.result![0].map((item) => String(item.json.evaluation_id));
		expect(inFlightIds(saved).sort()).toEqual([...emitted].sort());
		const requests = bulkRequests();
		const next = await pollTrigger(workflow, 'New Evaluations', { credentials: credentials(), staticData: saved });
		expect(next.result).toBeNull();
		// Left in flight: only what Assembled never accepted (agents it does not know), which the
		// 6-hour timeout emits again to be reported again; every accepted score is done.
		const accepted = emitted.filter((id) => assembled.store.has(`five9-aqm-${id}`));
		expect(accepted.length).toBeGreaterThan(10);
		expect(inFlightIds(next.staticData as IDataObject).sort()).toEqual(emitted.filter((id) => !accepted.includes(id)).sort());
		expect(bulkRequests()).toBe(requests);
		expect(assembled.duplicateReceipts).toBe(0);
	});

	test('a note of another version, or from before the emission, is not taken for delivered', async () => {
		const workflow = scorecard();
		const staticData: IDataObject = {};
		const poll = await pollTrigger(workflow, 'New Evaluations', { credentials: credentials(), staticData });
		const [first, second] = poll.result![0].map((item) => item.json as unknown as { evaluation_id: string; score: number; max_score: number | null });
		const noteKey = (evaluation: { evaluation_id: string }) => `n8n-nodes-five9-assembled:note:{${deliveryKey(`five9-aqm-${evaluation.evaluation_id}`)}}`;
		// The run failed before its push; what Redis holds is another score, and a note from before the emission.
		await client.set(noteKey(first), deliveryNote(Date.now(), first.score + 1, first.max_score));
		await client.set(noteKey(second), deliveryNote(Date.now() - DAY, second.score, second.max_score));
		const failed = { status: 'error', finished: false, mode: 'trigger', startedAt: new Date(), data: { resultData: { runData: {}, error: { message: 'Assembled down' } } } };
		await poll.finish!(failed as unknown as IRun);
		const next = await pollTrigger(workflow, 'New Evaluations', { credentials: credentials(), staticData });
		const again = next.result![0].map((item) => String(item.json.evaluation_id));
		expect(again).toEqual(expect.arrayContaining([first.evaluation_id, second.evaluation_id]));
		expect(again).toHaveLength(poll.result![0].length);
	});
});
