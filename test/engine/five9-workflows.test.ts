/**
 * The shipped Five9 workflows, run as shipped through n8n's engine against the Five9 mock. Only the
 * "Configuration" node — the one the sticky notes tell users to edit — is changed.
 */
import '../harness/realm-errors';

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parse } from 'csv-parse/sync';
import type { IDataObject } from 'n8n-workflow';

import { configure, readWorkflow, runWorkflow, type WorkflowJson } from '../harness/engine';
import { dateIn, midnightIn } from '../harness/five9';
import { callFacts, gridIndexes, type MockWindow } from '../mocks/five9-data';
import { Five9Mock, type RecordedRequest } from '../mocks/five9';

const LOS_ANGELES = 'America/Los_Angeles';
const FILES = ['five9-call-log-to-table.json', 'five9-resync-recent-days.json', 'five9-call-log-backfill.json', 'five9-agent-states.json'];

function setConfiguration(json: WorkflowJson, values: Record<string, unknown>): WorkflowJson {
	return configure(json, 'Configuration', (parameters) => {
		const assignments = (parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }).assignments;
		for (const [name, value] of Object.entries(values)) {
			const assignment = assignments.find((a) => a.name === name);
			if (!assignment) throw new Error(`Configuration has no field ${name}`);
			assignment.value = value;
		}
	});
}

function readCsv(file: string): IDataObject[] {
	return parse(readFileSync(file, 'utf8'), { columns: true, bom: true }) as IDataObject[];
}

/** A daily file holds exactly the calls of its window, values converted as the node converts them. */
function expectCallLogFile(file: string, window: MockWindow, spacingSeconds: number) {
	const rows = readCsv(file);
	const ks = gridIndexes(window, spacingSeconds);
	expect(rows.map((row) => row['CALL ID'])).toEqual(ks.map((k) => String(300000000000000 + k)));
	for (const row of rows) {
		const facts = callFacts(Number(row['CALL ID']) - 300000000000000, spacingSeconds);
		expect([row.TIMESTAMP, row['AGENT NAME'], row['CUSTOMER NAME'], row.ANI, row['TALK TIME'], row.COST]).toEqual([
			new Date(facts.instantMs).toISOString(),
			facts.agentName ?? '',
			facts.customerName ?? '',
			facts.ani ?? '',
			String(facts.talkSeconds),
			String(facts.cost),
		]);
	}
	return rows;
}

const dayWindow = (date: string): MockWindow => {
	const next = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + 1));
	return { startMs: midnightIn(date, LOS_ANGELES), endMs: midnightIn(next.toISOString().slice(0, 10), LOS_ANGELES) };
};

describe('shipped Five9 workflows', () => {
	let mock: Five9Mock;
	let folder: string;
	beforeEach(() => {
		folder = mkdtempSync(path.join(tmpdir(), 'five9-workflows-'));
	});
	afterEach(async () => {
		await mock?.stop();
		rmSync(folder, { recursive: true, force: true });
	});

	test.each(FILES)('%s can run headless and tells the user what to set', (file) => {
		const json = readWorkflow(file);
		const types = json.nodes.map((node) => node.type);
		expect(types).toContain('n8n-nodes-base.manualTrigger');
		expect(types).toContain('n8n-nodes-base.stickyNote');
		expect(json.nodes.some((node) => node.name === 'Configuration' && node.type === 'n8n-nodes-base.set')).toBe(true);
		const notes = json.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote').map((node) => String(node.parameters.content));
		expect(notes.join('\n')).toContain('**Configuration**');
		for (const node of json.nodes.filter((n) => n.type === 'n8n-nodes-five9-assembled.five9')) {
			expect(node.credentials).toEqual({ five9Api: { id: 'five9Cred1', name: 'Five9 account' } });
		}
		expect(types).not.toContain('n8n-nodes-base.code');
	});

	test('call log to daily files: today so far, both reports, rewritten (not appended) on the next run', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 60, digitalSpacingSeconds: 600, runningPolls: 0 }).start();
		const json = setConfiguration(readWorkflow('five9-call-log-to-table.json'), { filesFolder: folder, digitalEnabled: true });
		const before = Date.now();
		const run = await runWorkflow(json, { credentials: { five9Api: mock.credentials() } });
		const after = Date.now();
		expect(run.error).toBeUndefined();

		const today = dateIn(before, LOS_ANGELES);
		expect(dateIn(after, LOS_ANGELES)).toBe(today); // not straddling midnight
		const midnight = midnightIn(today, LOS_ANGELES);
		expect(mock.reportWindows.map((w) => w.key)).toEqual(['Call Log Reports/Call Log', 'Digital Channel Reports/Digital Channel Log']);
		expect(Date.parse(mock.reportWindows[0].start)).toBe(midnight);
		const runEnd = Date.parse(mock.reportWindows[0].end);
		expect(runEnd).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
		expect(runEnd).toBeLessThanOrEqual(after);

		const callFile = path.join(folder, `call-log-${today}.csv`);
		const digitalFile = path.join(folder, `digital-channel-log-${today}.csv`);
		const expectedCalls = gridIndexes({ startMs: midnight, endMs: runEnd }, 60).length;
		if (expectedCalls === 0) {
			expect(existsSync(callFile)).toBe(false);
			return;
		}
		const rows = expectCallLogFile(callFile, { startMs: midnight, endMs: runEnd }, 60);
		expect(rows.length).toBe(expectedCalls);
		expect(Object.keys(rows[0])).not.toContain('_window.date');
		if (existsSync(digitalFile)) expect(Object.keys(readCsv(digitalFile)[0])).toContain('SESSION GUID');

		// The next run rewrites the day: the file holds the day once, never twice.
		const second = await runWorkflow(json, { credentials: { five9Api: mock.credentials() } });
		expect(second.error).toBeUndefined();
		const secondEnd = Date.parse(mock.reportWindows[2].end);
		expectCallLogFile(callFile, { startMs: midnight, endMs: secondEnd }, 60);
	});

	test('call log to daily files: digital channels are off by default', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 600, runningPolls: 0 }).start();
		const run = await runWorkflow(setConfiguration(readWorkflow('five9-call-log-to-table.json'), { filesFolder: folder }), {
			credentials: { five9Api: mock.credentials() },
		});
		expect(run.error).toBeUndefined();
		expect(run.ran('Digital Channel Log Today')).toBe(false);
		expect(mock.reportWindows.map((w) => w.key)).toEqual(['Call Log Reports/Call Log']);
	});

	test('re-sync: the previous days, one complete file per day, same layout as the daily files', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 900, runningPolls: 1 }).start();
		const json = setConfiguration(readWorkflow('five9-resync-recent-days.json'), { filesFolder: folder, nightlyDays: 3 });
		const run = await runWorkflow(json, { credentials: { five9Api: mock.credentials() } });
		expect(run.error).toBeUndefined();

		const today = dateIn(Date.now(), LOS_ANGELES);
		const todayMidnight = midnightIn(today, LOS_ANGELES);
		const dates = [3, 2, 1].map((back) => dateIn(todayMidnight - back * 86_400_000 + 12 * 3_600_000, LOS_ANGELES));
		expect(readdirSync(folder).sort()).toEqual(dates.map((date) => `call-log-${date}.csv`));
		for (const date of dates) expectCallLogFile(path.join(folder, `call-log-${date}.csv`), dayWindow(date), 900);
		expect(run.json('Re-read Recent Days').map((item) => (item._window as IDataObject).date)).toEqual(dates);
	});

	test('backfill: stopped on a failing day, it resumes there and never re-reads finished days', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 1800, runningPolls: 0 }).start();
		const json = setConfiguration(readWorkflow('five9-call-log-backfill.json'), {
			filesFolder: folder,
			from: '2024-03-06',
			to: '2024-03-13',
			daysPerRun: 3,
		});
		const staticData: IDataObject = {};
		const credentials = { five9Api: mock.credentials() };
		const checkpoint = () => ((staticData.global as IDataObject)?.five9Checkpoints as IDataObject)?.['call-log-backfill'] as IDataObject | undefined;
		const files = () => readdirSync(folder).sort();

		const first = await runWorkflow(json, { credentials, staticData });
		expect(first.error).toBeUndefined();
		expect(files()).toEqual(['call-log-2024-03-06.csv', 'call-log-2024-03-07.csv', 'call-log-2024-03-08.csv']);
		expect(checkpoint()?.through).toBe('2024-03-09T08:00:00.000Z');

		// The second run reads 9 March, then Five9 answers garbage for 10 March.
		const isTenth = (request: RecordedRequest) => mock.runs.get(request.params.identifier ?? '')?.window.startMs === Date.UTC(2024, 2, 10, 8);
		mock.inject({ operation: 'getReportResultCsv', match: isTenth, body: '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>' });
		const second = await runWorkflow(json, { credentials, staticData });
		expect(second.status).toBe('error');
		expect(second.error?.message).toMatch(/not valid XML.* — window 2024-03-10 /);
		expect(second.ran('Backfill Stopped')).toBe(true);
		expect(files()).toContain('call-log-2024-03-09.csv');
		expect(files()).not.toContain('call-log-2024-03-10.csv');
		expect(checkpoint()?.through).toBe('2024-03-10T08:00:00.000Z');

		const third = await runWorkflow(json, { credentials, staticData });
		expect(third.error).toBeUndefined();
		expect(checkpoint()?.through).toBe('2024-03-13T07:00:00.000Z');

		const requestsBefore = mock.calls('runReport').length;
		const fourth = await runWorkflow(json, { credentials, staticData });
		expect(fourth.error).toBeUndefined();
		expect(mock.calls('runReport').length).toBe(requestsBefore);

		// Each day was asked for once, except the day that failed.
		const asked = mock.reportWindows.map((w) => w.start.slice(0, 10));
		expect(asked).toEqual(['2024-03-06', '2024-03-07', '2024-03-08', '2024-03-09', '2024-03-10', '2024-03-10', '2024-03-11', '2024-03-12']);
		const dates = ['06', '07', '08', '09', '10', '11', '12'].map((d) => `2024-03-${d}`);
		expect(files()).toEqual(dates.map((date) => `call-log-${date}.csv`));
		for (const date of dates) expectCallLogFile(path.join(folder, `call-log-${date}.csv`), dayWindow(date), 1800);
	});

	test('agent states: a snapshot file with one row per agent', async () => {
		mock = await new Five9Mock().start();
		const run = await runWorkflow(setConfiguration(readWorkflow('five9-agent-states.json'), { filesFolder: folder }), {
			credentials: { five9Api: mock.credentials() },
		});
		expect(run.error).toBeUndefined();
		const rows = readCsv(path.join(folder, 'agent-states-latest.csv'));
		expect(rows.map((row) => row.Username)).toEqual(mock.agents.map((agent) => agent.username));
		expect(rows.map((row) => row['State Since'])).toEqual(mock.agents.map((agent) => new Date(agent.stateSinceMs).toISOString()));
		expect(rows.find((row) => row.State === 'Not Ready')?.['Reason Code']).toBe('Lunch');
	});
});
