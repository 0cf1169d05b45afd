/**
 * One 50,000-row Five9 Call Log window through the Five9 node into n8n items, against the local
 * Five9 mock, compared with csv-parse alone on the same CSV bytes in the same process. The node
 * runs with a row cap of 100,000 (option Row Cap), above the window's rows, so the window is one
 * report run, never split.
 *
 *   npx tsx bench/five9-report.ts            (or npm run bench:five9-report)
 *
 * The mock runs in this process; the node runs in a child process, so the child's memory holds only
 * what the node needs: peak RSS growth is read there and set against the CSV size. The node's time
 * is the whole run: runReport, isReportRunning, getReportResultCsv over HTTP (the mock answers
 * from bytes made once per window), XML, CSV, value conversion, items; csv-parse's is parsing only.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROWS = 50_000;
const ROW_CAP = 100_000;
const RUNS = 5;
const TIME_ZONE = 'America/Los_Angeles';
// Calls one second apart from midnight of 5 February 2024 in Los Angeles: exactly ROWS in the window.
const WINDOW = { startMs: Date.UTC(2024, 1, 5, 8), endMs: Date.UTC(2024, 1, 5, 8) + ROWS * 1000 };
const WARM_UP = { startMs: WINDOW.startMs - 86_400_000, endMs: WINDOW.startMs - 86_400_000 + 2_000 * 1000 };

interface ChildReport {
	nodeMs: number[];
	items: number;
	rssBeforeMb: number;
	peakRssMb: number;
	csvParseObjectsMs: number[];
	csvParseArraysMs: number[];
	csvBytes: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes: number) => bytes / 1024 / 1024;

async function parent() {
	const userFolder = mkdtempSync(path.join(tmpdir(), 'five9-bench-'));
	// The harness loads n8n-core here too: its user folder stays out of $HOME, as the child's does.
	process.env.N8N_USER_FOLDER = userFolder;
	const { Five9Mock } = await import('../test/harness');
	// The mock cuts results at the same cap as the node expects.
	const mock = await new Five9Mock({ callSpacingSeconds: 1, csvCap: ROW_CAP, runningPolls: 0 }).start();
	mock.prepare('Call Log Reports/Call Log', WINDOW);
	mock.prepare('Call Log Reports/Call Log', WARM_UP);
	try {
		const child = fork(__filename, ['child'], {
			execArgv: [...process.execArgv, '--expose-gc'],
			env: { ...process.env, N8N_USER_FOLDER: userFolder, N8N_LOG_LEVEL: 'silent', N8N_DIAGNOSTICS_ENABLED: 'false', FIVE9_MOCK_URL: mock.url },
		});
		const report = await new Promise<ChildReport>((resolve, reject) => {
			child.once('message', (message) => resolve(message as ChildReport));
			child.once('error', reject);
			child.once('exit', (code) => code && reject(new Error(`benchmark child exited with ${code}`)));
		});
		const nodeMs = median(report.nodeMs);
		const objectsMs = median(report.csvParseObjectsMs);
		const arraysMs = median(report.csvParseArraysMs);
		const nodeRate = (report.items / nodeMs) * 1000;
		const objectsRate = (ROWS / objectsMs) * 1000;
		const arraysRate = (ROWS / arraysMs) * 1000;
		const growth = report.peakRssMb - report.rssBeforeMb;
		const lines = [
			`Five9 report window: ${ROWS.toLocaleString('en-US')} Call Log rows, CSV ${mb(report.csvBytes).toFixed(1)} MB, row cap ${ROW_CAP.toLocaleString('en-US')} (one report run; median of ${RUNS} runs)`,
			`  node (runReport → isReportRunning → getReportResultCsv → items), through n8n's engine: ${nodeMs.toFixed(0)} ms, ${Math.round(nodeRate).toLocaleString('en-US')} rows/s, ${report.items.toLocaleString('en-US')} items`,
			`  csv-parse alone, records as objects (columns: true): ${objectsMs.toFixed(0)} ms, ${Math.round(objectsRate).toLocaleString('en-US')} rows/s`,
			`  csv-parse alone, records as arrays:                 ${arraysMs.toFixed(0)} ms, ${Math.round(arraysRate).toLocaleString('en-US')} rows/s`,
			`  ratio node / csv-parse objects: ${(nodeRate / objectsRate).toFixed(2)}  (target ≥ 0.9)`,
			`  ratio node / csv-parse arrays:  ${(nodeRate / arraysRate).toFixed(2)}`,
			`  peak RSS growth during the first node run: ${growth.toFixed(1)} MB = ${(growth / mb(report.csvBytes)).toFixed(2)} × the CSV size (target ≤ 3×); RSS before ${report.rssBeforeMb.toFixed(0)} MB, peak ${report.peakRssMb.toFixed(0)} MB`,
		];
		console.log(lines.join('\n'));
	} finally {
		await mock.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
}

async function child() {
	const { MOCK_PASSWORD, MOCK_USER, callLogRows, runWorkflow, singleNodeWorkflow, toFive9Csv } = await import('../test/harness');
	// The same module file the node loads, not another build of the library.
	const { parse } = require('csv-parse/sync') as typeof import('csv-parse/sync');
	const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
	const url = process.env.FIVE9_MOCK_URL!;
	const credentials = { five9Api: { username: MOCK_USER, password: MOCK_PASSWORD, dataCenter: 'custom', baseUrl: url, reportTimeZone: '' } };
	const workflow = (window: { startMs: number; endMs: number }) =>
		singleNodeWorkflow(
			{
				type: 'n8n-nodes-five9-assembled.five9',
				parameters: {
					resource: 'report',
					operation: 'run',
					folderName: 'Call Log Reports',
					reportName: 'Call Log',
					range: 'custom',
					start: new Date(window.startMs).toISOString(),
					end: new Date(window.endMs).toISOString(),
					// Above the window's 50,000 rows, so the window is measured as one run, not split.
					options: { rowCap: ROW_CAP },
				},
				credentials: { five9Api: { id: 'five9Cred1', name: 'Five9 account' } },
			},
			'Five9',
		);

	// Warm up module loading and the JIT on a small window first.
	const warm = await runWorkflow(workflow(WARM_UP), { credentials });
	if (warm.error) throw warm.error;

	let csv = '';
	const nodeMs: number[] = [];
	const csvParseObjectsMs: number[] = [];
	const csvParseArraysMs: number[] = [];
	let items = 0;
	let rssBeforeMb = 0;
	let peakRssMb = 0;
	// Node and csv-parse take turns, so a busy machine slows both alike.
	for (let i = 0; i < RUNS; i++) {
		gc();
		if (i === 0) rssBeforeMb = mb(process.memoryUsage().rss);
		let started = performance.now();
		let run = await runWorkflow(workflow(WINDOW), { credentials });
		nodeMs.push(performance.now() - started);
		if (run.error) throw run.error;
		items = run.items('Five9').length;
		if (i === 0) peakRssMb = process.resourceUsage().maxRSS / 1024;
		run = undefined as never;
		gc();
		// Made after the first node run, so its memory is not in that run's peak: the CSV the mock
		// serves for the window (same pure function, same bytes), for csv-parse alone.
		if (i === 0) csv = toFive9Csv(callLogRows(WINDOW, TIME_ZONE, 1));

		started = performance.now();
		const objects = parse(csv, { columns: true }) as unknown[];
		csvParseObjectsMs.push(performance.now() - started);
		if (objects.length !== ROWS) throw new Error(`csv-parse read ${objects.length} rows`);
		started = performance.now();
		const arrays = parse(csv) as unknown[];
		csvParseArraysMs.push(performance.now() - started);
		if (arrays.length !== ROWS + 1) throw new Error(`csv-parse read ${arrays.length} records`);
	}
	const report: ChildReport = { nodeMs, items, rssBeforeMb, peakRssMb, csvParseObjectsMs, csvParseArraysMs, csvBytes: Buffer.byteLength(csv) };
	process.send!(report, () => process.exit(0));
}

(process.argv[2] === 'child' ? child() : parent()).catch((error) => {
	console.error(error);
	process.exit(1);
});
