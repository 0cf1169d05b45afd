/**
 * The shipped "QA scores from a CSV file to Assembled" workflow, executed through n8n's engine
 * against the local Assembled server. The only edits are to the Configuration node, as its sticky
 * note tells a user to do.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parse } from 'csv-parse/sync';

import { AssembledMock } from '../mocks/assembled';
import { readWorkflow, runWorkflow, setConfiguration, useFile, type WorkflowJson } from '../harness/engine';

const SAMPLE = path.resolve(__dirname, '../../workflows/samples/qa-scores.csv');
const API_KEY = 'sk_live_file_workflow_key_7c1e';

let mock: AssembledMock;
let scratch: string;

beforeAll(async () => {
	scratch = mkdtempSync(path.join(tmpdir(), 'qa-file-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeEach(async () => {
	mock = await new AssembledMock({ validKeys: [API_KEY] }).start();
});
afterEach(() => mock.stop());

function workflowFor(filePath: string, dryRun = false): WorkflowJson {
	return setConfiguration(useFile(readWorkflow('qa-scores-file-to-assembled.json'), filePath), { dryRun });
}

const credentials = (apiKey = API_KEY) => ({ assembledApi: { apiKey, baseUrl: mock.url } });

/** The sample file as a reader sees it, independent of the node's own parsing. */
const sampleRows = () => parse(readFileSync(SAMPLE), { columns: true }) as Record<string, string>[];

function writeCsv(rows: Record<string, string | number>[]): string {
	const header = Object.keys(rows[0]);
	const file = path.join(scratch, `scores-${rows.length}-${Date.now()}.csv`);
	writeFileSync(file, [header.join(','), ...rows.map((row) => header.map((h) => row[h]).join(','))].join('\n'));
	return file;
}

function generatedRows(count: number) {
	const people = mock.people.filter((p) => !p.deleted);
	return Array.from({ length: count }, (_, i) => ({
		evaluation_id: `GEN-${i + 1}`,
		agent_email: people[i % people.length].email!,
		agent_name: people[i % people.length].first_name,
		interaction_time: 1_762_000_000 + i,
		score: (i * 7) % 101,
		max_score: 100,
		evaluator: 'qa.lead@example.com',
		evaluated_at: 1_762_100_000 + i,
	}));
}

test('valid rows land with converted timestamps; each bad row reaches the error output with its reason', async () => {
	const run = await runWorkflow(workflowFor(SAMPLE), { credentials: credentials() });
	expect(run.status).toBe('success');

	const rows = sampleRows();
	const pushed = run.json('Push QA Scores', 0);
	const toFix = run.json('Push QA Scores', 1);
	expect(pushed.length + toFix.length).toBe(rows.length);

	// Rows the sample makes invalid, and the field each reason must name.
	const expectedReasons: Record<string, RegExp> = {
		'EV-1004': /score is required/,
		'EV-1005': /score 105 is greater than max_score \(100\)/,
		'EV-1006': /agent_email is required/,
		'EV-1007': /ticket_created_at .*last tuesday/,
	};
	expect(toFix.map((row) => row.imported_id).sort()).toEqual(
		Object.keys(expectedReasons).map((id) => `qa-file-${id}`).sort(),
	);
	for (const row of toFix) {
		const id = String(row.imported_id).replace('qa-file-', '');
		expect(row.error).toMatch(expectedReasons[id]);
		expect((row.details as { status: string }).status).toBe('invalid');
	}

	// Every other row is stored exactly once, the repeated EV-1001 reported as a duplicate.
	const valid = rows.filter((row) => !(row.evaluation_id in expectedReasons));
	const uniqueValid = [...new Map(valid.map((row) => [row.evaluation_id, row])).values()];
	expect(mock.store.size).toBe(uniqueValid.length);
	expect(mock.duplicateReceipts).toBe(0);
	expect(pushed.filter((item) => item.status === 'duplicate')).toHaveLength(valid.length - uniqueValid.length);
	const seconds = (value: string) =>
		/^\d+$/.test(value) ? (Number(value) > 1e11 ? Math.floor(Number(value) / 1000) : Number(value)) : Date.parse(value) / 1000;
	for (const row of uniqueValid) {
		const stored = mock.store.get(`qa-file-${row.evaluation_id}`);
		expect(stored).toBeDefined();
		expect(stored!.agent_email).toBe(row.agent_email);
		expect(stored!.score).toBe(Number(row.score));
		expect(stored!.max_score).toBe(Number(row.max_score));
		expect(stored!.ticket_created_at).toBe(seconds(row.interaction_time));
		expect(stored!.graded_at).toBe(seconds(row.evaluated_at));
	}
});

test('2,500 rows go out as 3 requests and all 2,500 are stored', async () => {
	const rows = generatedRows(2500);
	const run = await runWorkflow(workflowFor(writeCsv(rows)), { credentials: credentials() });
	expect(run.status).toBe('success');
	expect(mock.countRequests({ method: 'POST', path: '/v0/qa_scores/bulk' })).toBe(3);
	expect(mock.requests.map((r) => r.scoreCount)).toEqual([1000, 1000, 500]);
	expect(mock.store.size).toBe(2500);
	for (const row of rows) expect(mock.store.get(`qa-file-${row.evaluation_id}`)?.score).toBe(row.score);
	const batches = run.json('Push QA Scores', 0).map((item) => item.batch);
	expect(new Set(batches)).toEqual(new Set([1, 2, 3]));
});

test('a 429 storm, a 500, a dropped connection and a 503 still end with every score stored once', async () => {
	mock.options.retryAfter = 0;
	mock.schedule('/v0/qa_scores/bulk', {
		1: { status: 429, retryAfter: 0 },
		2: { status: 429, retryAfter: 0 },
		3: { status: 429, retryAfter: 0 },
		4: { status: 429, retryAfter: 0 },
		6: { status: 500 },
		8: { reset: true },
		9: { status: 503, retryAfter: 0 },
	});
	const rows = generatedRows(2500);
	const run = await runWorkflow(workflowFor(writeCsv(rows)), { credentials: credentials() });
	expect(run.status).toBe('success');
	expect(run.json('Push QA Scores', 1)).toHaveLength(0);
	expect(mock.countRequests({ path: '/v0/qa_scores/bulk' })).toBe(10);
	expect(mock.store.size).toBe(2500);
	expect(mock.duplicateReceipts).toBe(0);
});

test('dry run sends nothing and returns the exact payloads, batched', async () => {
	const rows = generatedRows(1200);
	const run = await runWorkflow(workflowFor(writeCsv(rows), true), { credentials: credentials() });
	expect(run.status).toBe('success');
	expect(mock.requests).toHaveLength(0);
	const items = run.json('Push QA Scores', 0);
	expect(items).toHaveLength(1200);
	expect(items.every((item) => item.status === 'dryRun')).toBe(true);
	expect(items.filter((item) => item.batch === 1)).toHaveLength(1000);
	expect(items.filter((item) => item.batch === 2)).toHaveLength(200);
	const first = items[0].payload as Record<string, unknown>;
	expect(first).toMatchObject({
		imported_id: `qa-file-${rows[0].evaluation_id}`,
		agent_email: rows[0].agent_email,
		ticket_created_at: rows[0].interaction_time,
		score: rows[0].score,
	});
});

test('running the same file twice stores no duplicates', async () => {
	const file = writeCsv(generatedRows(300));
	await runWorkflow(workflowFor(file), { credentials: credentials() });
	const afterFirst = new Map(mock.store);
	const second = await runWorkflow(workflowFor(file), { credentials: credentials() });
	expect(second.status).toBe('success');
	expect(mock.store.size).toBe(afterFirst.size);
	expect(mock.store).toEqual(afterFirst);
});

test('a wrong API key gives the clear credential message, stops sending and never shows the key', async () => {
	const wrongKey = 'sk_live_wrong_key_3f9a0d';
	const run = await runWorkflow(workflowFor(writeCsv(generatedRows(2500))), { credentials: credentials(wrongKey) });
	const failed = run.json('Push QA Scores', 1);
	expect(failed).toHaveLength(2500);
	expect(failed[0].error).toMatch(/The API key was rejected by Assembled \(401\)/);
	expect((failed[0].details as { httpCode?: string }).httpCode).toBe('401');
	// The first 401 stops the run: later batches are not attempted with a key known to be bad.
	expect(mock.countRequests({ path: '/v0/qa_scores/bulk' })).toBe(1);
	expect(JSON.stringify(run.run)).not.toContain(wrongKey);
	// The import could not do its job: the run ends red with the reason.
	expect(run.status).toBe('error');
	expect(run.nodeError('Stop: Scores Not Sent')?.message).toMatch(/The API key was rejected by Assembled \(401\)/);
});

test('a file name that matches nothing ends the run red, naming the path; nothing is sent', async () => {
	const missing = path.join(scratch, 'no-such-export.csv');
	const run = await runWorkflow(workflowFor(missing), { credentials: credentials() });
	expect(run.status).toBe('error');
	expect(run.nodeError('Stop: No File')?.message).toContain(`No file matches ${missing}`);
	expect(mock.requests).toHaveLength(0);
});

test('rows to fix alone keep the run green and are counted in one summary item', async () => {
	const run = await runWorkflow(workflowFor(SAMPLE), { credentials: credentials() });
	expect(run.status).toBe('success');
	const bad = run.json('Push QA Scores', 1);
	expect(bad.length).toBeGreaterThan(0);
	expect(run.json('Rows to Fix')).toEqual([expect.objectContaining({ rows_to_fix: bad.length })]);
});
