/**
 * The shipped AQM templates through n8n's engine, with the local Five9 server serving the AQM
 * evaluation report and the local Assembled server receiving scores and activities. Expected
 * results are computed from the evaluation feed and the people list, not read back from the nodes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { AssembledMock } from '../mocks/assembled';
import { Five9Mock } from '../mocks/five9';
import { defaultReports } from '../mocks/five9-data';
import { AQM_REPORT, DEFAULT_EVALUATION_FEED, aqmReport, evaluationsBetween, type EvaluationFeed, type MockEvaluation } from '../mocks/evaluations';
import { configure, pollAndRun, pollTrigger, readWorkflow, runWorkflow, useFile, type WorkflowJson } from '../harness/engine';

const DAY = 86_400_000;
const ASSEMBLED_KEY = 'sk_live_aqm_templates_77e1';
let five9: Five9Mock;
let assembled: AssembledMock;
let scratch: string;

async function startServers(feed?: EvaluationFeed) {
	const reports = feed ? { ...defaultReports({ callSpacingSeconds: 600, digitalSpacingSeconds: 3600 }), [AQM_REPORT]: aqmReport(feed) } : undefined;
	five9 = await new Five9Mock({ runningPolls: 0, reports }).start();
	assembled = await new AssembledMock({ validKeys: [ASSEMBLED_KEY], rateLimit: false }).start();
}

beforeAll(() => {
	scratch = mkdtempSync(path.join(tmpdir(), 'aqm-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(async () => {
	await five9?.stop();
	await assembled?.stop();
});

const credentials = () => ({
	five9Api: five9.credentials(),
	assembledApi: { apiKey: ASSEMBLED_KEY, baseUrl: assembled.url },
});

/** Who Assembled knows: an evaluation's agent by email, or by Five9 id under platforms. */
function assembledEmailFor(evaluation: MockEvaluation): string | undefined {
	const name = evaluation.agent.userName.toLowerCase();
	const person = assembled.people.find(
		(p) => !p.deleted && (p.email?.toLowerCase() === name || p.platforms.five9.toLowerCase() === name),
	);
	return person?.email ?? undefined;
}

describe('aqm-to-assembled-scorecard.json', () => {
	test('Test Run: the last day of evaluations lands on the scorecard; unknown agents are listed by name', async () => {
		await startServers();
		const started = Date.now();
		const run = await runWorkflow(readWorkflow('aqm-to-assembled-scorecard.json'), { credentials: credentials() });
		expect(run.status).toBe('success');
		const read = run.json('Evaluations of the Last Day');
		// Every evaluation of the day, and no other (the window is the last 24 hours up to the run).
		const expected = evaluationsBetween(DEFAULT_EVALUATION_FEED, started - DAY, Date.now());
		const readIds = new Set(read.map((e) => e.evaluation_id));
		for (const e of expected.slice(1, -1)) expect(readIds.has(e.id)).toBe(true);
		const known = read.filter((e) => {
			const source = expected.find((x) => x.id === e.evaluation_id);
			return source && assembledEmailFor(source);
		});
		expect(assembled.store.size).toBe(known.length);
		for (const e of known) {
			const source = expected.find((x) => x.id === e.evaluation_id)!;
			const stored = assembled.store.get(`five9-aqm-${source.id}`)!;
			expect(stored).toMatchObject({
				agent_email: assembledEmailFor(source),
				score: source.score,
				max_score: source.maxScore,
				ticket_created_at: Math.floor(source.interaction.startedOn / 1000),
				graded_at: Math.floor(source.evaluatedOn / 1000),
				platform: 'five9',
			});
		}
		const [summary] = run.json('Problems Summary');
		expect(summary.unknown_agents).toEqual(['Temp Agent']);
		expect(summary.unknown_agent_scores).toBe(read.length - known.length);
		expect(summary.rows_reported).toBe(read.length - known.length);
		expect(assembled.duplicateReceipts).toBe(0);
	});

	test('the trigger emits each evaluation exactly once across overlapping polls, and a failed poll changes nothing', async () => {
		// An evaluation every 1.5 s, so new ones appear between polls.
		const feed: EvaluationFeed = { ...DEFAULT_EVALUATION_FEED, everyMs: 1500 };
		await startServers(feed);
		const workflow = readWorkflow('aqm-to-assembled-scorecard.json');
		const staticData: IDataObject = {};
		const poll = () => pollTrigger(workflow, 'New Evaluations', { credentials: credentials(), staticData });
		const emitted: string[] = [];
		expect((await poll()).result).toBeNull();
		const activatedAt = (staticData['node:New Evaluations'] as { floor: number }).floor;
		let lastPollStarted = 0;
		for (let round = 0; round < 3; round++) {
			await new Promise((resolve) => setTimeout(resolve, 1700));
			lastPollStarted = Date.now();
			const { poll: polled, run } = await pollAndRun(workflow, 'New Evaluations', { credentials: credentials(), staticData });
			emitted.push(...(polled.result?.[0] ?? []).map((item) => item.json.evaluation_id as string));
			if (run) expect(run.status).toBe('success');
			if (round === 1) {
				const before = JSON.stringify(staticData);
				five9.inject({ operation: 'runReport', fault: 'AccessDisallowedFault', times: 1 });
				await expect(poll()).rejects.toThrow(/AccessDisallowed|Execute Web API|reporting/i);
				expect(JSON.stringify(staticData)).toBe(before);
			}
		}
		expect(new Set(emitted).size).toBe(emitted.length);
		// Everything evaluated between activation and the last poll, each once. Report times have
		// whole seconds, so the last second before a poll is left to the next poll's overlap.
		const expected = evaluationsBetween(feed, activatedAt + 1000, lastPollStarted - 1000).map((e) => e.id);
		expect(expected.length).toBeGreaterThanOrEqual(2);
		for (const id of expected) expect(emitted).toContain(id);
		expect(assembled.duplicateReceipts).toBe(0);
	});
});

describe('aqm-csv-import.json', () => {
	test('an AQM export file: readable rows pushed, unreadable rows and unknown agents reported', async () => {
		await startServers();
		const file = path.resolve(__dirname, '../../workflows/samples/aqm-evaluations.csv');
		const json = useFile(readWorkflow('aqm-csv-import.json'), file);
		const run = await runWorkflow(json, { credentials: credentials() });
		expect(run.status).toBe('success');
		const fix = run.json('Evaluations from File', 1);
		expect(run.json('Rows to Fix')[0].unreadable_rows).toBe(2);
		expect(fix.map((row) => (row.details as IDataObject).row && ((row.details as IDataObject).row as IDataObject)['EVALUATION ID']).sort()).toEqual(['ev-bad-date', 'ev-bad-score']);
		expect(fix.find((r) => JSON.stringify(r).includes('ev-bad-score'))!.error).toMatch(/score is not a number/);
		const read = run.json('Evaluations from File');
		expect(read.length + fix.length).toBe(14);
		const knownCount = read.filter((e) => e.agent_name !== 'Temp Agent').length;
		expect(assembled.store.size).toBe(knownCount);
		expect(run.json('Problems Summary')[0].unknown_agents).toEqual(['Temp Agent']);
		// Times in the file are Los Angeles wall-clock times: "Mon, 02 Nov 2026 00:00:00" is 08:00 UTC.
		const first = read.find((e) => e.evaluation_id === 'ev-5c7s')!;
		expect(first.evaluated_at).toBe('2026-11-02T08:00:00.000Z');
	});
});

describe('low-score-coaching.json', () => {
	const lowScores = () => {
		const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
		return evaluationsBetween(DEFAULT_EVALUATION_FEED, today - DAY, today).filter((e) => e.scorePercent < 70);
	};

	test('dry run by default: sessions are shown, none created', async () => {
		await startServers();
		const run = await runWorkflow(readWorkflow('low-score-coaching.json'), { credentials: credentials() });
		expect(run.status).toBe('success');
		const shown = run.json('Coaching Scheduled');
		expect(shown.every((s) => s.status === 'dryRun')).toBe(true);
		expect(shown.length).toBe(lowScores().filter((e) => assembledEmailFor(e)).length);
		expect(assembled.activities.size).toBe(0);
	});

	test('turned on: one coaching session per low score, none twice on a re-run', async () => {
		await startServers();
		const json = configure(readWorkflow('low-score-coaching.json'), 'Configuration', (parameters) => {
			const assignments = (parameters.assignments as { assignments: { name: string; value: unknown }[] }).assignments;
			assignments.find((a) => a.name === 'dryRun')!.value = false;
		});
		const run = await runWorkflow(json, { credentials: credentials() });
		expect(run.status).toBe('success');
		const low = lowScores();
		const expected = low.filter((e) => assembledEmailFor(e));
		expect(assembled.activities.size).toBe(expected.length);
		const notFound = low.length - expected.length;
		if (notFound > 0) expect(run.json('Agents Not Found')[0].agents_not_found).toBe(notFound);
		else expect(run.ran('Agents Not Found')).toBe(false);
		for (const activity of assembled.activities.values()) expect(activity.description).toMatch(/^QA follow-up: evaluation ev-/);
		const again = await runWorkflow(json, { credentials: credentials() });
		expect(again.json('Coaching Scheduled').every((s) => s.status === 'exists')).toBe(true);
		expect(assembled.activities.size).toBe(expected.length);
	});
});

describe('aqm-backfill.json', () => {
	test('walks days with a checkpoint; a stopped run resumes without re-reading finished days', async () => {
		await startServers();
		const json = (): WorkflowJson =>
			configure(readWorkflow('aqm-backfill.json'), 'Configuration', (parameters) => {
				const assignments = (parameters.assignments as { assignments: { name: string; value: unknown }[] }).assignments;
				assignments.find((a) => a.name === 'from')!.value = '2026-11-01';
				assignments.find((a) => a.name === 'to')!.value = '2026-11-06';
				assignments.find((a) => a.name === 'daysPerRun')!.value = 2;
			});
		const staticData: IDataObject = {};
		const first = await runWorkflow(json(), { credentials: credentials(), staticData });
		expect(first.status).toBe('success');
		const afterFirst = assembled.store.size;
		expect(afterFirst).toBeGreaterThan(0);
		const runsAfterFirst = five9.requests.filter((r) => r.operation === 'runReport').length;
		expect(runsAfterFirst).toBe(2);
		// The second run stops: Assembled fails, so its days are not marked done.
		assembled.inject({ status: 503, times: 50, retryAfter: 0 });
		const second = await runWorkflow(json(), { credentials: credentials(), staticData });
		expect(second.status).toBe('error');
		assembled.clear();
		five9.requests.length = 0;
		const third = await runWorkflow(json(), { credentials: credentials(), staticData });
		const fourth = await runWorkflow(json(), { credentials: credentials(), staticData });
		expect(third.status).toBe('success');
		expect(fourth.status).toBe('success');
		// Days 3–5 were read once each after the failure, days 1–2 never again.
		expect(five9.requests.filter((r) => r.operation === 'runReport')).toHaveLength(3);
		const expectedIds = evaluationsBetween(DEFAULT_EVALUATION_FEED, Date.parse('2026-11-03T08:00:00Z'), Date.parse('2026-11-06T08:00:00Z'))
			.filter((e) => assembledEmailFor(e))
			.map((e) => `five9-aqm-${e.id}`)
			.sort();
		expect([...assembled.store.keys()].sort()).toEqual(expectedIds);
	});
});
