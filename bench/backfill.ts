/**
 * A Call Log backfill through the shipped template `workflows/five9-call-log-backfill-to-files.json`,
 * run by n8n's engine against the local Five9 server, executions repeated (as its schedule would)
 * until the checkpoint reaches the end. Prints the report runs the server received next to the
 * one-run-per-day baseline and the lower bound ceil(rows / cap), and checks every file against the
 * generator's calls: rows lost, duplicated or extra.
 *
 *   npx tsx bench/backfill.ts [highVolumeDays]      (or npm run bench:backfill)
 *
 * Low volume: 300 calls a day for two years. High volume: 38,400 calls a day (one every 2.25 s) for
 * `highVolumeDays` (default 30): two years of it are 28 million rows, hours on a 2-core machine.
 * The row cap is Five9's default, 50,000, in the server and the node.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { IDataObject } from 'n8n-workflow';
import { tmpdir } from 'node:os';
import path from 'node:path';

const userFolder = mkdtempSync(path.join(tmpdir(), 'backfill-bench-'));
process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_LOG_LEVEL = 'silent';
// The template writes its day files; n8n lets nodes write only where this allows.
process.env.N8N_RESTRICT_FILE_ACCESS_TO = tmpdir();

const ZONE = 'America/Los_Angeles';
const CAP = 50_000;
const TEMPLATE = 'five9-call-log-backfill-to-files.json';

/** Midnight starting `date` (YYYY-MM-DD) in `zone`, from Intl's offset (not the node's time code). */
function midnightIn(date: string, zone: string): number {
	const [y, m, d] = date.split('-').map(Number);
	const naive = Date.UTC(y, m - 1, d);
	let guess = naive;
	for (let i = 0; i < 3; i++) {
		const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
			.formatToParts(new Date(guess))
			.find((part) => part.type === 'timeZoneName')!.value;
		const match = /GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(name)!;
		const offset = match[1] ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000 : 0;
		guess = naive - offset;
	}
	return guess;
}

const nextDate = (date: string) => new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

interface Scenario {
	label: string;
	spacingSeconds: number;
	from: string;
	to: string;
	daysPerRun: number;
	/** The template's Adaptive Windows option (on as shipped); off measures one run per day. */
	adaptive?: boolean;
}

interface Result {
	days: number;
	rows: number;
	reportRuns: number;
	executions: number;
	stored: number;
	lost: number;
	duplicated: number;
	extra: number;
	seconds: number;
}

async function runScenario(scenario: Scenario): Promise<Result> {
	const { Five9Mock, callFacts, configure, gridIndexes, readWorkflow, runWorkflow, setConfiguration } = await import('../test/harness');
	const { parse } = await import('csv-parse/sync');
	const folder = mkdtempSync(path.join(tmpdir(), 'backfill-files-'));
	const mock = await new Five9Mock({ callSpacingSeconds: scenario.spacingSeconds, csvCap: CAP, runningPolls: 0, csvCacheSize: 0 }).start();
	try {
		const days: Array<{ date: string; startMs: number; endMs: number }> = [];
		for (let date = scenario.from; date < scenario.to; date = nextDate(date)) {
			days.push({ date, startMs: midnightIn(date, ZONE), endMs: midnightIn(nextDate(date), ZONE) });
		}
		const end = days[days.length - 1].endMs;
		// The template as shipped; only its Configuration node, the one its notes say to edit, is set.
		const workflow = setConfiguration(readWorkflow(TEMPLATE), {
			filesFolder: folder,
			from: scenario.from,
			to: scenario.to,
			daysPerRun: scenario.daysPerRun,
		});
		if (scenario.adaptive === false) {
			configure(workflow, 'Next Backfill Days', (parameters) => ((parameters.options as IDataObject).adaptiveWindows = false));
		}
		const staticData: IDataObject = {};
		const checkpoint = () =>
			((staticData.global as Record<string, unknown> | undefined)?.five9Checkpoints as Record<string, { throughMs?: number }> | undefined)?.[
				'call-log-backfill'
			]?.throughMs;
		const started = performance.now();
		let executions = 0;
		let reportRuns = 0;
		while (checkpoint() !== end) {
			executions += 1;
			if (executions > days.length + 2) throw new Error('the backfill does not advance');
			const run = await runWorkflow(workflow, { credentials: { five9Api: mock.credentials() }, staticData });
			if (run.error) throw run.error;
			reportRuns += mock.calls('runReport').length;
			// The server's request log and runs would grow with every execution.
			mock.requests.length = 0;
			mock.runs.clear();
		}
		const seconds = (performance.now() - started) / 1000;

		// Every file against the generator: the calls of its day, each once.
		let rows = 0;
		let stored = 0;
		let lost = 0;
		let duplicated = 0;
		let extra = 0;
		const files = new Set(readdirSync(folder));
		for (const day of days) {
			const expected = new Set(gridIndexes(day, scenario.spacingSeconds).map((k) => callFacts(k, scenario.spacingSeconds).callId));
			rows += expected.size;
			const name = `call-log-${day.date}.csv`;
			if (!files.has(name)) {
				lost += expected.size;
				continue;
			}
			const records = parse(readFileSync(path.join(folder, name)), { bom: true }) as string[][];
			const seen = new Set<string>();
			for (const record of records.slice(1)) {
				stored += 1;
				const id = record[0];
				if (seen.has(id)) duplicated += 1;
				else if (!expected.has(id)) extra += 1;
				seen.add(id);
			}
			for (const id of expected) if (!seen.has(id)) lost += 1;
		}
		return { days: days.length, rows, reportRuns, executions, stored, lost, duplicated, extra, seconds };
	} finally {
		await mock.stop();
		rmSync(folder, { recursive: true, force: true });
	}
}

function report(scenario: Scenario, result: Result, goal: { label: string; limit: number; of: 'lowerBound' | 'baseline' }): string {
	const lowerBound = Math.ceil(result.rows / CAP);
	const baseline = result.days;
	const reference = goal.of === 'lowerBound' ? lowerBound : baseline;
	const ratio = result.reportRuns / reference;
	const n = (value: number) => value.toLocaleString('en-US');
	return [
		`${scenario.label}: ${scenario.from} → ${scenario.to} (${n(result.days)} days), ${n(result.rows)} calls generated, daysPerRun ${scenario.daysPerRun} → ${n(result.executions)} executions, ${result.seconds.toFixed(1)} s`,
		`  report runs ${n(result.reportRuns)}; one run per day ${n(baseline)}; lower bound ceil(rows / ${n(CAP)}) = ${n(lowerBound)}`,
		`  runs / lower bound ${(result.reportRuns / lowerBound).toFixed(2)}, runs / day baseline ${(result.reportRuns / baseline).toFixed(3)}; goal ${goal.label}: ${ratio <= goal.limit ? 'met' : 'NOT met'}`,
		`  rows stored ${n(result.stored)} of ${n(result.rows)}: ${n(result.lost)} lost, ${n(result.duplicated)} duplicated, ${n(result.extra)} not generated`,
	].join('\n');
}

async function main() {
	const highDays = Number(process.argv[2] ?? 30);
	const highTo = new Date(Date.parse('2023-03-01T12:00:00Z') + highDays * 86_400_000).toISOString().slice(0, 10);
	console.log(`Backfill through ${TEMPLATE} (n8n engine, local Five9 server, report zone ${ZONE}, row cap ${CAP.toLocaleString('en-US')})`);
	const scenarios: Array<[Scenario, { label: string; limit: number; of: 'lowerBound' | 'baseline' }]> = [
		// The reference, measured: the template with Adaptive Windows off, one report run per day.
		[{ label: 'low volume, one run per day (Adaptive Windows off)', spacingSeconds: 288, from: '2022-01-01', to: '2024-01-01', daysPerRun: 730, adaptive: false }, { label: '= day baseline', limit: 1, of: 'baseline' }],
		// The whole range in one execution: how few runs the windows need.
		[{ label: 'low volume, all days in one execution', spacingSeconds: 288, from: '2022-01-01', to: '2024-01-01', daysPerRun: 730 }, { label: '≤ 1.5 × lower bound', limit: 1.5, of: 'lowerBound' }],
		// As shipped: 7 days per execution bound the runs from below (one per execution).
		[{ label: 'low volume, template as shipped (7 days per execution)', spacingSeconds: 288, from: '2022-01-01', to: '2024-01-01', daysPerRun: 7 }, { label: '≤ day baseline', limit: 1, of: 'baseline' }],
		[{ label: 'high volume, template as shipped (7 days per execution)', spacingSeconds: 2.25, from: '2023-03-01', to: highTo, daysPerRun: 7 }, { label: '≤ day baseline', limit: 1, of: 'baseline' }],
	];
	for (const [scenario, goal] of scenarios) {
		const result = await runScenario(scenario);
		console.log(report(scenario, result, goal));
	}
}

main()
	.catch((error) => {
		console.error(error);
		process.exitCode = 1;
	})
	.finally(() => rmSync(userFolder, { recursive: true, force: true }));
