/**
 * The shipped Five9 workflows, run as shipped through n8n's engine against the Five9 mock. Only the
 * "Configuration" node — the one the sticky notes tell users to edit — is changed. The Data Table
 * versions need n8n's database (test/e2e proves them); here they run with their table steps
 * switched off, to check the rows they would store. The error notification runs without its mail
 * step.
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
const FILE_VERSIONS = ['five9-call-log-to-files.json', 'five9-resync-recent-days-to-files.json', 'five9-call-log-backfill-to-files.json', 'five9-agent-states-to-file.json'];
const TABLE_VERSIONS = ['five9-call-log-to-table.json', 'five9-resync-recent-days.json', 'five9-call-log-backfill.json', 'five9-agent-states.json'];
const DATA_TABLE = 'n8n-nodes-base.dataTable';
const CALL_LOG = 'Call Log Reports/Call Log';

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

/** A template with some nodes switched off: n8n passes their input through unchanged. */
function switchedOff(json: WorkflowJson, off: (node: WorkflowJson['nodes'][number]) => boolean): WorkflowJson {
	return { ...json, nodes: json.nodes.map((node) => (off(node) ? { ...node, disabled: true } : node)) };
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

/** The Data Table row of call k, from the mock's facts: what every Call Log template must store. */
function callRow(k: number, spacingSeconds: number): IDataObject {
	const facts = callFacts(k, spacingSeconds);
	return {
		call_id: facts.callId,
		timestamp: new Date(facts.instantMs).toISOString(),
		campaign: facts.campaign,
		call_type: facts.callType,
		agent: facts.agentEmail,
		agent_name: facts.agentName,
		disposition: facts.disposition,
		ani: facts.ani,
		customer_name: facts.customerName,
		dnis: '8005550100',
		call_time: facts.callSeconds,
		bill_time_rounded: facts.billSeconds,
		cost: facts.cost,
		ivr_time: facts.ivrSeconds,
		queue_wait_time: facts.queueSeconds,
		ring_time: facts.ringSeconds,
		talk_time: facts.talkSeconds,
		hold_time: facts.holdSeconds,
		park_time: 0,
		after_call_work_time: facts.acwSeconds,
		transfers: facts.transfers,
		conferences: 0,
		holds: facts.holds,
		abandoned: facts.abandoned ? 1 : 0,
		recordings: facts.abandoned ? 0 : 1,
	};
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

	test.each([...FILE_VERSIONS, ...TABLE_VERSIONS, 'error-notification.json'])('%s can run headless and tells the user what to set', (file) => {
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
		const json = setConfiguration(readWorkflow('five9-call-log-to-files.json'), { filesFolder: folder, digitalEnabled: true });
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
		const run = await runWorkflow(setConfiguration(readWorkflow('five9-call-log-to-files.json'), { filesFolder: folder }), {
			credentials: { five9Api: mock.credentials() },
		});
		expect(run.error).toBeUndefined();
		expect(run.ran('Digital Channel Log Today')).toBe(false);
		expect(mock.reportWindows.map((w) => w.key)).toEqual(['Call Log Reports/Call Log']);
	});

	test('re-sync: the previous days, one complete file per day, same layout as the daily files', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 900, runningPolls: 1 }).start();
		const json = setConfiguration(readWorkflow('five9-resync-recent-days-to-files.json'), { filesFolder: folder, nightlyDays: 3 });
		const run = await runWorkflow(json, { credentials: { five9Api: mock.credentials() } });
		expect(run.error).toBeUndefined();

		const today = dateIn(Date.now(), LOS_ANGELES);
		const todayMidnight = midnightIn(today, LOS_ANGELES);
		const dates = [3, 2, 1].map((back) => dateIn(todayMidnight - back * 86_400_000 + 12 * 3_600_000, LOS_ANGELES));
		expect(readdirSync(folder).sort()).toEqual(dates.map((date) => `call-log-${date}.csv`));
		for (const date of dates) expectCallLogFile(path.join(folder, `call-log-${date}.csv`), dayWindow(date), 900);
		expect(run.json('Re-read Recent Days').map((item) => (item._window as IDataObject).date)).toEqual(dates);
	});

	test('backfill: stopped on a failing run, it resumes there and never re-reads finished days', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 1800, runningPolls: 0 }).start();
		const json = setConfiguration(readWorkflow('five9-call-log-backfill-to-files.json'), {
			filesFolder: folder,
			from: '2024-03-06',
			to: '2024-03-13',
			daysPerRun: 3,
		});
		const staticData: IDataObject = {};
		const credentials = { five9Api: mock.credentials() };
		const checkpoint = () => ((staticData.global as IDataObject)?.five9Checkpoints as IDataObject)?.['call-log-backfill'] as IDataObject | undefined;
		const files = () => readdirSync(folder).sort();

		// Adaptive Windows: 48 calls a day are far below the cap, so after 6 March alone the next
		// days share a run, and a later run starts from the size the last one ended with.
		const first = await runWorkflow(json, { credentials, staticData });
		expect(first.error).toBeUndefined();
		expect(files()).toEqual(['call-log-2024-03-06.csv', 'call-log-2024-03-07.csv', 'call-log-2024-03-08.csv']);
		expect(checkpoint()?.through).toBe('2024-03-09T08:00:00.000Z');

		// The second run reads 9 to 11 March in one report run, and Five9 answers garbage for it.
		const holdsTenth = (request: RecordedRequest) => {
			const window = mock.runs.get(request.params.identifier ?? '')?.window;
			return !!window && window.startMs <= Date.UTC(2024, 2, 10, 8) && window.endMs > Date.UTC(2024, 2, 10, 8);
		};
		mock.inject({ operation: 'getReportResultCsv', match: holdsTenth, body: '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>' });
		const second = await runWorkflow(json, { credentials, staticData });
		expect(second.status).toBe('error');
		expect(second.error?.message).toMatch(/not valid XML.* — window 2024-03-09 \(2024-03-09T00:00:00.000-08:00 → 2024-03-12T00:00:00.000-07:00\)/);
		expect(second.ran('Backfill Stopped')).toBe(true);
		expect(files()).toHaveLength(3);
		expect(checkpoint()?.through).toBe('2024-03-09T08:00:00.000Z');

		const third = await runWorkflow(json, { credentials, staticData });
		expect(third.error).toBeUndefined();
		expect(checkpoint()?.through).toBe('2024-03-12T07:00:00.000Z');
		const fourth = await runWorkflow(json, { credentials, staticData });
		expect(fourth.error).toBeUndefined();
		expect(checkpoint()?.through).toBe('2024-03-13T07:00:00.000Z');

		const requestsBefore = mock.calls('runReport').length;
		const fifth = await runWorkflow(json, { credentials, staticData });
		expect(fifth.error).toBeUndefined();
		expect(mock.calls('runReport').length).toBe(requestsBefore);

		// Each run was asked for once, except the one that failed; none reaches past the range.
		expect(mock.reportWindows.map((w) => [w.start.slice(0, 10), w.end.slice(0, 10)])).toEqual([
			['2024-03-06', '2024-03-07'],
			['2024-03-07', '2024-03-09'],
			['2024-03-09', '2024-03-12'],
			['2024-03-09', '2024-03-12'],
			['2024-03-12', '2024-03-13'],
		]);
		const dates = ['06', '07', '08', '09', '10', '11', '12'].map((d) => `2024-03-${d}`);
		expect(files()).toEqual(dates.map((date) => `call-log-${date}.csv`));
		for (const date of dates) expectCallLogFile(path.join(folder, `call-log-${date}.csv`), dayWindow(date), 1800);
	});

	test('agent states: a snapshot file with one row per agent', async () => {
		mock = await new Five9Mock().start();
		const run = await runWorkflow(setConfiguration(readWorkflow('five9-agent-states-to-file.json'), { filesFolder: folder }), {
			credentials: { five9Api: mock.credentials() },
		});
		expect(run.error).toBeUndefined();
		const rows = readCsv(path.join(folder, 'agent-states-latest.csv'));
		expect(rows.map((row) => row.Username)).toEqual(mock.agents.map((agent) => agent.username));
		expect(rows.map((row) => row['State Since'])).toEqual(mock.agents.map((agent) => new Date(agent.stateSinceMs).toISOString()));
		expect(rows.find((row) => row.State === 'Not Ready')?.['Reason Code']).toBe('Lunch');
	});
});

describe('Data Table versions, table steps switched off: the rows they would store', () => {
	let mock: Five9Mock;
	afterEach(async () => {
		await mock?.stop();
	});
	const tablesOff = (file: string) => switchedOff(readWorkflow(file), (node) => node.type === DATA_TABLE);

	test('call log today: one row per call, Five9 columns mapped to table columns', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 60, digitalSpacingSeconds: 600, runningPolls: 0 }).start();
		const run = await runWorkflow(setConfiguration(tablesOff('five9-call-log-to-table.json'), { digitalEnabled: true }), {
			credentials: { five9Api: mock.credentials() },
		});
		expect(run.error).toBeUndefined();
		const window = mock.reportWindows.find((w) => w.key === CALL_LOG)!;
		const ks = gridIndexes({ startMs: Date.parse(window.start), endMs: Date.parse(window.end) }, 60);
		expect(run.json('Call Log Columns')).toEqual(ks.map((k) => callRow(k, 60)));
		if (run.ran('Digital Columns')) {
			expect(Object.keys(run.json('Digital Columns')[0]).sort()).toEqual(
				['session_guid', 'create_date', 'media_type', 'campaign', 'agent_name', 'agent_group', 'queue_time', 'handle_time', 'after_chat_work', 'user'].sort(),
			);
		}
	});

	test('re-sync: the rows of whole previous days', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 900, runningPolls: 0 }).start();
		const run = await runWorkflow(setConfiguration(tablesOff('five9-resync-recent-days.json'), { nightlyDays: 2 }), {
			credentials: { five9Api: mock.credentials() },
		});
		expect(run.error).toBeUndefined();
		const todayMidnight = midnightIn(dateIn(Date.now(), LOS_ANGELES), LOS_ANGELES);
		const dates = [2, 1].map((back) => dateIn(todayMidnight - back * 86_400_000 + 12 * 3_600_000, LOS_ANGELES));
		const ks = dates.flatMap((date) => gridIndexes(dayWindow(date), 900));
		expect(run.json('Call Log Columns')).toEqual(ks.map((k) => callRow(k, 900)));
	});

	test('backfill: rows read back from the day files are the same rows, typed; empty days and a failing day keep the checkpoint right', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 1800, runningPolls: 0 }).start();
		const json = setConfiguration(tablesOff('five9-call-log-backfill.json'), { from: '2024-03-06', to: '2024-03-13', daysPerRun: 3 });
		const original = mock.reports[CALL_LOG];
		// 7 and 9 to 11 March have no calls: their windows still reach the checkpoint. By the
		// calls' own days, whatever runs the node asks for.
		const empty = ['2024-03-07', '2024-03-09', '2024-03-10', '2024-03-11'];
		mock.reports[CALL_LOG] = (window, context) => {
			const data = original(window, context);
			const onBusyDay = (row: string[]) => !empty.includes(dateIn(callFacts(Number(row[0]) - 300000000000000, 1800).instantMs, LOS_ANGELES));
			return { header: data.header, rows: data.rows.filter(onBusyDay) };
		};
		const staticData: IDataObject = {};
		const credentials = { five9Api: mock.credentials() };
		const checkpoint = () => ((staticData.global as IDataObject)?.five9Checkpoints as IDataObject)?.['call-log-backfill'] as IDataObject | undefined;

		const first = await runWorkflow(json, { credentials, staticData });
		expect(first.error).toBeUndefined();
		expect(first.json('Call Log Columns')).toEqual(['2024-03-06', '2024-03-08'].flatMap((date) => gridIndexes(dayWindow(date), 1800)).map((k) => callRow(k, 1800)));
		expect(first.json('Mark Days Done')[0]).toMatchObject({ windowsSaved: 3 });
		expect(checkpoint()?.through).toBe('2024-03-09T08:00:00.000Z');

		// Three days without a call: nothing to store, and the checkpoint still moves past them.
		const second = await runWorkflow(json, { credentials, staticData });
		expect(second.error).toBeUndefined();
		expect(second.ran('Call Log Columns')).toBe(false);
		expect(checkpoint()?.through).toBe('2024-03-12T07:00:00.000Z');

		// 12 March answers garbage: the run fails at Backfill Stopped, after nothing else was due.
		mock.inject({ operation: 'getReportResultCsv', body: '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>' });
		const third = await runWorkflow(json, { credentials, staticData });
		expect(third.status).toBe('error');
		expect(third.ran('Backfill Stopped')).toBe(true);
		expect(checkpoint()?.through).toBe('2024-03-12T07:00:00.000Z');

		const fourth = await runWorkflow(json, { credentials, staticData });
		expect(fourth.error).toBeUndefined();
		expect(fourth.json('Call Log Columns')).toEqual(gridIndexes(dayWindow('2024-03-12'), 1800).map((k) => callRow(k, 1800)));
		expect(checkpoint()?.through).toBe('2024-03-13T07:00:00.000Z');
	});

	test('backfill: a failing run after saved days — the saved days are marked done before the run stops', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 1800, runningPolls: 0 }).start();
		const json = setConfiguration(tablesOff('five9-call-log-backfill.json'), { from: '2024-03-06', to: '2024-03-09', daysPerRun: 3 });
		// 6 March is read alone, then 7 and 8 March in one run (Adaptive Windows), which fails.
		const holdsEighth = (request: RecordedRequest) => {
			const window = mock.runs.get(request.params.identifier ?? '')?.window;
			return !!window && window.startMs <= Date.UTC(2024, 2, 8, 8) && window.endMs > Date.UTC(2024, 2, 8, 8);
		};
		mock.inject({ operation: 'getReportResultCsv', match: holdsEighth, body: '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>' });
		const staticData: IDataObject = {};
		const run = await runWorkflow(json, { credentials: { five9Api: mock.credentials() }, staticData });
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/window 2024-03-07 \(2024-03-07T00:00:00.000-08:00 → 2024-03-09T00:00:00.000-08:00\)/);
		expect(run.json('Mark Days Done')[0]).toMatchObject({ windowsSaved: 1, finishedThrough: '2024-03-07T08:00:00.000Z' });
		expect(run.json('Call Log Columns').map((row) => row.call_id)).toEqual(gridIndexes(dayWindow('2024-03-06'), 1800).map((k) => callFacts(k, 1800).callId));
	});

	test('agent states: one row per agent, keyed by username', async () => {
		mock = await new Five9Mock().start();
		const run = await runWorkflow(tablesOff('five9-agent-states.json'), { credentials: { five9Api: mock.credentials() } });
		expect(run.error).toBeUndefined();
		const rows = run.json('Agent State Columns');
		expect(rows.map((row) => row.username)).toEqual(mock.agents.map((agent) => agent.username));
		for (const [i, agent] of mock.agents.entries()) {
			expect(rows[i]).toMatchObject({
				full_name: agent.fullName,
				state: agent.state,
				reason_code: agent.reasonCode,
				state_since: new Date(agent.stateSinceMs).toISOString(),
				campaign_name: agent.campaign,
				call_type: agent.callType,
			});
			expect(typeof rows[i].state_duration).toBe('number');
			expect(Date.parse(String(rows[i].snapshot_at))).toBeGreaterThan(0);
		}
	});
});

describe('error notification, mail step left out: the message it sends', () => {
	// Left out rather than switched off: n8n loads a switched-off node's type too, and the mail
	// node's dependencies do not load under jest.
	const json = (): WorkflowJson => {
		const workflow = readWorkflow('error-notification.json');
		const { 'Compose Message': _mail, ...connections } = workflow.connections;
		return { ...workflow, nodes: workflow.nodes.filter((node) => node.name !== 'Send Email'), connections };
	};

	test('a failed run: which workflow, which node, the cause and the link', async () => {
		const failed = {
			execution: {
				id: '231',
				url: 'https://n8n.example.com/workflow/five9Backfill1/executions/231',
				error: { message: 'Five9 has no report "Call Logs"', description: 'Check the report name', node: { name: 'Next Backfill Days' } },
				lastNodeExecuted: 'Backfill Stopped',
				mode: 'trigger',
			},
			workflow: { id: 'five9Backfill1', name: 'Five9 call log backfill' },
		};
		const run = await runWorkflow(json(), { credentials: {}, mode: 'error', triggerItems: { node: 'On Any Failure', items: [{ json: failed }] } });
		expect(run.error).toBeUndefined();
		const [message] = run.json('Compose Message');
		expect(message).toMatchObject({ to: 'ops@example.com', from: 'n8n@example.com', subject: '[n8n] Five9 call log backfill failed at Next Backfill Days' });
		expect(String(message.text).split('\n')).toEqual([
			'Five9 call log backfill failed.',
			'',
			'Workflow:  Five9 call log backfill (id five9Backfill1)',
			'Node:      Next Backfill Days',
			'Cause:     Five9 has no report "Call Logs"',
			'Details:   Check the report name',
			expect.stringMatching(/^When: {6}\d{4}-\d\d-\d\dT/),
			'Execution: https://n8n.example.com/workflow/five9Backfill1/executions/231',
		]);
	});

	test('a trigger that failed before a run started: named as such, no link', async () => {
		const failed = { trigger: { error: { message: 'The polling interval is too short' }, mode: 'trigger' }, workflow: { id: 'w1', name: 'Some poller' } };
		const run = await runWorkflow(json(), { credentials: {}, mode: 'error', triggerItems: { node: 'On Any Failure', items: [{ json: failed }] } });
		const text = String(run.json('Compose Message')[0].text);
		expect(text).toContain('Node:      its trigger');
		expect(text).toContain('Cause:     The polling interval is too short');
		expect(text).not.toContain('Details:');
		expect(text).toContain('Execution: none, the trigger failed before a run started');
	});

	test('Try It sends a sample message', async () => {
		const run = await runWorkflow(json(), { credentials: {} });
		expect(run.error).toBeUndefined();
		expect(run.json('Compose Message')[0].subject).toBe('[n8n] Sample: Five9 call log to a Data Table failed at Call Log Today');
	});
});
