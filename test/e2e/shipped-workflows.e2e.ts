/**
 * End to end in a real n8n: the packed package installed into n8n's nodes folder, credentials and
 * every shipped workflow imported with n8n's CLI, and the outcome read from the local vendor
 * servers. Workflows without Data Tables run headless with `n8n execute`; the Data Table templates
 * run activated in n8n's server (`n8n execute` does not start n8n's Data Table module) and their
 * tables are read back through the REST API. A failing activated run calls the error notification,
 * whose email a local SMTP listener receives. Nodes added fresh at version 1.1 run with nothing but
 * their defaults and a credential, and every pick-list method answers through n8n's REST API. Then
 * the editor is opened in headless Chromium: every node shows its own icon, the evaluation trigger
 * shows Source, the node panel finds the Five9 nodes, and two pick-lists list what the local servers
 * hold (the README's screenshots).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { dateIn, midnightIn } from '../harness/five9';
import { AssembledMock, MOCK_ACTIVITY_TYPES, MOCK_QUEUES, MOCK_SITES, MOCK_SKILLS, MOCK_TEAMS, makePeople, type MockPerson } from '../mocks/assembled';
import { ingestOf } from '../mocks/assembled-ingest';
import { MOCK_REQUIREMENT_TYPES } from '../mocks/assembled-planning';
import { reportsOf } from '../mocks/assembled-reports';
import { AQM_REPORT, DEFAULT_EVALUATION_FEED, evaluationsBetween, type MockEvaluation } from '../mocks/evaluations';
import { Five9Mock } from '../mocks/five9';
import { callFacts, digitalFacts, gridIndexes, type MockWindow } from '../mocks/five9-data';
import { Editor } from './editor';
import { N8nInstance, ROOT, provision, type ExecutionOutput } from './n8n';
import { SmtpCatcher } from './smtp';

const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name as string;
const ASSEMBLED_KEY = 'sk_live_e2e_key_5f2b9c';
const SCREENSHOTS = path.join(ROOT, 'test-results', 'e2e');
// The Five9 mock's grids (its defaults, named so the expectations can use them).
const CALL_SPACING = 600;
const DIGITAL_SPACING = 3600;
const CALL_LOG = 'Call Log Reports/Call Log';
const DIGITAL_LOG = 'Digital Channel Reports/Digital Channel Log';

interface Context {
	n8n: N8nInstance;
	assembled: AssembledMock;
	five9: Five9Mock;
	smtp: SmtpCatcher;
}

interface Case {
	/** Edits a user makes after importing (Configuration node values). */
	configure?: (workflow: WorkflowFile, context: Context) => void;
	before?: (context: Context) => void;
	check: (output: ExecutionOutput, context: Context) => void;
}

/**
 * A template that needs n8n's database (Data Tables): activated in the running server with its
 * schedule every few seconds, deactivated after two successful runs, then checked.
 */
interface ServerCase {
	configure?: (workflow: WorkflowFile, context: Context) => void;
	/** The schedule trigger that runs it. */
	trigger: string;
	everySeconds?: number;
	before?: (context: Context) => Promise<void> | void;
	/** Runs once the first run succeeded; the second counted run starts after it. */
	betweenRuns?: (context: Context) => void;
	check: (context: Context) => Promise<void>;
}

interface WorkflowFile {
	id: string;
	name: string;
	nodes: { name: string; type: string; parameters: Record<string, unknown> }[];
	settings: { errorWorkflow?: string; [key: string]: unknown };
	[key: string]: unknown;
}

function setConfiguration(workflow: WorkflowFile, values: Record<string, unknown>) {
	const node = workflow.nodes.find((n) => n.name === 'Configuration');
	if (!node) throw new Error(`${workflow.name} has no Configuration node`);
	const assignments = (node.parameters.assignments as { assignments: { name: string; value: unknown }[] }).assignments;
	for (const [name, value] of Object.entries(values)) {
		const assignment = assignments.find((a) => a.name === name);
		if (!assignment) throw new Error(`Configuration has no ${name}`);
		assignment.value = value;
	}
}

const runData = (output: ExecutionOutput, node: string, index = 0) =>
	output.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[index]?.map((item) => item.json) ?? [];

const filesIn = (folder: string) => (existsSync(folder) ? readdirSync(folder) : []);
const five9Folder = ({ n8n }: Context) => path.join(n8n.filesFolder, 'five9');
/** An empty output folder for one workflow's files. */
const freshFive9Folder = (context: Context) => {
	rmSync(five9Folder(context), { recursive: true, force: true });
	mkdirSync(five9Folder(context), { recursive: true });
	return five9Folder(context);
};
const reportRuns = ({ five9 }: Context) => five9.calls('runReport').length;

/** The report windows Five9 was asked for, as the mock recorded them. */
const windowsOf = ({ five9 }: Context, report: string): MockWindow[] =>
	five9.reportWindows.filter((w) => w.key === report).map((w) => ({ startMs: Date.parse(w.start), endMs: Date.parse(w.end) }));

/** The calls of some windows, each once, from the mock's grid. */
const callsIn = (windows: MockWindow[]) => [...new Set(windows.flatMap((window) => gridIndexes(window, CALL_SPACING)))];

/** Midnight to midnight of the report time zone. */
function expectWholeDays(windows: MockWindow[], timeZone: string) {
	for (const window of windows) {
		const date = dateIn(window.startMs, timeZone);
		expect(window.startMs).toBe(midnightIn(date, timeZone));
		expect(window.endMs).toBe(midnightIn(dateIn(window.startMs + 36 * 3_600_000, timeZone), timeZone));
	}
}

/** A Data Table of calls read back: one row per expected call, with the values Five9 gave for it. */
async function expectCallTable(name: string, ks: number[]) {
	const rows = await context.n8n.dataTableRows(name, OWNER);
	// Sorted ids equal to distinct expected ids: nothing missing, nothing extra, nothing twice.
	expect(rows.map((row) => row.call_id).sort()).toEqual(ks.map((k) => callFacts(k, CALL_SPACING).callId).sort());
	for (const row of rows) {
		const facts = callFacts(Number(row.call_id) - 300000000000000, CALL_SPACING);
		expect(row).toMatchObject({
			timestamp: new Date(facts.instantMs).toISOString(),
			campaign: facts.campaign,
			agent: facts.agentEmail,
			agent_name: facts.agentName,
			customer_name: facts.customerName,
			ani: facts.ani,
			talk_time: facts.talkSeconds,
			hold_time: facts.holdSeconds,
			cost: facts.cost,
			abandoned: facts.abandoned ? 1 : 0,
		});
	}
	return rows;
}

/** The columns a template's Create step gives its table (test/package ties them to the sticky notes). */
const createdColumns = (file: string, node: string) =>
	(nodeNamed(readTemplate(file), node).parameters.columns as { column: { name: string; type: string }[] }).column;

/** A schedule trigger set to fire every few seconds instead of minutes or days. */
function everySeconds(workflow: WorkflowFile, trigger: string, seconds: number) {
	nodeNamed(workflow, trigger).parameters.rule = { interval: [{ field: 'seconds', secondsInterval: seconds }] };
}

const CASES: Record<string, Case> = {
	'qa-scores-file-to-assembled.json': {
		configure: (workflow) =>
			setConfiguration(workflow, { filesFolder: path.join(ROOT, 'workflows/samples'), fileName: 'qa-scores.csv', dryRun: false }),
		check: (output, { assembled }) => {
			expect([...assembled.store.keys()].sort()).toEqual(['qa-file-EV-1001', 'qa-file-EV-1002', 'qa-file-EV-1003']);
			expect(assembled.duplicateReceipts).toBe(0);
			expect(runData(output, 'Push QA Scores', 1)).toHaveLength(4);
			expect(runData(output, 'Rows to Fix')[0].rows_to_fix).toBe(4);
		},
	},
	'five9-agent-states-to-file.json': {
		configure: (workflow, context) => setConfiguration(workflow, { filesFolder: freshFive9Folder(context) }),
		check: (_output, context) => {
			expect(context.five9.calls('getStatistics').length).toBeGreaterThan(0);
			const file = path.join(five9Folder(context), 'agent-states-latest.csv');
			const lines = readFileSync(file, 'utf8').trim().split('\n');
			expect(lines.length - 1).toBe(context.five9.agents.length);
		},
	},
	'five9-call-log-to-files.json': {
		configure: (workflow, context) => setConfiguration(workflow, { filesFolder: freshFive9Folder(context) }),
		check: (_output, context) => {
			expect(reportRuns(context)).toBeGreaterThan(0);
			expect(filesIn(five9Folder(context)).filter((name) => name.startsWith('call-log'))).toHaveLength(1);
		},
	},
	'five9-resync-recent-days-to-files.json': {
		configure: (workflow, context) => setConfiguration(workflow, { filesFolder: freshFive9Folder(context) }),
		check: (_output, context) => {
			expect(reportRuns(context)).toBeGreaterThan(0);
			expect(filesIn(five9Folder(context)).some((name) => name.startsWith('call-log'))).toBe(true);
		},
	},
	'five9-call-log-backfill-to-files.json': {
		configure: (workflow, context) =>
			setConfiguration(workflow, { filesFolder: freshFive9Folder(context), from: '2026-10-01', to: '2026-10-31', daysPerRun: 3 }),
		check: (_output, context) => {
			// One run reads `daysPerRun` days, one file each; with Adaptive Windows the first day alone,
			// then the other two in one report run (a few hundred calls, far below the row cap).
			expect(reportRuns(context)).toBe(2);
			expect(filesIn(five9Folder(context)).filter((name) => name.startsWith('call-log-2026-10-0'))).toHaveLength(3);
		},
	},
	'error-notification.json': {
		// Try It: a sample failure, composed and sent to the SMTP listener.
		check: (output, { smtp }) => {
			expect(runData(output, 'Send Email')).toHaveLength(1);
			const mail = smtp.mails.find((m) => m.subject.startsWith('[n8n] Sample:'));
			expect(mail).toMatchObject({ from: 'n8n@example.com', to: ['ops@example.com'], subject: '[n8n] Sample: Five9 call log to a Data Table failed at Call Log Today' });
			expect(mail!.text).toContain('Node:      Call Log Today');
		},
	},
	'aqm-to-assembled-scorecard.json': {
		check: (output, { assembled }) => {
			const read = runData(output, 'Evaluations of the Last Day');
			expect(read.length).toBeGreaterThan(0);
			const summary = runData(output, 'Problems Summary')[0];
			expect(summary.unknown_agents).toEqual(['Temp Agent']);
			expect(assembled.store.size).toBe(read.length - Number(summary.unknown_agent_scores));
			expect(assembled.duplicateReceipts).toBe(0);
		},
	},
	'aqm-backfill.json': {
		configure: (workflow) => setConfiguration(workflow, { from: '2026-11-02', to: '2026-11-04', daysPerRun: 31 }),
		check: (output, context) => {
			expect(reportRuns(context)).toBe(2);
			const sent = runData(output, 'Push to Agent Scorecard').length;
			expect(sent).toBeGreaterThan(0);
			expect(context.assembled.store.size).toBe(sent);
			expect(runData(output, 'Mark Days Done')[0].windowsSaved).toBe(2);
		},
	},
	'aqm-csv-import.json': {
		configure: (workflow) => setConfiguration(workflow, { filesFolder: path.join(ROOT, 'workflows/samples'), fileName: 'aqm-evaluations.csv' }),
		check: (output, { assembled }) => {
			expect(runData(output, 'Evaluations from File', 1)).toHaveLength(2);
			expect(runData(output, 'Rows to Fix')[0].unreadable_rows).toBe(2);
			expect(assembled.store.size).toBe(runData(output, 'Scores Sent').length);
			expect(assembled.store.size).toBeGreaterThan(0);
		},
	},
	'low-score-coaching.json': {
		check: (output, { assembled }) => {
			const shown = runData(output, 'Coaching Scheduled');
			expect(shown.length).toBeGreaterThan(0);
			expect(shown.every((item) => item.status === 'dryRun')).toBe(true);
			expect(assembled.activities.size).toBe(0);
		},
	},
	'five9-agent-states-to-assembled.json': {
		// Assembled knows every agent on the Five9 floor but the last, by the email they log in to Five9 with.
		configure: (_workflow, { five9, assembled }) => {
			const agents = five9.agents;
			assembled.people = [
				...makePeople(12),
				...makePeople(agents.length - 1).map((person, i) => ({ ...person, id: `e2e-state-person-${i}`, agent_id: `e2e-state-agent-${i}`, email: agents[i].username, deleted: false })),
			];
		},
		check: (output, { five9, assembled }) => {
			const agents = five9.agents;
			const store = ingestOf(assembled);
			try {
				expect(five9.calls('getStatistics').length).toBeGreaterThan(0);
				expect(store.states.size).toBe(agents.length - 1);
				const stored = [...store.states.values()];
				agents.slice(0, -1).forEach((agent, i) => {
					expect(stored.find((state) => state.agent_id === `e2e-state-agent-${i}`)).toMatchObject({
						state: agent.reasonCode ? `${agent.state}: ${agent.reasonCode}` : agent.state,
						start_time: agent.stateSinceMs / 1000,
					});
				});
				expect(runData(output, 'Push Agent States')).toHaveLength(agents.length - 1);
				expect(runData(output, 'Problems Summary')[0]).toMatchObject({ unknown_agents: [agents[agents.length - 1].fullName] });
			} finally {
				assembled.people = makePeople(12);
			}
		},
	},
	'five9-call-ended-to-assembled.json': {
		configure: (workflow, { n8n }) => {
			const logFile = path.join(n8n.filesFolder, 'five9-interactions.jsonl');
			writeFileSync(logFile, '');
			setConfiguration(workflow, { filesFolder: n8n.filesFolder, logFileName: 'five9-interactions.jsonl' });
		},
		check: (_output, { n8n, assembled }) => {
			const lines = readFileSync(path.join(n8n.filesFolder, 'five9-interactions.jsonl'), 'utf8').trim().split('\n');
			expect(lines).toHaveLength(1);
			const record = JSON.parse(lines[0]);
			expect(record.event_name).toBe('CallEnded');
			expect(assembled.countRequests({ path: '/v0/people' })).toBeGreaterThan(0);
		},
	},
};

/** Each case fills its own table, so one case's rows never count for another. */
const SERVER_CASES: Record<string, ServerCase> = {
	'five9-call-log-to-table.json': {
		configure: (workflow) => setConfiguration(workflow, { callsTable: 'e2e_today_calls', digitalEnabled: true, digitalTable: 'e2e_today_digital' }),
		trigger: 'Every 5 Minutes',
		check: async (context) => {
			const windows = windowsOf(context, CALL_LOG);
			expect(windows.length).toBeGreaterThanOrEqual(2);
			// Today so far: from the report time zone's midnight up to the moment of each run.
			for (const window of windows) expect(window.startMs).toBe(midnightIn(dateIn(window.endMs - 1, context.five9.timeZone), context.five9.timeZone));
			await expectCallTable('e2e_today_calls', callsIn(windows));
			const sessions = await context.n8n.dataTableRows('e2e_today_digital', OWNER);
			const expected = [...new Set(windowsOf(context, DIGITAL_LOG).flatMap((w) => gridIndexes(w, DIGITAL_SPACING, DIGITAL_SPACING / 2)))];
			expect(sessions.map((row) => row.session_guid).sort()).toEqual(expected.map((k) => digitalFacts(k, DIGITAL_SPACING).guid).sort());
		},
	},
	'five9-resync-recent-days.json': {
		configure: (workflow) => setConfiguration(workflow, { callsTable: 'e2e_resync_calls', nightlyDays: 2 }),
		trigger: 'Every Night',
		// Two whole days per run: room for a busy machine (runs took 35 s there).
		everySeconds: 60,
		// A table the user made by hand, as the sticky note describes: the template fills it.
		before: async ({ n8n }) => {
			await n8n.createDataTable('e2e_resync_calls', createdColumns('five9-resync-recent-days.json', 'Calls Table'), OWNER);
		},
		check: async (context) => {
			const windows = windowsOf(context, CALL_LOG);
			// Two whole days per run, both runs the same days: the second run updated, not added.
			expect(windows.length % 2).toBe(0);
			expect(windows.length).toBeGreaterThanOrEqual(4);
			expectWholeDays(windows, context.five9.timeZone);
			await expectCallTable('e2e_resync_calls', callsIn(windows));
			const table = await context.n8n.dataTable('e2e_resync_calls', OWNER);
			expect(table?.columns.map((c) => c.name).sort()).toEqual(createdColumns('five9-resync-recent-days.json', 'Calls Table').map((c) => c.name).sort());
		},
	},
	'five9-call-log-backfill.json': {
		configure: (workflow) => setConfiguration(workflow, { callsTable: 'e2e_backfill_calls', from: '2026-10-01', to: '2026-10-05', daysPerRun: 2 }),
		trigger: 'Every 15 Minutes',
		// A run of two days upserts about 300 rows; the next run must start after it saved its checkpoint,
		// also on a busy machine (runs took 45 s there).
		everySeconds: 75,
		check: async (context) => {
			const windows = windowsOf(context, CALL_LOG);
			// Two days, then the next two from the checkpoint: every day read once, in runs of whole days
			// (Adaptive Windows reads days together once the first run showed how few calls they hold).
			const zone = context.five9.timeZone;
			const runs = [...windows].sort((a, b) => a.startMs - b.startMs);
			expect(runs[0].startMs).toBe(midnightIn('2026-10-01', zone));
			runs.forEach((run, i) => {
				if (i > 0) expect(run.startMs).toBe(runs[i - 1].endMs);
				expect(run.endMs).toBe(midnightIn(dateIn(run.endMs, zone), zone));
			});
			expect(runs[runs.length - 1].endMs).toBe(midnightIn('2026-10-05', zone));
			await expectCallTable('e2e_backfill_calls', callsIn(windows));
		},
	},
	'five9-agent-states.json': {
		configure: (workflow) => setConfiguration(workflow, { agentStatesTable: 'e2e_agent_states' }),
		trigger: 'Every 15 Seconds',
		everySeconds: 15,
		// An agent goes on a break between the runs: the second run updates that agent's row.
		betweenRuns: ({ five9 }) => {
			five9.agents = five9.agents.map((agent, i) =>
				i === 0 ? { ...agent, state: 'Not Ready', reasonCode: 'Break', stateSinceMs: Math.floor(Date.now() / 1000) * 1000 } : agent,
			);
		},
		check: async ({ n8n, five9 }) => {
			const rows = await n8n.dataTableRows('e2e_agent_states', OWNER);
			expect(rows.map((row) => row.username).sort()).toEqual(five9.agents.map((agent) => agent.username).sort());
			for (const agent of five9.agents) {
				expect(rows.find((row) => row.username === agent.username)).toMatchObject({
					full_name: agent.fullName,
					state: agent.state,
					reason_code: agent.reasonCode,
					state_since: new Date(agent.stateSinceMs).toISOString(),
				});
			}
			expect(rows.find((row) => row.username === five9.agents[0].username)).toMatchObject({ state: 'Not Ready', reason_code: 'Break' });
		},
	},
	'assembled-weekly-adherence.json': {
		configure: (workflow) => setConfiguration(workflow, { adherenceTable: 'e2e_adherence', timeZone: 'America/Chicago' }),
		trigger: 'Every Monday',
		before: ({ assembled }) => {
			const reports = reportsOf(assembled);
			// Each report is still running for two polls, then comes in pages of 100 rows.
			reports.inProgressPolls = 2;
			reports.maxPageSize = 100;
		},
		check: async ({ n8n, assembled }) => {
			const reports = [...reportsOf(assembled).reports.values()];
			expect(reports.length).toBeGreaterThanOrEqual(2);
			const zone = 'America/Chicago';
			for (const report of reports) {
				// Last week, Monday to Monday in the configured zone, from the day the run asked.
				const today = dateIn(Date.parse(report.created_at), zone);
				const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
				const monday = new Date(Date.parse(`${today}T00:00:00Z`) - weekday * 86_400_000).toISOString().slice(0, 10);
				const lastMonday = new Date(Date.parse(`${monday}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
				expect({ type: report.type, body: report.body }).toEqual({
					type: 'adherence',
					body: { start_time: midnightIn(lastMonday, zone) / 1000, end_time: midnightIn(monday, zone) / 1000, interval: '24h', channel: 'phone' },
				});
				expect(report.metrics.length).toBeGreaterThan(100);
			}
			// One row per metric of a report, not per run; the second run's rows replaced the first's.
			const last = reports[reports.length - 1];
			const rows = await n8n.dataTableRows('e2e_adherence', OWNER);
			expect(new Set(rows.map((row) => row.row_key)).size).toBe(rows.length);
			expect(rows).toHaveLength(last.metrics.length);
			const people = new Map(assembled.people.map((person) => [person.agent_id, person]));
			const key = (agent: unknown, metric: unknown, type: unknown, startMs: number) => `${String(agent)}|${String(metric)}|${String(type)}|${startMs}`;
			const stored = new Map(rows.map((row) => [key(row.agent_id, row.metric, row.interval_type, Date.parse(String(row.interval_start))), row]));
			for (const metric of last.metrics) {
				const row = stored.get(key(metric.attributes.agent_id, metric.name, metric.attributes.type, metric.attributes.start_time * 1000));
				const person = people.get(metric.attributes.agent_id);
				expect(row).toMatchObject({
					value: metric.value,
					channel: 'phone',
					report_id: last.id,
					agent_name: person ? `${person.first_name} ${person.last_name}` : null,
					agent_email: person?.email ?? null,
				});
				expect(Date.parse(String(row!.interval_end))).toBe(metric.attributes.end_time * 1000);
			}
		},
	},
};

/** Templates with a test of their own below. */
const OWN_TESTS = ['five9-call-log-to-assembled-conversations.json'];

const workflowFiles = readdirSync(path.join(ROOT, 'workflows')).filter((file) => file.endsWith('.json'));
let context: Context;

beforeAll(async () => {
	const provisioned = provision();
	const n8n = new N8nInstance(provisioned);
	const assembled = await new AssembledMock({ validKeys: [ASSEMBLED_KEY] }).start();
	const five9 = await new Five9Mock({ runningPolls: 1, callSpacingSeconds: CALL_SPACING, digitalSpacingSeconds: DIGITAL_SPACING }).start();
	const smtp = await new SmtpCatcher().start();
	context = { n8n, assembled, five9, smtp };
	const installed = n8n.installPackage();
	expect(existsSync(path.join(installed, 'dist'))).toBe(true);
	await n8n.importCredentials([
		{ id: 'assembledCred1', name: 'Assembled account', type: 'assembledApi', data: { apiKey: ASSEMBLED_KEY, baseUrl: assembled.url, apiVersion: '2019-06-20' } },
		{ id: 'five9CtiCred1', name: 'Five9 CTI account', type: 'five9CtiApi', data: { trustToken: 'e2e-trust-token-0123456789abcdef', apiKey: 'e2e-cti-api-key-7f3a' } },
		{ id: 'five9Cred1', name: 'Five9 account', type: 'five9Api', data: five9.credentials() },
		// Plain SMTP to the local listener: no TLS, no login.
		{ id: 'smtpCred1', name: 'SMTP account', type: 'smtp', data: { host: '127.0.0.1', port: smtp.port, secure: false, disableStartTls: true } },
	]);
}, 30 * 60_000);

afterAll(async () => {
	await context?.n8n.stop();
	await context?.assembled.stop();
	await context?.five9.stop();
	await context?.smtp.stop();
});

test('every shipped workflow has an end-to-end expectation', () => {
	expect(workflowFiles.filter((file) => !CASES[file] && !SERVER_CASES[file] && !OWN_TESTS.includes(file))).toEqual([]);
});

describe.each(workflowFiles.filter((file) => CASES[file]))('%s', (file) => {
	test('runs headless in n8n with the installed package', async () => {
		const workflow = JSON.parse(readFileSync(path.join(ROOT, 'workflows', file), 'utf8')) as WorkflowFile;
		context.assembled.clear();
		context.five9.clear();
		CASES[file].configure?.(workflow, context);
		await context.n8n.importWorkflow({ ...workflow, active: false });
		const result = await context.n8n.execute(workflow.id);
		if (result.code !== 0) throw new Error(`n8n execute failed (${result.code}):\n${result.output.slice(-4000)}`);
		try {
			expect(result.data?.data?.resultData?.error).toBeUndefined();
			CASES[file].check(result.data!, context);
		} catch (error) {
			(error as Error).message += `\n--- n8n output ---\n${result.output.slice(-6000)}`;
			throw error;
		}
	}, 5 * 60_000);
});

const OWNER = { email: 'e2e-owner@example.com', password: 'E2e-owner-Passw0rd!' };

const readTemplate = (file: string) => JSON.parse(readFileSync(path.join(ROOT, 'workflows', file), 'utf8')) as WorkflowFile;
const nodeNamed = (workflow: WorkflowFile, name: string) => {
	const found = workflow.nodes.find((n) => n.name === name);
	if (!found) throw new Error(`${workflow.name} has no node ${name}`);
	return found as WorkflowFile['nodes'][number] & { credentials?: Record<string, { id: string; name: string }> };
};

/** Imports an edited copy of a template under its own id, and runs it with `n8n execute`. */
async function executeCopy(file: string, id: string, edit: (workflow: WorkflowFile) => void) {
	const workflow = readTemplate(file);
	edit(workflow);
	await context.n8n.importWorkflow({ ...workflow, id, name: `${workflow.name} (${id})`, active: false });
	return await context.n8n.execute(id);
}

/** Who Assembled knows: an evaluation's agent by email, or by Five9 id under platforms. */
function knownToAssembled(evaluation: MockEvaluation): boolean {
	const name = evaluation.agent.userName.toLowerCase();
	return context.assembled.people.some((p) => !p.deleted && (p.email?.toLowerCase() === name || p.platforms.five9.toLowerCase() === name));
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}\n--- n8n log ---\n${context.n8n.serverLog.slice(-6000)}`);
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

describe('off the happy path, in a real n8n', () => {
	beforeEach(() => {
		context.assembled.clear();
		context.five9.clear();
	});

	test('the scorecard with a wrong report name fails: n8n execute exits non-zero and names the report', async () => {
		const result = await executeCopy('aqm-to-assembled-scorecard.json', 'e2eWrongReport1', (workflow) => {
			nodeNamed(workflow, 'Evaluations of the Last Day').parameters.reportName = 'No Such Report';
		});
		expect(result.code).not.toBe(0);
		expect(result.output).toMatch(/no report "No Such Report"/);
		expect(context.assembled.countRequests({ path: '/v0/qa_scores/bulk' })).toBe(0);
	}, 5 * 60_000);

	test('a rejected Five9 password fails the run with the credential message', async () => {
		await context.n8n.importCredentials([
			{ id: 'five9CredWrong', name: 'Five9 wrong password', type: 'five9Api', data: context.five9.credentials({ password: 'not-the-password' }) },
		]);
		const result = await executeCopy('aqm-to-assembled-scorecard.json', 'e2eWrongPassword1', (workflow) => {
			nodeNamed(workflow, 'Evaluations of the Last Day').credentials = { five9Api: { id: 'five9CredWrong', name: 'Five9 wrong password' } };
		});
		expect(result.code).not.toBe(0);
		expect(result.output).toMatch(/Five9 rejected the username\/password/);
		expect(result.output).not.toContain('not-the-password');
	}, 5 * 60_000);

	test('a file import whose file is missing fails, naming the path', async () => {
		const result = await executeCopy('aqm-csv-import.json', 'e2eMissingFile1', (workflow) =>
			setConfiguration(workflow, { filesFolder: context.n8n.filesFolder, fileName: 'no-such-export.csv' }),
		);
		expect(result.code).not.toBe(0);
		expect(result.output).toContain(`No file matches ${context.n8n.filesFolder}/no-such-export.csv`);
		expect(context.assembled.countRequests({ path: '/v0/qa_scores/bulk' })).toBe(0);
	}, 5 * 60_000);

	test('the CSV import with a short row: that row is reported with its number, the others land with their true scores', async () => {
		const agents = context.assembled.people.filter((p) => !p.deleted && p.email).slice(0, 4);
		const header = 'EVALUATION ID,AGENT,AGENT NAME,SCORE,MAX SCORE,EVALUATION DATE,INTERACTION DATE';
		const rows = [
			['E1', agents[0].email, 'First Agent', '80', '100', '2026-11-02T10:00:00Z', '2026-11-02T09:30:00Z'],
			// The agent name is missing: read loosely, 100 would land as E2's score.
			['E2', agents[1].email, '45', '100', '2026-11-02T11:00:00Z', '2026-11-02T10:30:00Z'],
			['E3', agents[2].email, 'Third Agent', '7', '10', '2026-11-02T12:00:00Z', '2026-11-02T11:30:00Z'],
			['E4', agents[3].email, 'Fourth Agent', '33', '50', '2026-11-02T13:00:00Z', '2026-11-02T12:30:00Z'],
		];
		writeFileSync(path.join(context.n8n.filesFolder, 'short-row.csv'), [header, ...rows.map((row) => row.join(','))].join('\r\n') + '\r\n');
		const result = await executeCopy('aqm-csv-import.json', 'e2eShortRow1', (workflow) =>
			setConfiguration(workflow, { filesFolder: context.n8n.filesFolder, fileName: 'short-row.csv', fileTimeZone: 'UTC' }),
		);
		if (result.code !== 0) throw new Error(`n8n execute failed (${result.code}):\n${result.output.slice(-4000)}`);
		const reported = runData(result.data!, 'Evaluations from File', 1);
		expect(reported).toHaveLength(1);
		expect(reported[0].error).toMatch(/row 2 \(line 3\) has 6 cells but the header has 7/);
		// What landed, against the file's own text: every full row with its score, E2 not at all.
		const full = rows.filter((row) => row.length === 7);
		expect([...context.assembled.store.keys()].sort()).toEqual(full.map((row) => `five9-aqm-${row[0]}`).sort());
		for (const row of full) {
			expect(context.assembled.store.get(`five9-aqm-${row[0]}`)).toMatchObject({ score: Number(row[3]), max_score: Number(row[4]), agent_email: row[1] });
		}
		expect(context.assembled.duplicateReceipts).toBe(0);
	}, 5 * 60_000);

	test('the active scorecard: Assembled down → the run is red and nothing is lost; back → every score lands once; an edited score lands too', async () => {
		const assembled = context.assembled;
		const five9 = context.five9;
		const id = 'e2eLiveScorecard1';
		const workflow = readTemplate('aqm-to-assembled-scorecard.json');
		const trigger = nodeNamed(workflow, 'New Evaluations');
		trigger.parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
		trigger.parameters.options = { overlapMinutes: 60, backfillDays: 1, rescanDays: 3 };
		const push = nodeNamed(workflow, 'Push to Agent Scorecard');
		push.parameters.options = { ...(push.parameters.options as object), maxRetries: 1, retryDelayMs: 200 };
		await context.n8n.importWorkflow({ ...workflow, id, name: `${workflow.name} (live)`, active: false });
		await context.n8n.startServer(OWNER);
		assembled.inject({ status: 503, times: 10_000, retryAfter: 0, match: (request) => request.path === '/v0/qa_scores/bulk' });

		const activatedFrom = Date.now();
		await context.n8n.activate(id, OWNER);
		// The first poll runs at activation: a day of evaluations, pushed while Assembled answers 503.
		const failed = await waitFor('a failed run', async () => (await context.n8n.executions(id, OWNER)).find((e) => e.status === 'error'), 180_000);
		expect(failed.mode).toBe('trigger');
		expect(assembled.store.size).toBe(0);
		expect(assembled.countRequests({ path: '/v0/qa_scores/bulk' })).toBeGreaterThan(0);
		expect(assembled.countRequests({ path: '/v0/qa_scores/bulk', status: 200 })).toBe(0);

		// What the first poll had to deliver, from the feed itself: the day before activation (the poll
		// starts once n8n is up, so its day begins up to a few minutes later than this one).
		const expected = evaluationsBetween(DEFAULT_EVALUATION_FEED, activatedFrom - 86_400_000 + 180_000, activatedFrom - 5_000).filter(knownToAssembled);
		expect(expected.length).toBeGreaterThan(10);
		assembled.clear();
		await waitFor('every score of the day in Assembled', () => expected.every((e) => assembled.store.has(`five9-aqm-${e.id}`)) || undefined, 180_000);
		for (const e of expected) {
			expect(assembled.receipts.get(`five9-aqm-${e.id}`)).toBe(1);
			expect(assembled.store.get(`five9-aqm-${e.id}`)).toMatchObject({ score: e.score, max_score: e.maxScore });
		}
		expect(assembled.duplicateReceipts).toBe(0);
		const afterRecovery = await context.n8n.executions(id, OWNER);
		expect(afterRecovery.some((e) => e.status === 'success')).toBe(true);

		// An evaluation is edited in Five9 after it was sent: the next poll sends the new score.
		const edited = [...expected].reverse().find((e) => e.evaluatedOn > Date.now() - 50 * 60_000) ?? expected[expected.length - 1];
		const newScore = (edited.score + 7) % (edited.maxScore + 1);
		const receiptsBefore = new Map(assembled.receipts);
		const original = five9.reports[AQM_REPORT];
		five9.reports[AQM_REPORT] = (window, reportContext) => {
			const data = original(window, reportContext);
			const column = (name: string) => data.header.indexOf(name);
			for (const row of data.rows) {
				if (row[column('EVALUATION ID')] !== edited.id) continue;
				row[column('SCORE')] = String(newScore);
				row[column('SCORE %')] = String(Math.round((newScore / edited.maxScore) * 10_000) / 100);
			}
			return data;
		};
		try {
			await waitFor('the edited score in Assembled', () => assembled.store.get(`five9-aqm-${edited.id}`)?.score === newScore || undefined, 180_000);
		} finally {
			five9.reports[AQM_REPORT] = original;
		}
		// One more receipt for the edited evaluation (its new version); none for any score sent before.
		expect(assembled.receipts.get(`five9-aqm-${edited.id}`)).toBe(2);
		for (const [importedId, count] of receiptsBefore) {
			if (importedId !== `five9-aqm-${edited.id}`) expect(assembled.receipts.get(importedId)).toBe(count);
		}
		// Later tests share the server and the local vendors: its polls stop here.
		await context.n8n.deactivate(id, OWNER);
	}, 10 * 60_000);
});

/** Activates a template in the server, waits for two successful runs, deactivates it. */
async function runActivated(file: string, serverCase: ServerCase) {
	const { n8n } = context;
	const workflow = readTemplate(file);
	serverCase.configure?.(workflow, context);
	everySeconds(workflow, serverCase.trigger, serverCase.everySeconds ?? 20);
	await n8n.importWorkflow({ ...workflow, active: false });
	await n8n.startServer(OWNER);
	await serverCase.before?.(context);
	const succeededSince = (since: number) => async () => {
		const executions = await n8n.executions(workflow.id, OWNER);
		const failed = executions.find((e) => e.status === 'error' || e.status === 'crashed');
		if (failed) throw new Error(`${workflow.name}: run ${failed.id} ended ${failed.status}\n--- n8n log ---\n${n8n.serverLog.slice(-6000)}`);
		return executions.some((e) => e.status === 'success' && Date.parse(e.startedAt ?? '') >= since) || undefined;
	};
	await n8n.activate(workflow.id, OWNER);
	try {
		await waitFor(`a first successful run of ${workflow.name}`, succeededSince(0), 180_000);
		serverCase.betweenRuns?.(context);
		await waitFor(`a second successful run of ${workflow.name}`, succeededSince(Date.now()), 180_000);
	} finally {
		await n8n.deactivate(workflow.id, OWNER);
	}
	// A run that started just before deactivation finishes before the table is read.
	const executions = await waitFor(
		'no run in progress',
		async () => {
			const all = await n8n.executions(workflow.id, OWNER);
			return all.every((e) => !['new', 'running'].includes(e.status)) ? all : undefined;
		},
		120_000,
	);
	// Runs that overlap read stale checkpoints and can insert one new row twice: the schedule was too
	// short for this machine, which says nothing about the template.
	const spans = executions.map((e) => [Date.parse(e.startedAt ?? ''), Date.parse(e.stoppedAt ?? '')]).sort((a, b) => a[0] - b[0]);
	const overlap = spans.findIndex(([start], i) => i > 0 && start < spans[i - 1][1]);
	if (overlap > 0) throw new Error(`${workflow.name}: runs overlapped (a run took longer than the ${serverCase.everySeconds ?? 20} s schedule): ${JSON.stringify(executions)}`);
}

describe.each(workflowFiles.filter((file) => SERVER_CASES[file]))('%s', (file) => {
	test('runs activated in n8n and fills its Data Table, once per row after two runs', async () => {
		context.assembled.clear();
		context.five9.clear();
		await runActivated(file, SERVER_CASES[file]);
		await SERVER_CASES[file].check(context);
	}, 10 * 60_000);
});

test('a failed activated run calls the error notification: one email naming the workflow, the node and the cause, with a link to the run', async () => {
	const { n8n, smtp } = context;
	const notification = readTemplate('error-notification.json');
	await n8n.importWorkflow({ ...notification, active: false });
	await n8n.startServer(OWNER);
	// n8n starts only published error workflows.
	await n8n.activate(notification.id, OWNER);
	try {
		const id = 'e2eFailingRun1';
		const workflow = readTemplate('five9-call-log-to-table.json');
		// The template names the notification as shipped; nothing is set here.
		expect(workflow.settings.errorWorkflow).toBe(notification.id);
		setConfiguration(workflow, { callsTable: 'e2e_failing_calls', callLogReport: 'No Such Report' });
		everySeconds(workflow, 'Every 5 Minutes', 10);
		const name = `${workflow.name} (failing)`;
		await n8n.importWorkflow({ ...workflow, id, name, active: false });
		await n8n.activate(id, OWNER);
		const failed = await waitFor('a failed run', async () => (await n8n.executions(id, OWNER)).find((e) => e.status === 'error'), 120_000).finally(
			async () => await n8n.deactivate(id, OWNER),
		);
		const link = `${n8n.serverUrl}/workflow/${id}/executions/${failed.id}`;
		const mail = await waitFor('the notification email', () => smtp.mails.find((m) => m.text.includes(link)), 60_000);
		expect(mail).toMatchObject({ from: 'n8n@example.com', to: ['ops@example.com'], subject: `[n8n] ${name} failed at Call Log Today` });
		const lines = mail.text.split('\n');
		expect(lines).toContain(`Workflow:  ${name} (id ${id})`);
		expect(lines).toContain('Node:      Call Log Today');
		expect(lines.find((line) => line.startsWith('Cause: '))).toMatch(/^Cause: {5}Five9 has no report "No Such Report" in folder "Call Log Reports"/);
		expect(lines).toContain(`Execution: ${link}`);
		expect((await n8n.executions(notification.id, OWNER)).some((e) => e.mode === 'error' && e.status === 'success')).toBe(true);
	} finally {
		await n8n.deactivate(notification.id, OWNER);
	}
}, 5 * 60_000);

/** The workflow the README screenshot shows. */
const SHOWCASE_WORKFLOW = 'aqm-to-assembled-scorecard.json';

const ASSEMBLED_CREDENTIAL = { assembledApi: { id: 'assembledCred1', name: 'Assembled account' } };
const FIVE9_CREDENTIAL = { five9Api: { id: 'five9Cred1', name: 'Five9 account' } };
const MANUAL_TRIGGER = { id: 'manual', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

/** A workflow as the editor saves a new one: a Manual Trigger, then the given nodes in a row. */
function newWorkflow(name: string, nodes: { name: string; type: string; typeVersion: number; parameters: Record<string, unknown>; credentials?: Record<string, unknown> }[]) {
	const chain = [MANUAL_TRIGGER, ...nodes.map((node, index) => ({ id: `node${index}`, position: [240 * (index + 1), 0], ...node }))];
	const connections = Object.fromEntries(chain.slice(0, -1).map((node, index) => [node.name, { main: [[{ node: chain[index + 1].name, type: 'main', index: 0 }]] }]));
	return { name, nodes: chain, connections, settings: { executionOrder: 'v1' } };
}

/** Copies a screenshot over the README's only when asked to, so a test run changes no tracked file. */
function keepScreenshot(shot: string, readmeImage: string) {
	if (process.env.UPDATE_README_SCREENSHOT === '1') copyFileSync(shot, path.join(ROOT, 'docs', 'images', readmeImage));
}

/** Lower case without accents, as a person searching would not type them. */
const folded = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** The local Assembled's people as the person list names them: those not deleted. */
const PEOPLE = makePeople(12).filter((person) => !person.deleted);
const personLabel = (person: MockPerson) => `${person.first_name} ${person.last_name} (${person.email})`;

describe('nodes added fresh at version 1.1, with their defaults', () => {
	beforeEach(() => {
		context.assembled.clear();
		context.five9.clear();
	});

	test('Five9 Report → Run with only its defaults and a credential runs in n8n: yesterday’s Call Log, every call once', async () => {
		await context.n8n.startServer(OWNER);
		const api = context.n8n.restClient(OWNER);
		// An empty parameter list is what n8n saves for a node left at its defaults: Report → Run.
		const id = await api.createWorkflow(newWorkflow('Fresh Report Run', [{ name: 'Five9', type: `${PACKAGE}.five9`, typeVersion: 1.1, parameters: {}, credentials: FIVE9_CREDENTIAL }]));
		const before = Date.now();
		const run = await api.runManually(id, 'Manual Trigger');
		const after = Date.now();
		expect(run.output.data?.resultData?.error).toBeUndefined();
		expect(run.status).toBe('success');
		// Previous Days = 1: one window, yesterday in the report time zone, midnight to midnight.
		const zone = context.five9.timeZone;
		const windows = windowsOf(context, CALL_LOG);
		expect(windows).toHaveLength(1);
		expectWholeDays(windows, zone);
		expect([midnightIn(dateIn(before, zone), zone), midnightIn(dateIn(after, zone), zone)]).toContain(windows[0].endMs);
		const rows = runData(run.output, 'Five9');
		expect(rows.map((row) => String(row['CALL ID'])).sort()).toEqual(callsIn(windows).map((k) => callFacts(k, CALL_SPACING).callId).sort());
	}, 5 * 60_000);

	test('Five9 evaluations → Assembled QA Score Create Many 1.1 with its defaults: every evaluation lands once, as the feed has it', async () => {
		await context.n8n.startServer(OWNER);
		const api = context.n8n.restClient(OWNER);
		const from = '2026-11-02T00:00:00.000Z';
		const to = '2026-11-03T00:00:00.000Z';
		const id = await api.createWorkflow(
			newWorkflow('Fresh QA Score push', [
				{
					name: 'Evaluations',
					type: `${PACKAGE}.five9`,
					typeVersion: 1.1,
					parameters: { resource: 'evaluation', operation: 'getMany', source: 'report', fillAgentEmails: true, start: from, end: to },
					credentials: FIVE9_CREDENTIAL,
				},
				// An empty parameter list: QA Score → Create Many with version 1.1's defaults (Five9 Evaluation input).
				{ name: 'Assembled', type: `${PACKAGE}.assembled`, typeVersion: 1.1, parameters: {}, credentials: ASSEMBLED_CREDENTIAL },
			]),
		);
		const run = await api.runManually(id, 'Manual Trigger');
		expect(run.output.data?.resultData?.error).toBeUndefined();
		expect(run.status).toBe('success');

		// What should have landed, from the feed and the local Five9's directory alone.
		const expected = evaluationsBetween(DEFAULT_EVALUATION_FEED, Date.parse(from), Date.parse(to));
		expect(expected.length).toBe(72);
		// Some agents log in to Five9 with a user name that is no email: their emails come from Five9's user list.
		expect(expected.some((e) => !e.agent.userName.includes('@'))).toBe(true);
		const emailOf = (userName: string) =>
			(userName.includes('@') ? userName : context.five9.directory.users.find((user) => user.userName === userName)?.email)?.toLowerCase();
		const { store } = context.assembled;
		expect([...store.keys()].sort()).toEqual(expected.map((e) => `five9-aqm-${e.id}`).sort());
		for (const e of expected) {
			expect(store.get(`five9-aqm-${e.id}`)).toMatchObject({
				agent_email: emailOf(e.agent.userName),
				agent_name: e.agent.fullName,
				score: e.score,
				max_score: e.maxScore,
				ticket_created_at: e.interaction.startedOn / 1000,
				graded_at: e.evaluatedOn / 1000,
			});
			expect(context.assembled.receipts.get(`five9-aqm-${e.id}`)).toBe(1);
		}
		const outcomes = runData(run.output, 'Assembled');
		expect(outcomes).toHaveLength(expected.length);
		expect(outcomes.every((item) => item.status === 'sent')).toBe(true);
	}, 5 * 60_000);
});

test('five9-call-log-to-assembled-conversations.json, run twice: today’s calls are conversations in Assembled, each CALL ID held once', async () => {
	context.assembled.clear();
	context.five9.clear();
	const store = ingestOf(context.assembled);
	const reads: Record<string, unknown>[][] = [];
	for (const round of [1, 2]) {
		const result = await executeCopy('five9-call-log-to-assembled-conversations.json', 'e2eConversations1', () => undefined);
		if (result.code !== 0) throw new Error(`run ${round}: n8n execute failed (${result.code}):\n${result.output.slice(-4000)}`);
		expect(result.data?.data?.resultData?.error).toBeUndefined();
		const read = runData(result.data!, 'Call Log Today');
		reads.push(read);
		expect(runData(result.data!, 'Push Conversations')).toHaveLength(read.length);
		expect(runData(result.data!, 'Push Conversations', 1)).toEqual([]);
	}
	// The calls the local Five9 generated for the windows it was asked, computed from its grid.
	const expected = callsIn(windowsOf(context, CALL_LOG)).map((k) => callFacts(k, CALL_SPACING));
	expect([...store.conversations.keys()].sort()).toEqual([...new Set(expected.map((call) => `five9-call-${call.callId}`))].sort());
	for (const call of expected) {
		expect(store.conversations.get(`five9-call-${call.callId}`)).toMatchObject({
			channel: 'phone',
			status: call.abandoned ? 'abandoned' : 'solved',
			created_at: Math.floor(call.instantMs / 1000),
		});
	}
	// Read in both runs: sent twice, held once.
	for (const row of reads[0]) expect(store.conversationReceipts.get(`five9-call-${String(row['CALL ID'])}`)).toBe(2);
	expect(context.assembled.countRequests({ status: 429 })).toBe(0);
}, 5 * 60_000);

test('the Assembled credential works in n8n’s HTTP Request node as a predefined credential type', async () => {
	context.assembled.clear();
	await context.n8n.startServer(OWNER);
	const api = context.n8n.restClient(OWNER);
	const id = await api.createWorkflow(
		newWorkflow('Assembled through HTTP Request', [
			{
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: { authentication: 'predefinedCredentialType', nodeCredentialType: 'assembledApi', url: `${context.assembled.url}/v0/people`, options: {} },
				credentials: ASSEMBLED_CREDENTIAL,
			},
		]),
	);
	const run = await api.runManually(id, 'Manual Trigger');
	expect(run.output.data?.resultData?.error).toBeUndefined();
	expect(run.status).toBe('success');
	// The local server answers 401 without the key as Basic user name; it saw one request and let it in.
	const seen = context.assembled.requests.filter((request) => request.path === '/v0/people');
	expect(seen.map((request) => request.status)).toEqual([200]);
	const [answer] = runData(run.output, 'HTTP Request');
	expect(Object.keys(answer.people as object).sort()).toEqual(context.assembled.people.filter((person) => !person.deleted).map((person) => person.id).sort());
}, 5 * 60_000);

/**
 * Every pick-list method of every node, called the way the editor calls it: n8n 2.40's
 * `POST /rest/dynamic-node-parameters/resource-locator-results` (listSearch) and `…/options`
 * (loadOptions), with the test credentials. Each answers with what the local server holds.
 */
describe('pick-lists through n8n’s REST API', () => {
	type Entry = { name: string; value: string };
	interface MethodCase {
		node: 'assembled' | 'five9';
		/** The field that uses the method, and the node's parameters around it. */
		path: string;
		parameters: Record<string, unknown>;
		expected: () => Entry[];
	}
	const named = (collection: Record<string, { id: string; name: string }>) => Object.values(collection).map(({ id, name }) => ({ name, value: id }));
	const byName = (names: { name: string }[]) => names.map(({ name }) => ({ name, value: name }));
	const criterion = (objectType: string, field: string) => ({
		path: `parameters.criteria.objects[0].${field}`,
		parameters: { resource: 'report', operation: 'run', criteria: { objects: [{ objectType }] } },
	});
	const LIST_SEARCH: Record<string, MethodCase> = {
		'assembled.searchPersons': {
			node: 'assembled',
			path: 'parameters.personId',
			parameters: { resource: 'person', operation: 'get' },
			expected: () => PEOPLE.map((person) => ({ name: personLabel(person), value: person.id })),
		},
		'assembled.searchAgents': {
			node: 'assembled',
			path: 'parameters.agent',
			parameters: { resource: 'activity', operation: 'create', agentBy: 'agentId' },
			expected: () => PEOPLE.map((person) => ({ name: personLabel(person), value: person.agent_id })),
		},
		'assembled.searchActivityTypes': {
			node: 'assembled',
			path: 'parameters.typeId',
			parameters: { resource: 'activity', operation: 'create' },
			expected: () => named(MOCK_ACTIVITY_TYPES),
		},
		// No activity type of the local server is marked as time off: the list offers them all.
		'assembled.searchTimeOffTypes': {
			node: 'assembled',
			path: 'parameters.timeOffType',
			parameters: { resource: 'timeOff', operation: 'create' },
			expected: () => named(MOCK_ACTIVITY_TYPES),
		},
		'assembled.searchRequirementTypes': {
			node: 'assembled',
			path: 'parameters.requirementType',
			parameters: { resource: 'requirement', operation: 'create' },
			expected: () => named(MOCK_REQUIREMENT_TYPES),
		},
		'assembled.searchTeams': { node: 'assembled', path: 'parameters.filters.team', parameters: { resource: 'person', operation: 'getMany' }, expected: () => named(MOCK_TEAMS) },
		'assembled.searchSites': { node: 'assembled', path: 'parameters.filters.site', parameters: { resource: 'person', operation: 'getMany' }, expected: () => named(MOCK_SITES) },
		'assembled.searchQueues': { node: 'assembled', path: 'parameters.filters.queue', parameters: { resource: 'person', operation: 'getMany' }, expected: () => named(MOCK_QUEUES) },
		'assembled.searchSkills': { node: 'assembled', path: 'parameters.filters.skill', parameters: { resource: 'person', operation: 'getMany' }, expected: () => named(MOCK_SKILLS) },
		'five9.searchCampaigns': { node: 'five9', ...criterion('Campaign', 'campaign'), expected: () => byName(context.five9.directory.campaigns) },
		'five9.searchSkills': { node: 'five9', ...criterion('Skill', 'skill'), expected: () => byName(context.five9.directory.skills) },
		'five9.searchAgentGroups': { node: 'five9', ...criterion('AgentGroup', 'agentGroup'), expected: () => byName(context.five9.directory.agentGroups) },
		'five9.searchUsers': {
			node: 'five9',
			...criterion('User', 'user'),
			expected: () => context.five9.directory.users.map((user) => ({ name: `${user.fullName} (${user.userName})`, value: user.userName })),
		},
	};
	/** No node has loadOptions methods today; one added needs a case here, or the coverage test fails. */
	const LOAD_OPTIONS: Record<string, MethodCase> = {};
	const CASES = new Map([
		...Object.entries(LIST_SEARCH).map(([key, method]) => [`listSearch ${key}`, method] as const),
		...Object.entries(LOAD_OPTIONS).map(([key, method]) => [`loadOptions ${key}`, method] as const),
	]);

	test('every listSearch and loadOptions method of the package has a case here', () => {
		const methods: string[] = [];
		for (const file of JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).n8n.nodes as string[]) {
			const exported = require(path.join(ROOT, file)) as Record<string, new () => { description: { name: string }; methods?: Record<string, Record<string, unknown>> }>;
			const node = new (Object.values(exported)[0])();
			for (const kind of ['listSearch', 'loadOptions']) {
				for (const method of Object.keys(node.methods?.[kind] ?? {})) methods.push(`${kind} ${node.description.name}.${method}`);
			}
		}
		expect(methods.sort()).toEqual([...CASES.keys()].sort());
	});

	const bySortKey = (a: Entry, b: Entry) => a.value.localeCompare(b.value) || a.name.localeCompare(b.name);

	test.each([...CASES.keys()])('%s lists what the local server holds', async (key) => {
		const method = CASES.get(key)!;
		const [kind, name] = key.split(' ');
		await context.n8n.startServer(OWNER);
		const body = {
			nodeTypeAndVersion: { name: `${PACKAGE}.${method.node}`, version: 1.1 },
			path: method.path,
			methodName: name.split('.')[1],
			currentNodeParameters: method.parameters,
			credentials: method.node === 'assembled' ? ASSEMBLED_CREDENTIAL : FIVE9_CREDENTIAL,
		};
		let entries: Entry[];
		if (kind === 'listSearch') {
			const { data } = await context.n8n.rest<{ data: { results: Entry[]; paginationToken?: string } }>('/rest/dynamic-node-parameters/resource-locator-results', OWNER, body);
			// Every list here is shorter than a page.
			expect(data.paginationToken).toBeUndefined();
			entries = data.results;
		} else {
			entries = (await context.n8n.rest<{ data: Entry[] }>('/rest/dynamic-node-parameters/options', OWNER, body)).data;
		}
		expect(entries.map(({ name, value }) => ({ name, value: String(value) })).sort(bySortKey)).toEqual(method.expected().sort(bySortKey));
	}, 2 * 60_000);
});

describe('the editor', () => {
	let editor: Editor;
	beforeAll(async () => {
		// As shipped, whatever a test before made of it.
		await context.n8n.importWorkflow({ ...readTemplate(SHOWCASE_WORKFLOW), active: false });
		editor = await Editor.open(context.n8n, OWNER);
	}, 5 * 60_000);
	afterAll(async () => await editor?.close());

	test('shows every node of a shipped workflow with its own icon', async () => {
		const { page } = editor;
		const file = SHOWCASE_WORKFLOW;
		const workflow = readTemplate(file);
		await editor.openWorkflow(workflow.id);
		const expected = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote').length;
		expect(await page.locator('[data-test-id="canvas-node"]').count()).toBe(expected);
		const text = await page.locator('body').innerText();
		expect(text).not.toMatch(/Install this node|node is not currently installed|Unrecognized node type/i);
		// Our nodes' icons are served by n8n from the installed package.
		const icons: { src: string; loaded: boolean }[] = await page.$$eval('[data-test-id="canvas-node"] img', (images: { src: string; complete: boolean; naturalWidth: number }[]) =>
			images.map((image) => ({ src: image.src, loaded: image.complete && image.naturalWidth > 0 })),
		);
		const ours = workflow.nodes.filter((node) => node.type.startsWith(`${PACKAGE}.`)).length;
		expect(icons.filter((icon) => icon.src.includes(`/icons/${PACKAGE}/`)).length).toBe(ours);
		expect(icons.every((icon) => icon.loaded)).toBe(true);
		mkdirSync(SCREENSHOTS, { recursive: true });
		const shot = path.join(SCREENSHOTS, `${path.basename(file, '.json')}.png`);
		await page.screenshot({ path: shot });
		keepScreenshot(shot, 'editor.png');
	}, 5 * 60_000);

	test('the Five9 Evaluation Trigger’s panel shows Source as a parameter of its own, with both sources', async () => {
		await editor.openWorkflow(readTemplate(SHOWCASE_WORKFLOW).id);
		await editor.openNode('New Evaluations');
		const source = editor.parameter('Source');
		expect(await source.count()).toBe(1);
		expect(await source.isVisible()).toBe(true);
		const input = source.locator('[data-test-id="parameter-input-source"]');
		expect(await input.locator('input').inputValue()).toBe('Five9 Report');
		await input.click();
		await editor.page.locator('.el-select-dropdown__item:visible').first().waitFor({ timeout: 10_000 });
		const options = await editor.visibleTexts('.el-select-dropdown__item');
		expect(options.map((option) => option.split('\n')[0])).toEqual(['Five9 Report', 'Evaluations API (Provisional)']);
		await editor.page.keyboard.press('Escape');
	}, 5 * 60_000);

	test('the node panel’s search for "Five9" finds the Five9 node and both Five9 triggers, by name', async () => {
		const listed = await editor.searchNodePanel('Five9');
		// Kept for the record: what n8n lists, in its order.
		mkdirSync(SCREENSHOTS, { recursive: true });
		writeFileSync(path.join(SCREENSHOTS, 'node-panel-five9.json'), `${JSON.stringify(listed, null, '\t')}\n`);
		// The triggers are not filed under the Five9 app: their types would have to be renamed (docs/cti.md).
		// n8n names a trigger that offers actions (the CTI trigger's events) without "Trigger".
		expect(listed).toEqual(
			expect.arrayContaining([
				{ type: `${PACKAGE}.five9`, name: 'Five9' },
				{ type: `${PACKAGE}.five9CtiTrigger`, name: 'Five9 CTI' },
				{ type: `${PACKAGE}.five9EvaluationTrigger`, name: 'Five9 Evaluation Trigger' },
			]),
		);
		expect(listed.filter((entry) => entry.type.startsWith(`${PACKAGE}.`))).toHaveLength(3);
	}, 5 * 60_000);

	test('pick-lists: a person and a campaign are searched and picked from what the local servers hold', async () => {
		const api = context.n8n.restClient(OWNER);
		const id = await api.createWorkflow(
			newWorkflow('Pick-lists', [
				{ name: 'Assembled', type: `${PACKAGE}.assembled`, typeVersion: 1.1, parameters: { resource: 'person', operation: 'get' }, credentials: ASSEMBLED_CREDENTIAL },
				{ name: 'Five9', type: `${PACKAGE}.five9`, typeVersion: 1.1, parameters: { criteria: { objects: [{ objectType: 'Campaign' }] } }, credentials: FIVE9_CREDENTIAL },
			]),
		);
		mkdirSync(SCREENSHOTS, { recursive: true });
		// Taller than the canvas screenshot's, so the campaign list opens inside the node's panel.
		await editor.page.setViewportSize({ width: 1600, height: 1000 });

		// Person → Get → Person, From List: "an" finds Ana and Hana by name (the search ignores accents and case).
		const personSearch = 'an';
		const people = PEOPLE.filter((person) => folded(`${person.first_name} ${person.last_name} ${person.email}`).includes(personSearch)).map(personLabel);
		expect(people.length).toBeGreaterThan(1);
		await editor.openWorkflow(id);
		await editor.openNode('Assembled');
		expect((await editor.pick('personId', personSearch, people)).sort()).toEqual([...people].sort());
		const personShot = path.join(SCREENSHOTS, 'pick-person.png');
		await editor.screenshotParameters(personShot);
		keepScreenshot(personShot, 'pick-person.png');

		// Report → Run → Criteria → Campaign, From List: the campaigns of the local Five9's directory.
		const campaignSearch = 'sup';
		const campaigns = context.five9.directory.campaigns.map((campaign) => campaign.name).filter((name) => folded(name).includes(campaignSearch));
		expect(campaigns.length).toBeGreaterThan(1);
		await editor.openWorkflow(id);
		await editor.openNode('Five9');
		expect((await editor.pick('campaign', campaignSearch, campaigns)).sort()).toEqual([...campaigns].sort());
		const campaignShot = path.join(SCREENSHOTS, 'pick-campaign.png');
		await editor.screenshotParameters(campaignShot);
		keepScreenshot(campaignShot, 'pick-campaign.png');
	}, 5 * 60_000);
});
