/**
 * Report → Run and Report → Get through n8n's engine against the local Assembled server, whose
 * reports stay `in_progress` for some polls, then complete with several pages of metrics (or answer
 * `error`); and the weekly adherence template up to its Data Table. What the server received (the
 * report body in unix seconds, every poll and page) and every row the node returns are checked
 * against the server's own records, computed without the node.
 */
import type { IDataObject } from 'n8n-workflow';

import { reportAdvancedFields } from '../../nodes/Assembled/actions/report/report.descriptions';
import { DEFAULT_REPORT_SETTINGS, reportSettingsFrom } from '../../nodes/Assembled/helpers/reports';
import { AssembledMock, type MockPerson } from '../mocks/assembled';
import { REPORT_METRICS, reportsOf, type MockMetric, type StoredReport } from '../mocks/assembled-reports';
import { readWorkflow, runWorkflow, setConfiguration, type WorkflowJson } from '../harness/engine';
import { dateIn, midnightIn } from '../harness/five9';
import { assembledNode, rowsInto } from '../harness/workflows';

const API_KEY = 'sk_live_report_tests_5c2d';
let mock: AssembledMock;

beforeAll(async () => {
	mock = await new AssembledMock({ rateLimit: false, validKeys: [API_KEY] }).start();
});
afterAll(() => mock.stop());
beforeEach(() => mock.clear());

const credentials = () => ({ assembledApi: { apiKey: API_KEY, baseUrl: mock.url } });
const reports = () => reportsOf(mock);
const onlyReport = (): StoredReport => {
	expect(reports().reports.size).toBe(1);
	return [...reports().reports.values()][0];
};
/** Version 1.1, where polling and retries sit under Advanced. */
const reportNode = (parameters: IDataObject, onError: 'continueErrorOutput' | 'stopWorkflow' = 'continueErrorOutput') => ({
	...assembledNode(parameters, onError),
	typeVersion: 1.1,
});
const runNode = (parameters: IDataObject, onError?: 'continueErrorOutput' | 'stopWorkflow') =>
	reportNode({ resource: 'report', operation: 'run', ...parameters }, onError);
const fast = { pollIntervalMs: 20 };

/** A row as the node must give it: the server's metric, flattened, with ISO twins and the agent from People. */
function expectedRow(metric: MockMetric, source: IDataObject): IDataObject {
	const person = mock.people.find((p: MockPerson) => p.agent_id === metric.attributes.agent_id);
	const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
	return {
		...source,
		name: metric.name,
		value: metric.value,
		agent_id: metric.attributes.agent_id,
		start_time: metric.attributes.start_time,
		start_time_iso: iso(metric.attributes.start_time),
		end_time: metric.attributes.end_time,
		end_time_iso: iso(metric.attributes.end_time),
		type: metric.attributes.type,
		agent_name: person ? `${person.first_name} ${person.last_name}` : null,
		agent_email: person?.email ?? null,
	};
}

test('the Advanced report fields default to what an unset option reads as', () => {
	expect(Object.fromEntries(reportAdvancedFields.map((field) => [field.name, field.default]))).toEqual({
		maxWaitSeconds: DEFAULT_REPORT_SETTINGS.maxWaitMs / 1000,
		pollIntervalMs: DEFAULT_REPORT_SETTINGS.pollIntervalMs,
	});
	expect(reportSettingsFrom({})).toEqual(DEFAULT_REPORT_SETTINGS);
	expect(reportSettingsFrom({ maxWaitSeconds: 0, pollIntervalMs: -5 })).toEqual({ maxWaitMs: 1000, pollIntervalMs: 1 });
});

describe('Report → Run', () => {
	test('waits out the in-progress polls with back-off, then returns every row of every page', async () => {
		reports().inProgressPolls = 3;
		// Smaller pages than the node asks for: the total, not a short page, says when the report ends.
		reports().maxPageSize = 200;
		const start = '2026-11-23T00:00:00-06:00';
		const end = '2026-11-25T00:00:00-06:00';
		const run = await runWorkflow(
			rowsInto([{}], runNode({ reportType: 'adherence', startTime: start, endTime: end, interval: '30m', channel: 'email', returnAll: true, advanced: { pollIntervalMs: 50 } })),
			{ credentials: credentials() },
		);
		expect(run.error).toBeUndefined();

		// What Assembled received: exactly the documented body, in unix seconds.
		expect(reports().received).toEqual([
			{ type: 'adherence', body: { start_time: Date.parse(start) / 1000, end_time: Date.parse(end) / 1000, interval: '30m', channel: 'email' } },
		]);
		const report = onlyReport();
		const agents = mock.people.length;
		// 96 half hours × 3 metrics, plus one whole-range row per metric, for every agent.
		expect(report.metrics).toHaveLength(agents * (96 * 3 + 3));

		// Three polls in progress, then the first page, then each page to the last.
		const polls = reports().pollsOf(report.id);
		expect(polls.map((p) => p.status)).toEqual([...Array(3).fill('in_progress'), ...Array(Math.ceil(report.metrics.length / 200)).fill('complete')]);
		expect(polls.map((p) => Number(p.query.offset))).toEqual([0, 0, 0, ...Array.from({ length: Math.ceil(report.metrics.length / 200) }, (_, i) => i * 200)]);
		expect(polls.every((p) => p.query.limit === '500')).toBe(true);
		expect(polls.at(-1)!.rows).toBe(report.metrics.length % 200 || 200);
		// Back-off: the waits double from Poll Interval.
		const gaps = polls.slice(0, 4).map((p, i, all) => (i ? p.at - all[i - 1].at : 0)).slice(1);
		gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(50 * 2 ** i - 5));

		const items = run.items('Node Under Test');
		const source = { report_id: report.id, report_type: 'adherence', channel: 'email', interval: '30m' };
		expect(items.map((item) => item.json)).toEqual(report.metrics.map((metric) => expectedRow(metric, source)));
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		// People was read once for the names, deleted agents included.
		expect(mock.countRequests({ path: '/v0/people' })).toBe(1);
		expect(mock.requests.find((r) => r.path === '/v0/people')!.query.include_deleted).toBe('true');
	});

	test('Limit asks for no more than it keeps; Agent Details off reads no people', async () => {
		const run = await runWorkflow(
			rowsInto(
				[{}],
				runNode({ reportType: 'agent_ticket_stats', startTime: 1_795_500_000, endTime: 1_795_500_000 + 7 * 86_400, interval: '24h', channel: 'phone', limit: 25, options: { agentDetails: false }, advanced: fast }),
			),
			{ credentials: credentials() },
		);
		const report = onlyReport();
		expect(report.type).toBe('agent_ticket_stats');
		const rows = run.json('Node Under Test');
		expect(rows).toHaveLength(25);
		expect(rows[0]).not.toHaveProperty('agent_name');
		expect(rows.map((r) => r.name)).toEqual(report.metrics.slice(0, 25).map((m) => m.name));
		expect(reports().pollsOf(report.id).map((p) => p.query)).toEqual([{ limit: '25', offset: '0' }]);
		expect(mock.countRequests({ path: '/v0/people' })).toBe(0);
	});

	test('a team filter keeps the rows of that team’s agents, reading on to the last page for them', async () => {
		reports().maxPageSize = 100;
		const team = mock.people[0].teams[0];
		const members = new Set(mock.people.filter((p) => p.teams.includes(team)).map((p) => p.agent_id));
		const run = await runWorkflow(
			rowsInto([{}], runNode({ startTime: 1_795_500_000, endTime: 1_795_500_000 + 3 * 86_400, interval: '24h', channel: 'phone', returnAll: true, filters: { teamIds: team }, advanced: fast })),
			{ credentials: credentials() },
		);
		const report = onlyReport();
		const rows = run.json('Node Under Test');
		expect(rows.length).toBeGreaterThan(0);
		expect(rows.map((r) => [r.agent_id, r.name, r.start_time])).toEqual(
			report.metrics.filter((m) => members.has(m.attributes.agent_id)).map((m) => [m.attributes.agent_id, m.name, m.attributes.start_time]),
		);
		expect(reports().pollsOf(report.id).at(-1)!.query.offset).toBe(String(Math.floor((report.metrics.length - 1) / 100) * 100));
	});

	test('status "error" fails the run with Assembled’s words and the report id', async () => {
		reports().inProgressPolls = 1;
		reports().mode = 'error';
		const parameters = { startTime: 1_795_500_000, endTime: 1_795_586_400, interval: '24h', channel: 'phone', returnAll: true, advanced: fast };
		const failed = await runWorkflow(rowsInto([{}], runNode(parameters, 'stopWorkflow')), { credentials: credentials() });
		expect(failed.status).toBe('error');
		const report = onlyReport();
		expect(failed.error?.message).toContain(reports().errorText);
		expect(failed.error?.message).toContain(report.id);
		expect(reports().pollsOf(report.id).map((p) => p.status)).toEqual(['in_progress', 'error']);

		// With the error output on, the same failure is one run-level item there.
		const routed = await runWorkflow(rowsInto([{}], runNode(parameters)), { credentials: credentials() });
		expect(routed.json('Node Under Test', 0)).toHaveLength(0);
		const [problem] = routed.json('Node Under Test', 1);
		expect(problem.error).toContain(reports().errorText);
		expect(problem.details).toMatchObject({ errorLevel: 'run', errorKind: 'runFailed' });
	});

	test('a report still running after Max Wait fails naming its id; Report → Get reads it later', async () => {
		reports().inProgressPolls = 1_000_000;
		const run = await runWorkflow(
			rowsInto([{}], runNode({ startTime: 1_795_500_000, endTime: 1_795_586_400, interval: '24h', channel: 'chat', returnAll: true, advanced: { maxWaitSeconds: 1, pollIntervalMs: 100 } })),
			{ credentials: credentials() },
		);
		const report = onlyReport();
		const [problem] = run.json('Node Under Test', 1);
		expect(problem.error).toContain(report.id);
		expect(String((problem.details as IDataObject).description)).toContain(`Report ID ${report.id}`);
		// Polled until Max Wait and not longer: 0, 0.1, 0.3, 0.7 and 1 s.
		expect(reports().pollsOf(report.id).length).toBeGreaterThanOrEqual(4);
		expect(reports().pollsOf(report.id).length).toBeLessThanOrEqual(6);

		reports().inProgressPolls = 0;
		const later = await runWorkflow(
			rowsInto([{}], reportNode({ resource: 'report', operation: 'get', reportId: report.id, returnAll: true, advanced: fast })),
			{ credentials: credentials() },
		);
		expect(later.json('Node Under Test')).toEqual(report.metrics.map((metric) => expectedRow(metric, { report_id: report.id })));
	});

	test('Report → Get of an unknown id is Assembled’s 404', async () => {
		const run = await runWorkflow(
			rowsInto([{}], reportNode({ resource: 'report', operation: 'get', reportId: 'no-such-report', advanced: fast })),
			{ credentials: credentials() },
		);
		expect(run.json('Node Under Test', 1)[0].error).toMatch(/Not found in Assembled \(404\): Report no-such-report not found/);
	});

	test('several items: every report is started before the first is polled; a bad item goes to the error output', async () => {
		reports().inProgressPolls = 2;
		const rows = [
			{ channel: 'phone', start: '2026-11-23T00:00:00Z', end: '2026-11-24T00:00:00Z' },
			{ channel: 'email', start: '2026-11-24T00:00:00Z', end: '2026-11-23T00:00:00Z' },
			{ channel: 'chat', start: '2026-11-23T00:00:00Z', end: '2026-11-24T00:00:00Z' },
		];
		const run = await runWorkflow(
			rowsInto(rows, runNode({ startTime: '={{ $json.start }}', endTime: '={{ $json.end }}', interval: '24h', channel: '={{ $json.channel }}', returnAll: true, advanced: fast })),
			{ credentials: credentials() },
		);
		expect(reports().received.map((r) => r.body.channel)).toEqual(['phone', 'chat']);
		const reportCalls = mock.requests.filter((r) => r.path.startsWith('/v0/reports/'));
		expect(reportCalls.slice(0, 2).map((r) => r.method)).toEqual(['POST', 'POST']);
		const out = run.items('Node Under Test');
		const perAgent = REPORT_METRICS.adherence.length * 2;
		expect(out).toHaveLength(2 * mock.people.length * perAgent);
		expect(out.map((item) => [item.json.channel, (item.pairedItem as { item: number }).item])).toEqual([
			...Array(mock.people.length * perAgent).fill(['phone', 0]),
			...Array(mock.people.length * perAgent).fill(['chat', 2]),
		]);
		const failed = run.items('Node Under Test', 1);
		expect(failed.map((item) => [item.json.error, (item.pairedItem as { item: number }).item])).toEqual([['End must be after Start', 1]]);
	});

	test('Assembled’s 400 names the field, per item', async () => {
		const run = await runWorkflow(
			rowsInto([{}], runNode({ startTime: 1_795_500_000, endTime: 1_795_586_400, interval: '={{ "2h" }}', channel: 'phone', advanced: fast })),
			{ credentials: credentials() },
		);
		expect(run.json('Node Under Test', 1)[0].error).toBe('Assembled rejected the request (400): interval must be one of 30m, 1h, 24h, 1w');
		expect(reports().reports.size).toBe(0);
	});

	test('an unknown report type is Assembled’s 404; a type that is no name is refused before sending', async () => {
		const run = await runWorkflow(
			rowsInto([{}], runNode({ reportType: '={{ "handle_time" }}', startTime: 1_795_500_000, endTime: 1_795_586_400, interval: '24h', channel: 'phone', advanced: fast })),
			{ credentials: credentials() },
		);
		expect(run.json('Node Under Test', 1)[0].error).toMatch(/Not found in Assembled \(404\): Unknown report type handle_time/);
		const odd = await runWorkflow(
			rowsInto([{}], runNode({ reportType: '={{ "../people" }}', startTime: 1_795_500_000, endTime: 1_795_586_400, interval: '24h', channel: 'phone', advanced: fast })),
			{ credentials: credentials() },
		);
		expect(odd.json('Node Under Test', 1)[0].error).toBe('"../people" is not a report type');
		expect(mock.countRequests({ method: 'POST' })).toBe(1);
		expect(reports().reports.size).toBe(0);
	});
});

describe('assembled-weekly-adherence.json', () => {
	const DATA_TABLE = 'n8n-nodes-base.dataTable';
	/** The template with its Data Table nodes switched off: n8n passes their input through. */
	const tablesOff = (json: WorkflowJson): WorkflowJson => ({
		...json,
		nodes: json.nodes.map((node) => (node.type === DATA_TABLE ? { ...node, disabled: true } : node)),
	});
	const template = () => readWorkflow('assembled-weekly-adherence.json');

	/** Monday 00:00 of the week `weeksAgo` before this one, and the next Monday, in `timeZone`. */
	function weekOf(timeZone: string, weeksAgo: number): { start: number; end: number } {
		const [y, m, d] = dateIn(Date.now(), timeZone).split('-').map(Number);
		const today = Date.UTC(y, m - 1, d);
		const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * 86_400_000;
		const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
		const start = midnightIn(day(monday - weeksAgo * 7 * 86_400_000), timeZone);
		const end = midnightIn(day(monday - (weeksAgo - 1) * 7 * 86_400_000), timeZone);
		return { start: start / 1000, end: end / 1000 };
	}

	test('last week, Monday to Monday in the configured zone, reaches the table as one row per metric', async () => {
		reports().inProgressPolls = 1;
		// An agent no longer in People, whose values Assembled left empty.
		const gone = 'a6e47000-0000-4000-8000-0000000000ff';
		reports().agentIds = [...mock.people.slice(0, 3).map((p) => p.agent_id), gone];
		reports().editRows = (rows) => rows.map((row) => (row.attributes.agent_id === gone ? { ...row, value: null } : row));
		const timeZone = 'Europe/Berlin';
		const run = await runWorkflow(setConfiguration(tablesOff(template()), { timeZone }), { credentials: credentials() });
		expect(run.error).toBeUndefined();
		const { start, end } = weekOf(timeZone, 1);
		expect(reports().received).toEqual([{ type: 'adherence', body: { start_time: start, end_time: end, interval: '24h', channel: 'phone' } }]);

		const report = onlyReport();
		const saved = run.json('Save Adherence');
		expect(saved).toHaveLength(report.metrics.length);
		const columns = (template().nodes.find((n) => n.name === 'Adherence Table')!.parameters.columns as { column: { name: string }[] }).column.map((c) => c.name);
		for (const [i, row] of saved.entries()) {
			const metric = report.metrics[i];
			const person = mock.people.find((p) => p.agent_id === metric.attributes.agent_id);
			const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
			expect(Object.keys(row)).toEqual(columns);
			expect(row).toEqual({
				row_key: [metric.attributes.agent_id, iso(metric.attributes.start_time), metric.name, metric.attributes.type].join('|'),
				agent_id: metric.attributes.agent_id,
				agent_name: person ? `${person.first_name} ${person.last_name}` : null,
				agent_email: person ? person.email : null,
				metric: metric.name,
				interval_type: metric.attributes.type,
				interval_start: iso(metric.attributes.start_time),
				interval_end: iso(metric.attributes.end_time),
				value: metric.value,
				channel: 'phone',
				report_id: report.id,
			});
		}
		// The upsert key is unique: a re-run updates, it never adds.
		expect(new Set(saved.map((row) => row.row_key)).size).toBe(saved.length);
	});

	test('weeksAgo reaches further back; channel and interval come from Configuration', async () => {
		const timeZone = 'America/Los_Angeles';
		// Half hours of a whole week: two agents are rows enough.
		reports().agentIds = mock.people.slice(0, 2).map((p) => p.agent_id);
		const run = await runWorkflow(setConfiguration(tablesOff(template()), { timeZone, weeksAgo: 3, channel: 'email', interval: '30m' }), { credentials: credentials() });
		expect(run.error).toBeUndefined();
		const { start, end } = weekOf(timeZone, 3);
		expect(reports().received[0].body).toEqual({ start_time: start, end_time: end, interval: '30m', channel: 'email' });
		expect(run.json('Save Adherence')).toHaveLength(onlyReport().metrics.length);
	});

	test('a failed report stops the run red with Assembled’s words', async () => {
		reports().mode = 'error';
		const run = await runWorkflow(tablesOff(template()), { credentials: credentials() });
		expect(run.status).toBe('error');
		expect(run.ran('Stop: Report Failed')).toBe(true);
		expect(run.ran('Adherence Columns')).toBe(false);
		expect(run.error?.message).toContain(reports().errorText);
	});
});
