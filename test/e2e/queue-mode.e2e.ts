/**
 * End to end in n8n's queue mode: one main, two workers, Redis and Postgres (test/e2e/queue.ts),
 * with the packed package installed once in the user folder they share. Credentials and workflows
 * are created through main's REST API; manual runs are offloaded to the workers, and each worker's
 * log tells which one ran an execution. One cluster serves every test of this file.
 *
 * Each worker takes one execution at a time, so two runs started together land on different
 * workers. The scenarios: the scorecard trigger active while the AQM backfill and a 20,000-score
 * CSV import push with the same Assembled key (one rate budget across workers), two report runs of
 * one Five9 user on two workers (one session), and main killed while the trigger polls (every
 * evaluation emitted once). Outcomes are read from the local servers, never from the nodes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import Redis from 'ioredis';

import { dateIn, midnightIn } from '../harness/five9';
import { AssembledMock, makePeople } from '../mocks/assembled';
import { AQM_REPORT, DEFAULT_EVALUATION_FEED, aqmReport, evaluationRow, evaluationsBetween, type MockEvaluation } from '../mocks/evaluations';
import { Five9Mock } from '../mocks/five9';
import { callFacts, five9Timestamp, gridIndexes } from '../mocks/five9-data';
import { ROOT, provision, type ExecutionOutput } from './n8n';
import { QueueCluster } from './queue';

const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name as string;
const OWNER = { email: 'e2e-owner@example.com', password: 'E2e-owner-Passw0rd!' };
const ASSEMBLED_KEY = 'sk_live_e2e_queue_key_8d2e41';
/** Assembled's documented limit, kept exactly by the local server. */
const LIMIT = { perMinute: 300, burst: 20 };
const CALL_SPACING = 600;
const RESULTS = path.join(ROOT, 'test-results', 'e2e');
const MANUAL_TRIGGER = { id: 'manual', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

interface NewNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

/** A workflow as the editor saves a new one: a Manual Trigger, then the given nodes in a row. */
function newWorkflow(name: string, nodes: NewNode[]) {
	const chain = [MANUAL_TRIGGER, ...nodes.map((node, index) => ({ id: `node${index}`, position: [240 * (index + 1), 0], ...node }))];
	const connections = Object.fromEntries(chain.slice(0, -1).map((node, index) => [node.name, { main: [[{ node: chain[index + 1].name, type: 'main', index: 0 }]] }]));
	return { name, nodes: chain, connections, settings: { executionOrder: 'v1' } };
}

const runData = (output: ExecutionOutput, node: string, index = 0) =>
	output.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[index]?.map((item) => item.json) ?? [];

let cluster: QueueCluster;
let assembled: AssembledMock;
let five9: Five9Mock;
let assembledCredential: Record<string, { id: string; name: string }>;
let five9Credential: Record<string, { id: string; name: string }>;

/** Runs a check and, when it fails, adds the end of every n8n log to its message. */
async function withLogs<T>(check: () => Promise<T>): Promise<T> {
	try {
		return await check();
	} catch (error) {
		(error as Error).message += `\n${cluster.logTail()}`;
		throw error;
	}
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, everyMs = 500): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

interface TemplateNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}
interface Template {
	[key: string]: unknown;
	name: string;
	nodes: TemplateNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

/** A shipped template as a user imports it, its credentials pointed at this n8n's. */
function template(file: string): Template {
	const workflow = JSON.parse(readFileSync(path.join(ROOT, 'workflows', file), 'utf8')) as Template & { id?: string; active?: boolean };
	for (const node of workflow.nodes) {
		if (node.credentials?.assembledApi) node.credentials = { ...node.credentials, ...assembledCredential };
		if (node.credentials?.five9Api) node.credentials = { ...node.credentials, ...five9Credential };
	}
	return { name: `${workflow.name} (queue mode)`, nodes: workflow.nodes, connections: workflow.connections, settings: workflow.settings };
}

const nodeNamed = (workflow: Template, name: string) => {
	const node = workflow.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`${workflow.name} has no node ${name}`);
	return node;
};

function setConfiguration(workflow: Template, values: Record<string, unknown>) {
	const assignments = (nodeNamed(workflow, 'Configuration').parameters.assignments as { assignments: { name: string; value: unknown }[] }).assignments;
	for (const [name, value] of Object.entries(values)) {
		const assignment = assignments.find((a) => a.name === name);
		if (!assignment) throw new Error(`Configuration has no ${name}`);
		assignment.value = value;
	}
}

/** Evaluations whose agent Assembled knows (by email or Five9 user name): the ones that get pushed. */
function knownToAssembled(evaluation: MockEvaluation): boolean {
	const name = evaluation.agent.userName.toLowerCase();
	return assembled.people.some((p) => !p.deleted && (p.email?.toLowerCase() === name || p.platforms.five9.toLowerCase() === name));
}

const bulkRequests = () => assembled.requests.filter((request) => request.path === '/v0/qa_scores/bulk');

/** The scorecard, active all along: polls every minute; its first poll pushes the day before. */
let scorecardId = '';

beforeAll(async () => {
	// One execution per worker at a time: runs started together go to different workers.
	cluster = new QueueCluster(provision(), {
		concurrency: 1,
	});
	assembled = await new AssembledMock({ validKeys: [ASSEMBLED_KEY], rateLimit: LIMIT }).start();
	// Latency makes overlapping requests of one Five9 user really overlap, were they not kept apart.
	five9 = await new Five9Mock({ runningPolls: 1, callSpacingSeconds: CALL_SPACING, latencyMs: 15 }).start();
	cluster.n8n.installPackage();
	const timings = await cluster.start(OWNER);
	// CI time matters: the log shows what the cluster cost.
	console.log(`queue mode ready in ${timings.total} ms: ${JSON.stringify(timings)}`);
	const assembledId = await cluster.rest.createCredential('Assembled account', 'assembledApi', { apiKey: ASSEMBLED_KEY, baseUrl: assembled.url, apiVersion: '2019-06-20' });
	assembledCredential = { assembledApi: { id: assembledId, name: 'Assembled account' } };
	const five9Id = await cluster.rest.createCredential('Five9 account', 'five9Api', five9.credentials());
	five9Credential = { five9Api: { id: five9Id, name: 'Five9 account' } };
}, 10 * 60_000);

afterAll(async () => {
	await cluster?.stop();
	await assembled?.stop();
	await five9?.stop();
});

describe('queue mode: main and two workers', () => {
	test('a manual run of an Assembled node runs on a worker, not on main, each of two times', async () => {
		assembled.clear();
		await withLogs(async () => {
			const id = await cluster.rest.createWorkflow(
				newWorkflow('Queue smoke: Assembled people', [
					{ name: 'Assembled', type: `${PACKAGE}.assembled`, typeVersion: 1.1, parameters: { resource: 'person', operation: 'getMany', returnAll: true }, credentials: assembledCredential },
				]),
			);
			const people = makePeople(12).filter((person) => !person.deleted);
			for (const round of [1, 2]) {
				const run = await cluster.rest.runManually(id, 'Manual Trigger');
				expect({ round, status: run.status, error: run.output.data?.resultData?.error }).toEqual({ round, status: 'success', error: undefined });
				expect(runData(run.output, 'Assembled').map((person) => person.id).sort()).toEqual(people.map((person) => person.id).sort());
				// Main put it on the queue; a worker took it from there.
				expect(cluster.log('main')).toMatch(new RegExp(`Enqueued execution ${run.id} \\(job`));
				expect(cluster.workerNames).toContain(await cluster.workerOf(run.id));
			}
		});
	}, 5 * 60_000);

	test('(1) the scorecard trigger active while the AQM backfill and a 20,000-evaluation CSV import push on two workers with one Assembled key: every score once, no 429, at the rate floor', async () => {
		await withLogs(async () => {
			assembled.clear();
			five9.clear();
			const now = Date.now();
			const timeZone = five9.timeZone;

			// The CSV import: an AQM export of 20,000 evaluations, one a minute from 40 days ago.
			const exportFeed = { agents: DEFAULT_EVALUATION_FEED.agents, everyMs: 60_000 };
			const exportFrom = Math.ceil((now - 40 * 86_400_000) / exportFeed.everyMs) * exportFeed.everyMs;
			const exported = evaluationsBetween(exportFeed, exportFrom, exportFrom + 20_000 * exportFeed.everyMs);
			expect(exported).toHaveLength(20_000);
			const header = Object.keys(evaluationRow(exported[0], () => ''));
			const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
			const csvRows = exported.map((e) => evaluationRow(e, (ms) => five9Timestamp(ms, timeZone)));
			writeFileSync(
				path.join(cluster.n8n.filesFolder, 'aqm-export-20000.csv'),
				[header.join(','), ...csvRows.map((row) => header.map((column) => cell(row[column])).join(','))].join('\r\n'),
			);
			const csvImport = template('aqm-csv-import.json');
			setConfiguration(csvImport, { filesFolder: cluster.n8n.filesFolder, fileName: 'aqm-export-20000.csv', dryRun: false, fileTimeZone: timeZone });
			// Batches of 100: 200 requests, so the push is paced by the budget, not by reading the file.
			nodeNamed(csvImport, 'Push to Agent Scorecard').parameters.batchSize = 100;

			// The AQM backfill: twelve days that end three days ago, out of the trigger's reach.
			const from = dateIn(now - 15 * 86_400_000, timeZone);
			const to = dateIn(now - 3 * 86_400_000, timeZone);
			const backfill = template('aqm-backfill.json');
			setConfiguration(backfill, { from, to, daysPerRun: 31 });
			nodeNamed(backfill, 'Push to Agent Scorecard').parameters.batchSize = 100;

			const scorecard = template('aqm-to-assembled-scorecard.json');
			const trigger = nodeNamed(scorecard, 'New Evaluations');
			trigger.parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
			trigger.parameters.options = { overlapMinutes: 60, backfillDays: 1, rescanDays: 3 };
			nodeNamed(scorecard, 'Push to Agent Scorecard').parameters.batchSize = 100;

			const [csvId, backfillId] = [await cluster.rest.createWorkflow(csvImport), await cluster.rest.createWorkflow(backfill)];
			scorecardId = await cluster.rest.createWorkflow(scorecard);

			// The trigger's first poll pushes the day before activation on a worker.
			const activatedAt = Date.now();
			await cluster.n8n.activate(scorecardId, OWNER);
			const first = await waitFor('the scorecard’s first run', async () => (await cluster.n8n.executions(scorecardId, OWNER)).find((e) => !['new', 'running'].includes(e.status)), 180_000);
			expect(first.status).toBe('success');
			const day = evaluationsBetween(DEFAULT_EVALUATION_FEED, activatedAt - 86_400_000 + 180_000, activatedAt - 5_000).filter(knownToAssembled);
			expect(day.length).toBeGreaterThan(10);

			// The import starts; once its first batch is in, the backfill starts on the other worker.
			const pushFrom = Date.now();
			const csvRun = cluster.rest.runManually(csvId, 'Start', 600_000);
			const exportedIds = new Set(exported.map((e) => `five9-aqm-${e.id}`));
			await waitFor('the import’s first batch', () => [...assembled.receipts.keys()].some((id) => exportedIds.has(id)), 180_000, 50);
			const backfillRun = cluster.rest.runManually(backfillId, 'Run Now', 600_000);
			const [csvDone, backfillDone] = await Promise.all([csvRun, backfillRun]);
			expect({ csv: csvDone.status, backfill: backfillDone.status }).toEqual({ csv: 'success', backfill: 'success' });
			const [csvWorker, backfillWorker] = [await cluster.workerOf(csvDone.id), await cluster.workerOf(backfillDone.id)];
			expect(cluster.workerNames).toContain(csvWorker);
			expect(cluster.workerNames).toContain(backfillWorker);
			expect(csvWorker).not.toBe(backfillWorker);

			// What each source had to deliver, from the sources themselves: the generated rows, the
			// report windows the backfill asked Five9 for (whole days, from → to) and the feed in them.
			const backfillWindows = five9.reportWindows
				.filter((w) => w.key === AQM_REPORT && Date.parse(w.end) <= midnightIn(to, timeZone))
				.map((w) => ({ startMs: Date.parse(w.start), endMs: Date.parse(w.end) }))
				.sort((a, b) => a.startMs - b.startMs);
			expect(backfillWindows[0].startMs).toBe(midnightIn(from, timeZone));
			expect(backfillWindows[backfillWindows.length - 1].endMs).toBe(midnightIn(to, timeZone));
			for (let i = 1; i < backfillWindows.length; i++) expect(backfillWindows[i].startMs).toBe(backfillWindows[i - 1].endMs);
			const backfilled = backfillWindows.flatMap((w) => evaluationsBetween(DEFAULT_EVALUATION_FEED, w.startMs, w.endMs)).filter(knownToAssembled);
			expect(backfilled.length).toBeGreaterThan(500);

			const expected = new Map<string, number>([...exported.filter(knownToAssembled), ...backfilled, ...day].map((e) => [`five9-aqm-${e.id}`, e.score] as [string, number]));
			expect(expected.size).toBeGreaterThan(18_000);
			for (const [importedId, score] of expected) {
				expect({ importedId, receipts: assembled.receipts.get(importedId), score: assembled.store.get(importedId)?.score }).toEqual({ importedId, receipts: 1, score });
			}
			// The workers shared the budget through n8n's Redis, under the credential's hash, and noted
			// every accepted score there for the trigger.
			const redis = new Redis({ host: '127.0.0.1', port: Number(cluster.redisEnv().QUEUE_BULL_REDIS_PORT), password: cluster.redisPassword });
			try {
				const rateKeys = await redis.keys('n8n-nodes-five9-assembled:rate:*');
				expect(rateKeys).toHaveLength(1);
				expect(rateKeys[0]).not.toContain(ASSEMBLED_KEY.slice(0, 12));
				expect((await redis.keys('n8n-nodes-five9-assembled:note:*')).length).toBe(assembled.receipts.size);
			} finally {
				redis.disconnect();
			}
			// Nothing arrived twice, whatever it was; and Assembled never had to refuse a request.
			expect(assembled.duplicateReceipts).toBe(0);
			const refused = assembled.countRequests({ status: 429 });
			expect(refused).toBe(0);

			// The push phase: every bulk request from the import's first to the last of either run,
			// against the floor of the budget for that many requests.
			const phase = bulkRequests().filter((request) => request.at >= pushFrom);
			const phaseMs = Math.max(...phase.map((r) => r.at)) - Math.min(...phase.map((r) => r.at));
			const floorMs = (Math.max(0, phase.length - LIMIT.burst) * 60_000) / LIMIT.perMinute;
			const measured = {
				requests: phase.length,
				refused429: refused,
				phaseSeconds: phaseMs / 1000,
				floorSeconds: floorMs / 1000,
				ratioToFloor: Math.round((phaseMs / floorMs) * 1000) / 1000,
				scores: expected.size,
				workers: { csvImport: csvWorker, backfill: backfillWorker, scorecardFirstRun: await cluster.workerOf(first.id) },
				// Where the import's time went on its worker, node by node (ms).
				csvImportNodes: Object.fromEntries(
					Object.entries(csvDone.output.data?.resultData?.runData ?? {}).map(([node, runs]) => [node, (runs[0] as { executionTime?: number }).executionTime]),
				),
			};
			console.log(`queue mode push phase: ${JSON.stringify(measured)}`);
			mkdirSync(RESULTS, { recursive: true });
			writeFileSync(path.join(RESULTS, 'queue-mode-push.json'), JSON.stringify(measured, null, 2));
			// Far more requests than one burst, or the floor would say nothing.
			expect(phase.length).toBeGreaterThan(150);
		});
	}, 15 * 60_000);

	test('(2) two report runs of one Five9 user on two workers at once: both complete, Five9 never sees two requests of the user at a time', async () => {
		await withLogs(async () => {
			five9.clear();
			const start = dateIn(Date.now() - 6 * 86_400_000, five9.timeZone);
			const end = dateIn(Date.now() - 2 * 86_400_000, five9.timeZone);
			const report = (name: string) =>
				newWorkflow(name, [
					{
						name: 'Call Log',
						type: `${PACKAGE}.five9`,
						typeVersion: 1.2,
						parameters: { resource: 'report', operation: 'run', folderName: 'Call Log Reports', reportName: 'Call Log', range: 'custom', start, end },
						credentials: five9Credential,
					},
				]);
			const ids = [await cluster.rest.createWorkflow(report('Call log A (queue mode)')), await cluster.rest.createWorkflow(report('Call log B (queue mode)'))];
			const runs = await Promise.all(ids.map((id) => cluster.rest.runManually(id, 'Manual Trigger', 300_000)));
			const workers = await Promise.all(runs.map((run) => cluster.workerOf(run.id)));
			expect(new Set(workers).size).toBe(2);
			// Every call of the days, once, in each run: from the local Five9's own grid.
			const expectedCalls = [...new Set([{ startMs: midnightIn(start, five9.timeZone), endMs: midnightIn(end, five9.timeZone) }].flatMap((w) => gridIndexes(w, CALL_SPACING)))]
				.map((k) => callFacts(k, CALL_SPACING).callId)
				.sort();
			for (const run of runs) {
				expect(run.status).toBe('success');
				expect(runData(run.output, 'Call Log').map((item) => String(item['CALL ID'])).sort()).toEqual(expectedCalls);
			}
			expect(five9.maxInFlight).toBe(1);
			expect(five9.requests.filter((request) => request.fault)).toEqual([]);
		});
	}, 10 * 60_000);

	test('(3) main killed while the trigger polls: after the restart every new evaluation is pushed once, and nothing sent before is sent again', async () => {
		await withLogs(async () => {
			expect(scorecardId).not.toBe('');
			const receiptsBefore = new Map(assembled.receipts);
			// New evaluations appear in Five9 (one every 10 s over three minutes) beside the usual feed.
			const appearedTo = Date.now() - 30_000;
			const appearedFrom = appearedTo - 3 * 60_000;
			const extraFeed = { agents: DEFAULT_EVALUATION_FEED.agents, everyMs: 10_000 };
			const extras = evaluationsBetween(extraFeed, appearedFrom, appearedTo);
			const newOnes = extras.filter(knownToAssembled);
			expect(newOnes.length).toBeGreaterThan(10);
			const original = five9.reports[AQM_REPORT];
			const extraReport = aqmReport(extraFeed);
			five9.reports[AQM_REPORT] = (window, context) => {
				const data = original(window, context);
				const startMs = Math.max(window.startMs, appearedFrom);
				const endMs = Math.min(window.endMs, appearedTo);
				if (startMs < endMs) data.rows.push(...extraReport({ startMs, endMs }, context).rows);
				return data;
			};
			// The trigger's next poll is held at Five9 (as a slow report would be) …
			let heldAt = 0;
			five9.inject({
				operation: 'runReport',
				delayMs: 10_000,
				match: (request) => {
					if (request.params.reportName !== 'AQM Evaluations') return false;
					heldAt = Date.now();
					return true;
				},
			});
			await waitFor('the trigger’s next poll', () => heldAt > 0, 90_000, 100);
			// … and main dies in the middle of it.
			const restartMs = await cluster.restartMain({ signal: 'SIGKILL' });
			console.log(`main killed mid-poll and back in ${restartMs} ms`);
			await waitFor('every new evaluation in Assembled', () => newOnes.every((e) => assembled.receipts.has(`five9-aqm-${e.id}`)), 180_000);
			// The run finishes and a later poll (deactivating and activating polls at once) finds nothing new.
			await waitFor('no run in progress', async () => (await cluster.n8n.executions(scorecardId, OWNER)).every((e) => !['new', 'running'].includes(e.status)), 120_000);
			const pollsBefore = five9.calls('runReport').length;
			await cluster.n8n.deactivate(scorecardId, OWNER);
			await cluster.n8n.activate(scorecardId, OWNER);
			// n8n activates in the background; its first poll asks Five9 for the report.
			await waitFor('the poll at activation', () => five9.calls('runReport').length > pollsBefore, 90_000, 200);
			await new Promise((resolve) => setTimeout(resolve, 5_000));
			await waitFor('no run in progress', async () => (await cluster.n8n.executions(scorecardId, OWNER)).every((e) => !['new', 'running'].includes(e.status)), 120_000);
			await cluster.n8n.deactivate(scorecardId, OWNER);
			five9.reports[AQM_REPORT] = original;

			for (const e of newOnes) {
				expect({ id: e.id, receipts: assembled.receipts.get(`five9-aqm-${e.id}`), score: assembled.store.get(`five9-aqm-${e.id}`)?.score }).toEqual({ id: e.id, receipts: 1, score: e.score });
			}
			for (const [importedId, count] of receiptsBefore) expect({ importedId, receipts: assembled.receipts.get(importedId) }).toEqual({ importedId, receipts: count });
			const unexpected = [...assembled.receipts.keys()].filter((id) => !receiptsBefore.has(id) && !newOnes.some((e) => id === `five9-aqm-${e.id}`));
			expect(unexpected).toEqual([]);
			expect(cluster.log('mains')).toContain('--- main restarted ---');
		});
	}, 10 * 60_000);
});
