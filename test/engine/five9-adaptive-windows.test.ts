/**
 * Adaptive report windows through n8n's engine against the Five9 mock: runs grow while they stay
 * well under the row cap, shrink when one comes back capped, and the rows of a run go back into
 * their days. Every expectation comes from the test's own generators and from what the server was
 * asked, never from the node.
 */
import { parse } from 'csv-parse/sync';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { runWorkflow, type WorkflowJson } from '../harness/engine';
import { FAST, FIVE9_CREDENTIAL_REF, FIVE9_TYPE, NODE, dateIn, expectCallLogItems, midnightIn } from '../harness/five9';
import { singleNodeWorkflow } from '../harness/single-node';
import { AQM_REPORT, evaluationsBetween, DEFAULT_EVALUATION_FEED } from '../mocks/evaluations';
import { callFacts, callLogRow, callLogRows, CALL_LOG_COLUMNS, gridIndexes, type MockWindow, type ReportGenerator } from '../mocks/five9-data';
import { Five9Mock } from '../mocks/five9';
import { pollTrigger } from '../harness/engine';

const LA = 'America/Los_Angeles';
const CALL_LOG = 'Call Log Reports/Call Log';
const CAP = 200;

/** The day after `date` (YYYY-MM-DD). */
function nextDate(date: string): string {
	return new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The calendar days of Los Angeles in [from, to), each with its midnights. */
function daysOf(from: string, to: string): Array<{ date: string } & MockWindow> {
	const days: Array<{ date: string } & MockWindow> = [];
	for (let date = from; date < to; date = nextDate(date)) days.push({ date, startMs: midnightIn(date, LA), endMs: midnightIn(nextDate(date), LA) });
	return days;
}

/** A report node of `typeVersion` (1.2: Adaptive Windows on by default; 1.1: one day per run). */
function reportNode(typeVersion: number, parameters: IDataObject, options: IDataObject = {}, advanced: IDataObject = {}): WorkflowJson {
	const workflow = singleNodeWorkflow({
		type: FIVE9_TYPE,
		parameters: {
			resource: 'report',
			operation: 'run',
			folderName: 'Call Log Reports',
			reportName: 'Call Log',
			range: 'custom',
			...parameters,
			options,
			advanced: { ...FAST, rowCap: CAP, ...advanced },
		} as INodeParameters,
		credentials: FIVE9_CREDENTIAL_REF,
	});
	workflow.nodes[1].typeVersion = typeVersion;
	return workflow;
}

/** What the server was asked: each runReport's span and the rows the generator has there. */
function serverRuns(mock: Five9Mock, generator: ReportGenerator) {
	return mock.reportWindows.map((w) => {
		const window = { startMs: Date.parse(w.start), endMs: Date.parse(w.end) };
		return { ...window, rows: generator(window, { timeZone: LA }).rows.length };
	});
}

/** The uncapped runs cover [startMs, endMs) exactly once, and no run reaches outside it. */
function expectTiling(runs: Array<MockWindow & { rows: number }>, range: MockWindow) {
	for (const run of runs) {
		expect(run.startMs).toBeGreaterThanOrEqual(range.startMs);
		expect(run.endMs).toBeLessThanOrEqual(range.endMs);
	}
	const kept = runs.filter((run) => run.rows < CAP).sort((a, b) => a.startMs - b.startMs);
	expect(kept[0].startMs).toBe(range.startMs);
	for (let i = 1; i < kept.length; i++) expect(kept[i].startMs).toBe(kept[i - 1].endMs);
	expect(kept[kept.length - 1].endMs).toBe(range.endMs);
}

const callIds = (data: { rows: string[][] }) => data.rows.map((row) => row[0]);

/** Calls every `spacing` seconds, plus a burst of calls every `burstSpacing` seconds in `burst`. */
function burstyCallLog(spacing: number, burst: MockWindow, burstSpacing: number): ReportGenerator {
	return (window, { timeZone }) => {
		const events = gridIndexes(window, spacing).map((k) => ({ at: k * spacing * 1000, row: callLogRow(callFacts(k, spacing), timeZone) }));
		const inBurst = { startMs: Math.max(window.startMs, burst.startMs), endMs: Math.min(window.endMs, burst.endMs) };
		if (inBurst.startMs < inBurst.endMs) {
			// Seven seconds off the main grid, with their own call IDs.
			for (const k of gridIndexes(inBurst, burstSpacing, 7)) {
				const at = (k * burstSpacing + 7) * 1000;
				events.push({ at, row: callLogRow({ ...callFacts(k, burstSpacing), instantMs: at, callId: String(900000000000000 + k) }, timeZone) });
			}
		}
		events.sort((a, b) => a.at - b.at);
		return { header: CALL_LOG_COLUMNS, rows: events.map((event) => event.row) };
	};
}

/** Calls every `spacing` seconds on the days of `busyDates` only (a weekday office, say). */
function onlyOn(busyDates: Set<string>, spacing: number): ReportGenerator {
	return (window, { timeZone }) => ({
		header: CALL_LOG_COLUMNS,
		rows: gridIndexes(window, spacing)
			.filter((k) => busyDates.has(dateIn(callFacts(k, spacing).instantMs, timeZone)))
			.map((k) => callLogRow(callFacts(k, spacing), timeZone)),
	});
}

/** A file's text, without the byte-order mark the node writes for spreadsheets. */
function fileText(item: INodeExecutionData): string {
	return Buffer.from(String(item.binary!.data.data), 'base64').toString('utf8').replace(/^\uFEFF/, '');
}

/** The call IDs of a day file: the first cell of each record after the header. */
const fileCallIds = (item: INodeExecutionData) => (parse(fileText(item)) as string[][]).slice(1).map((record) => record[0]);

describe('Report → Run, adaptive windows', () => {
	let mock: Five9Mock;
	afterEach(async () => {
		await mock?.stop();
	});

	test('runs grow while rows stay well under the cap: fewer runs than days, within 1.5 × rows / cap, same items as one day per run', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 3600, csvCap: CAP, runningPolls: 0 }).start();
		const generator = mock.reports[CALL_LOG];
		// 60 days across the spring DST change.
		const range = { startMs: midnightIn('2024-02-20', LA), endMs: midnightIn('2024-04-20', LA) };
		const days = daysOf('2024-02-20', '2024-04-20');
		const run = await runWorkflow(reportNode(1.2, { start: '2024-02-20', end: '2024-04-20' }, { windowDetails: 'object' }), {
			credentials: { five9Api: mock.credentials() },
		});
		expect(run.error).toBeUndefined();
		const items = run.json(NODE);
		expectCallLogItems(items, [range], 3600);

		const runs = serverRuns(mock, generator);
		const total = callIds(generator(range, { timeZone: LA })).length;
		const lowerBound = Math.ceil(total / CAP);
		expect(runs[0]).toMatchObject({ startMs: days[0].startMs, endMs: days[0].endMs });
		expect(runs.every((r) => r.rows < CAP)).toBe(true);
		expectTiling(runs, range);
		expect(runs.length).toBeLessThan(days.length);
		expect(runs.length).toBeLessThanOrEqual(1.5 * lowerBound);
		// Runs cover whole days of the report zone.
		const midnights = new Set(days.flatMap((day) => [day.startMs, day.endMs]));
		expect(runs.every((r) => midnights.has(r.startMs) && midnights.has(r.endMs))).toBe(true);

		// Each row's window is its own calendar day.
		for (const item of items) {
			const window = item._window as IDataObject;
			const date = dateIn(Date.parse(item.TIMESTAMP as string), LA);
			expect(window).toMatchObject({ date, split: false, timeZone: LA });
			expect(Date.parse(window.start as string)).toBe(midnightIn(date, LA));
			expect(Date.parse(window.end as string)).toBe(midnightIn(nextDate(date), LA));
		}
		expect(run.nodeRun(NODE).hints).toEqual(
			expect.arrayContaining([expect.objectContaining({ message: `Adaptive windows: ${days.length} windows read in ${runs.length} report runs.` })]),
		);

		// The same node at 1.1 reads one day per run, and outputs exactly the same items.
		mock.clear();
		const daily = await runWorkflow(reportNode(1.1, { start: '2024-02-20', end: '2024-04-20' }, { windowDetails: 'object' }), {
			credentials: { five9Api: mock.credentials() },
		});
		expect(serverRuns(mock, generator).map((r) => [r.startMs, r.endMs])).toEqual(days.map((day) => [day.startMs, day.endMs]));
		expect(daily.json(NODE)).toEqual(items);
	});

	test('a capped run of several days is read again in fewer days, and a capped day in halves: every row once', async () => {
		const burst = { startMs: midnightIn('2024-03-05', LA), endMs: midnightIn('2024-03-06', LA) };
		const generator = burstyCallLog(3600, burst, 60);
		mock = await new Five9Mock({ csvCap: CAP, runningPolls: 0, reports: { [CALL_LOG]: generator } }).start();
		const range = { startMs: midnightIn('2024-03-01', LA), endMs: midnightIn('2024-03-15', LA) };
		const run = await runWorkflow(reportNode(1.2, { start: '2024-03-01', end: '2024-03-15' }, { windowDetails: 'flat' }), {
			credentials: { five9Api: mock.credentials() },
		});
		expect(run.error).toBeUndefined();
		const items = run.json(NODE);
		const expected = callIds(generator(range, { timeZone: LA }));
		expect(items.map((item) => item['CALL ID'])).toEqual(expected);
		expect(new Set(expected).size).toBe(expected.length);

		const runs = serverRuns(mock, generator);
		const capped = runs.filter((r) => r.rows >= CAP);
		// At least one run of several days that held the burst came back capped, then the burst day alone did.
		expect(capped.some((r) => r.endMs - r.startMs > 86_400_000 && r.startMs <= burst.startMs && r.endMs >= burst.endMs)).toBe(true);
		expect(capped.some((r) => r.startMs === burst.startMs && r.endMs === burst.endMs)).toBe(true);
		expectTiling(runs, range);
		// The burst day's rows say it was split; the others' that it was not.
		const burstRows = items.filter((item) => item.window_date === '2024-03-05');
		expect(burstRows.length).toBe(callIds(generator(burst, { timeZone: LA })).length);
		expect(burstRows.every((item) => item.window_split === true)).toBe(true);
		expect(items.filter((item) => item.window_date !== '2024-03-05').every((item) => item.window_split === false)).toBe(true);

		mock.clear();
		const daily = await runWorkflow(reportNode(1.1, { start: '2024-03-01', end: '2024-03-15' }, { windowDetails: 'flat' }), {
			credentials: { five9Api: mock.credentials() },
		});
		expect(daily.json(NODE)).toEqual(items);
	});

	test('a range that starts and ends inside days is never crossed', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 1800, csvCap: CAP, runningPolls: 0 }).start();
		const generator = mock.reports[CALL_LOG];
		const range = { startMs: Date.parse('2024-03-01T13:30:00-08:00'), endMs: Date.parse('2024-03-20T05:15:00-07:00') };
		const run = await runWorkflow(
			reportNode(1.2, { start: '2024-03-01T13:30:00-08:00', end: '2024-03-20T05:15:00-07:00' }, { windowDetails: 'flat' }),
			{ credentials: { five9Api: mock.credentials() } },
		);
		expect(run.error).toBeUndefined();
		expectCallLogItems(run.json(NODE), [range], 1800);
		const runs = serverRuns(mock, generator);
		expectTiling(runs, range);
		expect(runs.length).toBeLessThan(20);
	});

	test('hour windows across the night clocks go back: runs of several hours give the items of one hour per run', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 600, csvCap: CAP, runningPolls: 0 }).start();
		const generator = mock.reports[CALL_LOG];
		const parameters = { start: '2024-11-02', end: '2024-11-05' };
		const run = await runWorkflow(reportNode(1.2, parameters, { windowHours: 1, windowDetails: 'flat' }), { credentials: { five9Api: mock.credentials() } });
		expect(run.error).toBeUndefined();
		const runs = serverRuns(mock, generator);
		// 3 days of 24, 25 and 24 hours.
		expect(runs.length).toBeLessThan(73);
		expectTiling(runs, { startMs: midnightIn('2024-11-02', LA), endMs: midnightIn('2024-11-05', LA) });
		// No run puts the second 01:00 hour inside (its rows read as the first one), one starts there.
		const secondOneAm = Date.UTC(2024, 10, 3, 9);
		expect(runs.some((r) => r.startMs === secondOneAm)).toBe(true);
		expect(runs.some((r) => r.startMs > secondOneAm - 3_600_000 && r.startMs < secondOneAm && r.endMs > secondOneAm)).toBe(false);
		expect(JSON.stringify(run.nodeRun(NODE).hints)).not.toContain('per run instead');
		mock.clear();
		const hourly = await runWorkflow(reportNode(1.1, parameters, { windowHours: 1, windowDetails: 'flat' }), { credentials: { five9Api: mock.credentials() } });
		expect(mock.calls('runReport')).toHaveLength(73);
		expect(run.json(NODE)).toEqual(hourly.json(NODE));
		// The repeated hour's two windows each hold their own six calls.
		const repeated = run.json(NODE).filter((item) => String(item.window_start).startsWith('2024-11-03T01:'));
		expect(repeated.map((item) => item.window_start)).toEqual([
			...Array(6).fill('2024-11-03T01:00:00.000-07:00'),
			...Array(6).fill('2024-11-03T01:00:00.000-08:00'),
		]);
	});

	test('a report without the timestamp column stays with one day per run, and says why', async () => {
		const columns = CALL_LOG_COLUMNS.map((name) => (name === 'TIMESTAMP' ? 'CALL START' : name));
		const generator: ReportGenerator = (window, context) => ({ header: columns, rows: callLogRows(window, context.timeZone, 3600).rows });
		mock = await new Five9Mock({ csvCap: CAP, runningPolls: 0, reports: { [CALL_LOG]: generator } }).start();
		const days = daysOf('2024-03-01', '2024-03-08');
		const run = await runWorkflow(reportNode(1.2, { start: '2024-03-01', end: '2024-03-08' }), { credentials: { five9Api: mock.credentials() } });
		expect(run.error).toBeUndefined();
		expect(serverRuns(mock, generator).map((r) => [r.startMs, r.endMs])).toEqual(days.map((day) => [day.startMs, day.endMs]));
		expect(run.json(NODE).map((item) => item['CALL ID'])).toEqual(
			callIds(generator({ startMs: days[0].startMs, endMs: days[6].endMs }, { timeZone: LA })),
		);
		expect(JSON.stringify(run.nodeRun(NODE).hints)).toContain('no column \\"TIMESTAMP\\"');

		// Named as its Timestamp Column, the same report grows.
		mock.clear();
		const named = await runWorkflow(reportNode(1.2, { start: '2024-03-01', end: '2024-03-08' }, { timestampColumn: 'CALL START' }), {
			credentials: { five9Api: mock.credentials() },
		});
		expect(named.json(NODE)).toEqual(run.json(NODE));
		expect(mock.calls('runReport').length).toBe(2);
	});

	test('version 1 and 1.1 nodes keep one day per run unless Adaptive Windows is set', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 3600, csvCap: CAP, runningPolls: 0 }).start();
		const days = daysOf('2024-03-01', '2024-03-08');
		const v1 = singleNodeWorkflow({
			type: FIVE9_TYPE,
			parameters: { resource: 'report', operation: 'run', start: '2024-03-01', end: '2024-03-08', options: { ...FAST, rowCap: CAP } },
			credentials: FIVE9_CREDENTIAL_REF,
		});
		await runWorkflow(v1, { credentials: { five9Api: mock.credentials() } });
		expect(mock.calls('runReport')).toHaveLength(days.length);
		mock.clear();
		await runWorkflow(reportNode(1.1, { start: '2024-03-01', end: '2024-03-08' }), { credentials: { five9Api: mock.credentials() } });
		expect(mock.calls('runReport')).toHaveLength(days.length);
		mock.clear();
		await runWorkflow(reportNode(1.1, { start: '2024-03-01', end: '2024-03-08' }, { adaptiveWindows: true }), { credentials: { five9Api: mock.credentials() } });
		expect(mock.calls('runReport')).toHaveLength(2);
		mock.clear();
		await runWorkflow(reportNode(1.2, { start: '2024-03-01', end: '2024-03-08' }, { adaptiveWindows: false }), { credentials: { five9Api: mock.credentials() } });
		expect(mock.calls('runReport')).toHaveLength(days.length);
	});
});

describe('Get Day Files, adaptive windows', () => {
	let mock: Five9Mock;
	afterEach(async () => {
		await mock?.stop();
	});

	const filesNode = (typeVersion: number, options: IDataObject = {}) => {
		const workflow = reportNode(typeVersion, { operation: 'getWindowFiles', start: '2024-03-01', end: '2024-03-22' }, options);
		return workflow;
	};

	test('one file per calendar day, byte for byte the files of one day per run, empty days included', async () => {
		// Weekdays only: empty weekends inside the runs of several days.
		const days = daysOf('2024-03-01', '2024-03-22');
		const busy = new Set(days.map((day) => day.date).filter((date) => ![0, 6].includes(new Date(`${date}T12:00:00Z`).getUTCDay())));
		const generator = onlyOn(busy, 1200);
		mock = await new Five9Mock({ csvCap: CAP, runningPolls: 0, reports: { [CALL_LOG]: generator } }).start();
		const run = await runWorkflow(filesNode(1.2), { credentials: { five9Api: mock.credentials() } });
		expect(run.error).toBeUndefined();
		const runs = serverRuns(mock, generator);
		expect(runs.length).toBeLessThan(days.length);
		expectTiling(runs, { startMs: days[0].startMs, endMs: days[days.length - 1].endMs });

		const files = run.items(NODE);
		expect(files.map((file) => (file.json._window as IDataObject).date)).toEqual(days.map((day) => day.date));
		for (const [i, file] of files.entries()) {
			expect(fileText(file).split('\n')[0].split(',')).toEqual(CALL_LOG_COLUMNS);
			// Call IDs are the first cells; the generator says which calls the day has.
			expect(fileCallIds(file)).toEqual(callIds(generator(days[i], { timeZone: LA })));
			expect(file.json.rowCount).toBe(fileCallIds(file).length);
		}

		mock.clear();
		const daily = await runWorkflow(filesNode(1.1), { credentials: { five9Api: mock.credentials() } });
		expect(mock.calls('runReport')).toHaveLength(days.length);
		const dailyFiles = daily.items(NODE);
		expect(dailyFiles.map((file) => file.json)).toEqual(files.map((file) => file.json));
		expect(dailyFiles.map(fileText)).toEqual(files.map(fileText));
		expect(dailyFiles.map((file) => file.binary!.data.fileName)).toEqual(files.map((file) => file.binary!.data.fileName));
	});

	test('the checkpoint advances without gaps across executions; a failing run of several days resumes at its first day', async () => {
		// 12 calls a day: 9 days fit in one run of at most 3/4 of the cap.
		mock = await new Five9Mock({ callSpacingSeconds: 7200, csvCap: CAP, runningPolls: 0 }).start();
		const generator = mock.reports[CALL_LOG];
		const days = daysOf('2024-03-01', '2024-04-10');
		const files = reportNode(1.2, { operation: 'getWindowFiles', start: '2024-03-01', end: '2024-04-10' }, { checkpoint: 'cp', maxWindows: 9 });
		const five9 = files.nodes[1];
		const workflow: WorkflowJson = {
			name: 'adaptive backfill',
			nodes: [
				...files.nodes.map((node) => (node.name === NODE ? { ...node, name: 'Next Days', onError: 'continueErrorOutput' as const } : node)),
				{ ...five9, id: 'cp', name: 'Mark Days Done', parameters: { resource: 'report', operation: 'saveCheckpoint', checkpointName: 'cp' }, position: [440, 0] },
			],
			connections: {
				Start: { main: [[{ node: 'Next Days', type: 'main', index: 0 }]] },
				'Next Days': { main: [[{ node: 'Mark Days Done', type: 'main', index: 0 }]] },
			},
		};
		const staticData: IDataObject = {};
		const checkpoint = () => (((staticData.global as IDataObject)?.five9Checkpoints as IDataObject)?.cp as IDataObject | undefined)?.throughMs;
		const emitted: string[] = [];
		const runsPerExecution: number[] = [];
		let failed = false;
		for (let execution = 0; execution < 12 && checkpoint() !== days[days.length - 1].endMs; execution++) {
			const before = mock.calls('runReport').length;
			if (execution === 2) {
				// The third execution's run of several days gets garbage.
				mock.inject({ operation: 'getReportResultCsv', match: (r) => {
					const window = mock.runs.get(r.params.identifier ?? '')?.window;
					return !!window && window.endMs - window.startMs > 86_400_000;
				}, body: '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>' });
			}
			const run = await runWorkflow(workflow, { credentials: { five9Api: mock.credentials() }, staticData });
			runsPerExecution.push(mock.calls('runReport').length - before);
			const dates = run.json('Next Days').map((item) => (item._window as IDataObject).date as string);
			emitted.push(...dates);
			for (const file of run.items('Next Days')) {
				const day = days.find((d) => d.date === (file.json._window as IDataObject).date)!;
				expect(fileCallIds(file)).toEqual(callIds(generator(day, { timeZone: LA })));
			}
			if (run.json('Next Days', 1).length > 0) failed = true;
			// The checkpoint ends where the last day emitted ends: no day skipped, none counted twice.
			const last = days.find((day) => day.date === dates[dates.length - 1]);
			if (last) expect(checkpoint()).toBe(last.endMs);
		}
		expect(failed).toBe(true);
		expect(checkpoint()).toBe(days[days.length - 1].endMs);
		expect(emitted).toEqual(days.map((day) => day.date));
		// The first execution starts from one day, then reads the other 8 in one run; later ones start
		// from the rate the last one saw: 9 days in one run (the failed one tried exactly that).
		expect(runsPerExecution[0]).toBe(2);
		expect(runsPerExecution.slice(1).every((runs) => runs === 1)).toBe(true);
		expect(serverRuns(mock, generator).every((r) => r.rows < CAP)).toBe(true);
	});
});

describe('evaluation report source, one run per poll', () => {
	let mock: Five9Mock;
	afterEach(async () => {
		await mock?.stop();
	});

	test('Five9 Evaluation Trigger: a 3-day backfill poll reads its days in one report run', async () => {
		mock = await new Five9Mock({ runningPolls: 0 }).start();
		const workflow: WorkflowJson = {
			name: 'evaluation trigger',
			nodes: [
				{
					id: 'trigger',
					name: 'Trigger',
					type: 'n8n-nodes-five9-assembled.five9EvaluationTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: { source: 'report', folderName: AQM_REPORT.split('/')[0], reportName: AQM_REPORT.split('/')[1], options: { backfillDays: 3 } },
					credentials: FIVE9_CREDENTIAL_REF,
				},
			],
			connections: {},
		};
		const before = Date.now();
		const { result, finish } = await pollTrigger(workflow, 'Trigger', { credentials: { five9Api: mock.credentials() }, staticData: {} });
		await finish?.({ status: 'success', data: { resultData: { runData: {} } } } as never);
		const runs = mock.reportWindows;
		expect(runs).toHaveLength(1);
		const from = Date.parse(runs[0].start);
		const to = Date.parse(runs[0].end);
		// The poll's range: three days back from its "now" (a whole second), in one run.
		expect(to).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
		expect(to - from).toBeGreaterThanOrEqual(3 * 86_400_000 - 1000);
		const ids = (result?.[0] ?? []).map((item) => item.json.evaluation_id);
		const expected = evaluationsBetween(DEFAULT_EVALUATION_FEED, from, to).map((e) => e.id);
		expect(new Set(ids)).toEqual(new Set(expected));
	});
});
