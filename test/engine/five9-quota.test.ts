/**
 * The quota reserve through n8n's engine, against the local Five9 server's request counters:
 * the shipped backfill stops green at the reserve and resumes once a window frees up, while the
 * shipped 5-minute sync never meets OperationsLimitExceededFault; Report → Run fails before
 * windows it cannot finish; short windows are waited out; unreadable counters change nothing.
 *
 * Limits are set from what the same run needs on a server without limits, measured first, so the
 * scenario holds however many report runs the node takes for the range.
 */
import '../harness/realm-errors';

import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parse } from 'csv-parse/sync';
import type { IDataObject } from 'n8n-workflow';

import { configure, readWorkflow, runWorkflow, setConfiguration, type WorkflowRun, type WorkflowJson } from '../harness/engine';
import { NODE, callLogRun, dateIn, expectCallLogItems, midnightIn, runFive9 } from '../harness/five9';
import { gridIndexes, type MockWindow } from '../mocks/five9-data';
import { Five9Mock, type MockLimits } from '../mocks/five9';
import { parseCallCounters, readSoapResponse } from '../../nodes/Five9/transport';

const LOS_ANGELES = 'America/Los_Angeles';
const CALL_LOG = 'Call Log Reports/Call Log';
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const LIMIT_FAULT = 'OperationsLimitExceededFault';

/** Requests a limit leaves above a 25% reserve (the option's default), as the node counts it: the reserve rounded up. */
const budget = (limit: number) => limit - Math.ceil(limit / 4);

/** The largest limit whose budget is `wanted`. */
function limitWithBudget(wanted: number): number {
	let limit = wanted;
	while (budget(limit + 1) <= wanted) limit += 1;
	return limit;
}

const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

function datesBetween(from: string, to: string): string[] {
	const dates: string[] = [];
	for (let date = from; date < to; date = nextDate(date)) dates.push(date);
	return dates;
}

const dayWindow = (date: string): MockWindow => ({ startMs: midnightIn(date, LOS_ANGELES), endMs: midnightIn(nextDate(date), LOS_ANGELES) });

/** A SOAP request as any client would send it, answered by the local server. */
async function soap(mock: Five9Mock, operation: string, inner = ''): Promise<{ status: number; text: string }> {
	const { username, password } = mock.credentials();
	const response = await fetch(`${mock.url}/wsadmin/v13/AdminWebService`, {
		method: 'POST',
		headers: {
			'Content-Type': 'text/xml; charset=utf-8',
			SOAPAction: '""',
			Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
		},
		body: `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ser="http://service.admin.ws.five9.com/"><soapenv:Body><ser:${operation}>${inner}</ser:${operation}></soapenv:Body></soapenv:Envelope>`,
	});
	return { status: response.status, text: await response.text() };
}

const RUN_REPORT =
	'<folderName>Call Log Reports</folderName><reportName>Call Log</reportName><criteria><time><end>2024-03-11T00:00:00.000-07:00</end><start>2024-03-10T00:00:00.000-08:00</start></time></criteria>';

describe('the local Five9 server: request counters in several windows', () => {
	let mock: Five9Mock;
	afterEach(async () => {
		await mock?.stop();
	});

	test('counts runReport per hour and per day, refuses past a limit with its detail, answers getCallCountersState in the XSD shape', async () => {
		mock = await new Five9Mock({
			limits: { ReportRequest: [{ limit: 3, windowMs: HOUR_MS }, { limit: 5, windowMs: DAY_MS }], RetrieveReport: { limit: 50, windowMs: HOUR_MS } },
		}).start();
		const counters = async () => {
			const answer = await soap(mock, 'getCallCountersState');
			expect(answer.status).toBe(200);
			const read = readSoapResponse(answer.text);
			if (!read.ok || read.value.kind !== 'result') throw new Error(answer.text);
			expect(read.value.element.name).toBe('getCallCountersStateResponse');
			return parseCallCounters(read.value.element, 0).counters.map((c) => `${c.operationType} ${c.used}/${c.limit} per ${c.windowSeconds}s`);
		};
		expect(await counters()).toEqual(['ReportRequest 0/3 per 3600s', 'RetrieveReport 0/50 per 3600s', 'ReportRequest 0/5 per 86400s']);

		for (let i = 0; i < 3; i++) expect((await soap(mock, 'runReport', RUN_REPORT)).status).toBe(200);
		const refused = await soap(mock, 'runReport', RUN_REPORT);
		expect(refused.status).toBe(500);
		const fault = readSoapResponse(refused.text);
		expect(fault.ok && fault.value.kind === 'fault' && fault.value.fault).toMatchObject({
			name: LIMIT_FAULT,
			detail: { limit: '3', operationType: 'ReportRequest' },
		});
		// A refused request counts nowhere; getCallCountersState counts against nothing.
		expect(await counters()).toEqual(['ReportRequest 3/3 per 3600s', 'RetrieveReport 0/50 per 3600s', 'ReportRequest 3/5 per 86400s']);

		// An hour later the hour's window is free, the day's is not: two more, then the day's limit refuses.
		mock.advanceClock(HOUR_MS);
		expect((await soap(mock, 'runReport', RUN_REPORT)).status).toBe(200);
		expect((await soap(mock, 'runReport', RUN_REPORT)).status).toBe(200);
		const daily = readSoapResponse((await soap(mock, 'runReport', RUN_REPORT)).text);
		expect(daily.ok && daily.value.kind === 'fault' && daily.value.fault.detail).toEqual(expect.objectContaining({ limit: '5', operationType: 'ReportRequest' }));
		expect(await counters()).toEqual(['ReportRequest 2/3 per 3600s', 'RetrieveReport 0/50 per 3600s', 'ReportRequest 5/5 per 86400s']);
		expect(mock.counterStates()).toEqual([
			{ operationType: 'ReportRequest', windowMs: HOUR_MS, limit: 3, used: 2 },
			{ operationType: 'ReportRequest', windowMs: DAY_MS, limit: 5, used: 5 },
			{ operationType: 'RetrieveReport', windowMs: HOUR_MS, limit: 50, used: 0 },
		]);

		mock.resetCounters();
		expect(await counters()).toEqual(['ReportRequest 0/3 per 3600s', 'RetrieveReport 0/50 per 3600s', 'ReportRequest 0/5 per 86400s']);
	});

	test('without limits (the default) nothing is counted or refused, and the counters answer is empty', async () => {
		mock = await new Five9Mock().start();
		for (let i = 0; i < 5; i++) expect((await soap(mock, 'runReport', RUN_REPORT)).status).toBe(200);
		const answer = await soap(mock, 'getCallCountersState');
		expect(answer.text).toMatch(/<ns2:getCallCountersStateResponse xmlns:ns2="http:\/\/service.admin.ws.five9.com\/"><\/ns2:getCallCountersStateResponse>/);
		expect(mock.counterStates()).toEqual([]);
	});
});

describe('a backfill beside the 5-minute sync, with a ReportRequest limit the backfill alone would exceed', () => {
	const FROM = '2024-01-02';
	const TO = '2024-02-12';
	const SPACING = 3600;
	let mock: Five9Mock;
	let backfillFolder: string;
	let syncFolder: string;
	beforeEach(() => {
		backfillFolder = mkdtempSync(path.join(tmpdir(), 'five9-quota-backfill-'));
		syncFolder = mkdtempSync(path.join(tmpdir(), 'five9-quota-sync-'));
	});
	afterEach(async () => {
		await mock?.stop();
		rmSync(backfillFolder, { recursive: true, force: true });
		rmSync(syncFolder, { recursive: true, force: true });
	});

	/**
	 * The shipped backfill; `perDay` turns Adaptive Windows off on its Five9 node, one report run per
	 * day as for a domain whose days come near the row cap: many more runs for the same range.
	 */
	const backfill = (filesFolder: string, perDay: boolean): WorkflowJson => {
		const json = setConfiguration(readWorkflow('five9-call-log-backfill-to-files.json'), { filesFolder, from: FROM, to: TO, daysPerRun: 1000 });
		return perDay ? configure(json, 'Next Backfill Days', (parameters) => ((parameters.options as IDataObject).adaptiveWindows = false)) : json;
	};
	const sync = (): WorkflowJson => setConfiguration(readWorkflow('five9-call-log-to-files.json'), { filesFolder: syncFolder });
	const backfillWindows = (m: Five9Mock) => m.reportWindows.filter((w) => w.key === CALL_LOG && w.start < TO);

	test.each([
		['as shipped', false],
		['one report run per day', true],
	])('%s: the sync never meets the limit; the backfill stops green at its reserve, says where and why, and resumes in the next window with no day lost or read twice', async (_name, perDay) => {
		// What the backfill alone needs: its report runs on a server without limits.
		const free = await new Five9Mock({ callSpacingSeconds: SPACING, runningPolls: 0 }).start();
		const freeFolder = mkdtempSync(path.join(tmpdir(), 'five9-quota-free-'));
		let alone: number;
		try {
			const run = await runWorkflow(backfill(freeFolder, perDay), { credentials: { five9Api: free.credentials() }, staticData: {} });
			expect(run.error).toBeUndefined();
			alone = backfillWindows(free).length;
		} finally {
			await free.stop();
			rmSync(freeFolder, { recursive: true, force: true });
		}
		expect(alone).toBeGreaterThanOrEqual(2);
		if (perDay) expect(alone).toBe(datesBetween(FROM, TO).length);

		// The hour's ReportRequest limit leaves the backfill about a third of the runs it needs (at
		// least one run fewer), the day's about two hours' worth: it takes several hours and a day.
		const perHour = Math.max(1, Math.floor((alone - 1) / 3));
		const hourly = limitWithBudget(perHour);
		const syncs = Math.min(3, hourly - budget(hourly));
		const daily = limitWithBudget(2 * perHour + syncs);
		const limits: MockLimits = {
			ReportRequest: [{ limit: hourly, windowMs: HOUR_MS }, { limit: daily, windowMs: DAY_MS }],
			RetrieveReport: { limit: 10 * alone + 50, windowMs: HOUR_MS },
		};
		mock = await new Five9Mock({ callSpacingSeconds: SPACING, runningPolls: 0, limits }).start();
		expect(budget(hourly)).toBeLessThan(alone);
		const credentials = { five9Api: mock.credentials() };
		const staticData: IDataObject = {};
		const checkpoint = () => ((staticData.global as IDataObject)?.five9Checkpoints as IDataObject)?.['call-log-backfill'] as IDataObject | undefined;
		const runBackfill = () => runWorkflow(backfill(backfillFolder, perDay), { credentials, staticData });
		let syncRuns = 0;
		const runSync = async () => {
			const reads = mock.calls('getCallCountersState').length;
			const run = await runWorkflow(sync(), { credentials });
			expect(run.error).toBeUndefined();
			syncRuns += 1;
			return reads;
		};
		const stopOf = (run: WorkflowRun) => (run.ran('Paused for Quota') ? run.json('Paused for Quota') : []);
		const stateOf = (item: IDataObject) => {
			const counter = item.counter as IDataObject;
			return mock.counterStates().find((s) => s.operationType === counter.operationType && s.windowMs === Number(counter.windowSeconds) * 1000);
		};

		// The first hour: the backfill, then the syncs.
		const first = await runBackfill();
		expect(first.status).toBe('success');
		expect(first.error).toBeUndefined();
		expect(stopOf(first)).toHaveLength(1);
		const [stop] = stopOf(first);
		expect(budget(hourly)).toBe(perHour);
		expect(backfillWindows(mock)).toHaveLength(perHour);
		expect(stop).toMatchObject({
			stoppedBy: 'quotaReserve',
			checkpoint: 'call-log-backfill',
			reservePercent: 25,
			counter: { operationType: 'ReportRequest', windowSeconds: 3600, used: budget(hourly), limit: hourly, reserve: hourly - budget(hourly), resetEstimated: true },
		});
		expect((stop.counter as IDataObject).used).toBe(stateOf(stop)?.used);
		const resetsBy = Date.parse(String((stop.counter as IDataObject).resetsBy));
		expect(resetsBy).toBeGreaterThan(Date.now() + HOUR_MS - 120_000);
		expect(resetsBy).toBeLessThanOrEqual(Date.now() + HOUR_MS);
		expect(String(stop.message)).toMatch(
			new RegExp(`^Stopped before ${stop.stoppedAt} to keep the quota reserve: Five9's ReportRequest counter is at ${budget(hourly)} of ${hourly} in its 1-hour window`),
		);
		// Where it stopped is where the checkpoint stands: the files before it are written, none after.
		expect(checkpoint()?.throughMs).toBe(Date.parse(String(stop.stoppedAtTime)));
		expect(stop.stoppedAt).toBe(dateIn(Number(checkpoint()?.throughMs), LOS_ANGELES));
		expect(readdirSync(backfillFolder).sort()).toEqual(datesBetween(FROM, String(stop.stoppedAt)).map((date) => `call-log-${date}.csv`));
		expect(stop.windowsDone).toBe(readdirSync(backfillFolder).length);

		// The syncs of that hour fit in the reserve, and read no counters (one window each).
		for (let i = 0; i < syncs; i++) expect(await runSync()).toBe(mock.calls('getCallCountersState').length);
		expect(mock.requests.filter((r) => r.fault === LIMIT_FAULT)).toEqual([]);
		expect(readdirSync(syncFolder)).toEqual([`call-log-${dateIn(Date.now(), LOS_ANGELES)}.csv`]);

		// The next scheduled run in the same hour stops at once, reading nothing but the counters.
		const reportRunsBefore = mock.calls('runReport').length;
		const again = await runBackfill();
		expect(again.error).toBeUndefined();
		expect(stopOf(again)[0]).toMatchObject({ stoppedAt: stop.stoppedAt, windowsDone: 0, counter: { windowSeconds: 3600, used: perHour + syncs, limit: hourly } });
		expect((stopOf(again)[0].counter as IDataObject).used).toBe(stateOf(stopOf(again)[0])?.used);
		expect(mock.calls('runReport').length).toBe(reportRunsBefore);

		// Each next window: move the server's clock past the window that stopped the run, run the
		// backfill again with a sync alongside.
		const stops: IDataObject[] = [stop, stopOf(again)[0]];
		let last = again;
		for (let round = 0; stopOf(last).length > 0; round++) {
			expect(round).toBeLessThan(20);
			const [current] = stopOf(last);
			mock.advanceClock(Number((current.counter as IDataObject).windowSeconds) * 1000 + 1000);
			[last] = await Promise.all([runBackfill(), runSync()]);
			expect(last.error).toBeUndefined();
			const [next] = stopOf(last);
			if (next) {
				stops.push(next);
				expect(checkpoint()?.throughMs).toBe(Date.parse(String(next.stoppedAtTime)));
				expect(Number((next.counter as IDataObject).used)).toBeLessThanOrEqual(Number(stateOf(next)?.used));
			}
		}
		expect(checkpoint()?.throughMs).toBe(midnightIn(TO, LOS_ANGELES));
		expect(syncRuns).toBeGreaterThan(syncs);
		// With one run per day the day's window stopped a later run too: both counters were kept.
		if (perDay) expect(stops.map((x) => (x.counter as IDataObject).windowSeconds)).toEqual(expect.arrayContaining([3600, 86400]));

		// No day lost or read twice: the backfill's windows tile the range, and each day's file holds the server's calls of that day.
		const windows = backfillWindows(mock)
			.map((w) => ({ startMs: Date.parse(w.start), endMs: Date.parse(w.end) }))
			.sort((a, b) => a.startMs - b.startMs);
		expect(windows[0].startMs).toBe(midnightIn(FROM, LOS_ANGELES));
		windows.slice(1).forEach((window, i) => expect(window.startMs).toBe(windows[i].endMs));
		expect(windows.at(-1)!.endMs).toBe(midnightIn(TO, LOS_ANGELES));
		const dates = datesBetween(FROM, TO);
		expect(readdirSync(backfillFolder).sort()).toEqual(dates.map((date) => `call-log-${date}.csv`));
		for (const date of dates) {
			const rows = parse(readFileSync(path.join(backfillFolder, `call-log-${date}.csv`), 'utf8'), { columns: true, bom: true }) as IDataObject[];
			expect(rows.map((row) => row['CALL ID'])).toEqual(gridIndexes(dayWindow(date), SPACING).map((k) => String(300000000000000 + k)));
		}
		expect(mock.requests.filter((r) => r.fault === LIMIT_FAULT)).toEqual([]);
		// Counters read at most once per report window, plus once for each run's stop.
		expect(mock.calls('getCallCountersState').length).toBeLessThanOrEqual(windows.length + stops.length + 1);
	}, 120_000);
});

describe('Report → Run keeps the reserve', () => {
	let mock: Five9Mock;
	afterEach(async () => {
		await mock?.stop();
	});

	const RANGE = { start: '2024-03-01', end: '2024-03-11' };

	/** Report runs the range takes on a server without limits. */
	async function runsAlone(): Promise<number> {
		const free = await new Five9Mock({ runningPolls: 0 }).start();
		try {
			const run = await runFive9(free, callLogRun(RANGE));
			expect(run.error).toBeUndefined();
			return free.calls('runReport').length;
		} finally {
			await free.stop();
		}
	}

	test('a run the reserve cannot take fails clearly, before the windows it cannot finish; with the reserve off it runs', async () => {
		const alone = await runsAlone();
		expect(alone).toBeGreaterThan(1);
		// One more than the run may use; with the reserve off it fits exactly.
		const limit = Math.max(alone, 2);
		mock = await new Five9Mock({ runningPolls: 0, limits: { ReportRequest: { limit, windowMs: DAY_MS } } }).start();
		const run = await runFive9(mock, callLogRun(RANGE));
		expect(run.status).toBe('error');
		const error = run.nodeError(NODE) as unknown as { message: string; description: string };
		expect(error.message).toMatch(
			new RegExp(`^This run would exceed the quota reserve: the rest of this report needs \\d+ more report runs?, and Five9's ReportRequest counter is at \\d+ of ${limit} in its 24-hour window, and ${limit - budget(limit)} \\(25%\\) are kept for other workflows such as the live sync`),
		);
		expect(error.description).toMatch(/lower Quota Reserve \(%\)/);
		expect(mock.calls('runReport').length).toBeLessThanOrEqual(budget(limit));
		expect(mock.requests.filter((r) => r.fault === LIMIT_FAULT)).toEqual([]);

		mock.resetCounters();
		const off = await runFive9(mock, callLogRun(RANGE, { quotaReservePercent: 0 }));
		expect(off.error).toBeUndefined();
		expectCallLogItems(off.json(NODE), [{ startMs: midnightIn(RANGE.start, LOS_ANGELES), endMs: midnightIn(RANGE.end, LOS_ANGELES) }], 600);
		expect(mock.requests.filter((r) => r.fault === LIMIT_FAULT)).toEqual([]);
	});

	test('a run that fits reads the counters once per window, and a one-window run (the live sync) not at all', async () => {
		mock = await new Five9Mock({ runningPolls: 0, limits: { ReportRequest: { limit: 1000, windowMs: HOUR_MS } } }).start();
		const run = await runFive9(mock, callLogRun(RANGE));
		expect(run.error).toBeUndefined();
		const windows = mock.calls('runReport').length;
		expect(mock.calls('getCallCountersState').length).toBeLessThanOrEqual(windows);
		// The counters are read before each window's runReport.
		const order = mock.requests.map((r) => r.operation).filter((op) => op === 'getCallCountersState' || op === 'runReport');
		if (windows > 1) expect(order).toEqual(Array.from({ length: windows }, () => ['getCallCountersState', 'runReport']).flat());

		mock.clear();
		const today = await runFive9(mock, callLogRun({ range: 'today' }));
		expect(today.error).toBeUndefined();
		expect(mock.calls('getCallCountersState')).toHaveLength(0);
	});

	test('a full short window is waited out, not failed: every row, no limit met', async () => {
		// Three report runs per two seconds above the reserve; the run needs more.
		mock = await new Five9Mock({ runningPolls: 0, limits: { ReportRequest: { limit: 4, windowMs: 2000 } } }).start();
		const range = { start: '2024-03-01', end: '2024-03-07' };
		const run = await runFive9(mock, callLogRun(range));
		expect(run.error).toBeUndefined();
		expectCallLogItems(run.json(NODE), [{ startMs: midnightIn(range.start, LOS_ANGELES), endMs: midnightIn(range.end, LOS_ANGELES) }], 600);
		expect(mock.requests.filter((r) => r.fault === LIMIT_FAULT)).toEqual([]);
		if (mock.calls('runReport').length > 3) {
			expect(run.nodeRun(NODE).hints).toEqual(
				expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(/^Waited \d+ times? for a short Five9 request window to free up, keeping the quota reserve \(ReportRequest 2-second\)\.$/) })]),
			);
		}
	}, 60_000);

	test('counters Five9 will not give leave the run as it was, with a warning', async () => {
		mock = await new Five9Mock({ runningPolls: 0, limits: { ReportRequest: { limit: 1, windowMs: DAY_MS } } }).start();
		mock.inject({ operation: 'getCallCountersState', fault: 'AccessDisallowedFault' });
		const run = await runFive9(mock, callLogRun({ start: '2024-03-09', end: '2024-03-11' }, { quotaReservePercent: 25 }), { onError: 'continueErrorOutput' });
		const windows = mock.calls('runReport').filter((r) => !r.fault).length;
		if (windows + mock.calls('runReport').filter((r) => r.fault).length > 1) {
			// Read once, refused; the run went on without the reserve and met the limit plainly.
			expect(mock.calls('getCallCountersState')).toHaveLength(1);
			expect(run.nodeRun(NODE).hints).toEqual(
				expect.arrayContaining([expect.objectContaining({ type: 'warning', message: expect.stringMatching(/^Five9’s request counters could not be read \(.*AccessDisallowedFault.*\), so this run kept no quota reserve\.$/) })]),
			);
		}
	});
});

describe('the evaluation report source keeps the reserve', () => {
	let mock: Five9Mock;
	afterEach(async () => {
		await mock?.stop();
	});

	const evaluations = (options: IDataObject = {}) => ({
		resource: 'evaluation',
		operation: 'getMany',
		source: 'report',
		start: '2024-03-08T00:00:00-08:00',
		end: '2024-03-11T00:00:00-07:00',
		options: { ...options },
	});

	test('a read of several report runs that would dip into the reserve fails before them; a read in one run reads no counters', async () => {
		const free = await new Five9Mock({ runningPolls: 0 }).start();
		let alone: number;
		try {
			const run = await runFive9(free, evaluations() as never);
			expect(run.error).toBeUndefined();
			alone = free.calls('runReport').length;
		} finally {
			await free.stop();
		}
		mock = await new Five9Mock({ runningPolls: 0, limits: { ReportRequest: { limit: Math.max(alone, 2), windowMs: DAY_MS } } }).start();
		const run = await runFive9(mock, evaluations() as never);
		if (alone > 1) {
			expect(run.status).toBe('error');
			expect((run.nodeError(NODE) as unknown as { message: string }).message).toMatch(/^This run would exceed the quota reserve: this read of the evaluation report needs \d+ more report runs?/);
			expect(mock.calls('runReport').length).toBeLessThan(alone);
		} else {
			// All days in one run, as a poll: the live sync the reserve is for reads no counters.
			expect(run.error).toBeUndefined();
			expect(mock.calls('getCallCountersState')).toHaveLength(0);
		}
		expect(mock.requests.filter((r) => r.fault === LIMIT_FAULT)).toEqual([]);
	});
});
