/**
 * Strict reading of evaluation files, decimal-only numbers, and formula-safe CSV output. The file
 * cases run the Evaluation → Get Many node of the CSV import template through n8n's engine, reading
 * files written here; expectations come from the fixture text, not from the node.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { validateQaScore } from '../../nodes/Assembled/helpers/qaScore';
import { toCsv } from '../../nodes/Five9/helpers/csv';
import { normalizeEvaluation } from '../../nodes/Five9/helpers/evaluation';
import { rowsFromFile } from '../../nodes/Five9/helpers/evaluationFile';
import { columnMap } from '../../nodes/Five9/helpers/evaluationSource';
import { description as windowFilesDescription } from '../../nodes/Five9/actions/report/getWindowFiles.operation';
import { parseDecimal } from '../../nodes/shared/numbers';
import { PACKAGE_NAME, configure, readWorkflow, runWorkflow, type WorkflowJson, type WorkflowRun } from '../harness/engine';
import { singleNodeWorkflow } from '../harness/single-node';

let scratch: string;
beforeAll(() => {
	scratch = mkdtempSync(path.join(tmpdir(), 'strict-files-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const HEADER = 'EVALUATION ID,AGENT,EVALUATION DATE,SCORE,MAX SCORE';

/**
 * Row 2 lacks its SCORE cell (the evaluation scored 45 of 100): read loosely, MAX SCORE's 100 would
 * become the score. Row 4 has one cell too many. Line 5 is blank, so row 4 starts on line 6.
 */
const SHORT_ROW_FILE = [
	HEADER,
	'ev-1,ana@example.com,2026-11-02T08:00:00Z,40,50',
	'ev-2,ben@example.com,2026-11-02T09:00:00Z,100',
	'ev-3,cy@example.com,2026-11-02T10:00:00Z,7,10',
	'',
	'ev-4,dee@example.com,2026-11-02T11:00:00Z,88,100,extra',
	'ev-5,"eve@example.com",2026-11-02T12:00:00Z,"1,234.5",2000',
	'',
].join('\n');

function writeFile(name: string, content: string | Buffer): string {
	const file = path.join(scratch, name);
	writeFileSync(file, content);
	return file;
}

/** The template's Configuration → Read AQM Export → Evaluations from File, without the push. */
function importWorkflow(filePath: string, continueOnFail = true): WorkflowJson {
	const template = configure(readWorkflow('aqm-csv-import.json'), 'Configuration', (parameters) => {
		const assignments = (parameters.assignments as { assignments: { name: string; value: unknown }[] }).assignments;
		assignments.find((a) => a.name === 'filesFolder')!.value = path.dirname(filePath);
		assignments.find((a) => a.name === 'fileName')!.value = path.basename(filePath);
		assignments.find((a) => a.name === 'fileTimeZone')!.value = 'UTC';
	});
	const keep = new Set(['Start', 'Configuration', 'Read AQM Export', 'File Found?', 'Evaluations from File']);
	const nodes = template.nodes.filter((node) => keep.has(node.name));
	const reader = nodes.find((node) => node.name === 'Evaluations from File')!;
	if (!continueOnFail) delete reader.onError;
	nodes.push({ id: 'read', name: 'Read Rows', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [900, 300], parameters: {} });
	// The error output as it leaves the node, before the template sums it up.
	nodes.push({ id: 'fix', name: 'Rows to Fix', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [900, 500], parameters: {} });
	return {
		name: template.name,
		nodes,
		connections: {
			Start: template.connections.Start,
			Configuration: template.connections.Configuration,
			'Read AQM Export': template.connections['Read AQM Export'],
			'File Found?': { main: [[{ node: 'Evaluations from File', type: 'main', index: 0 }]] },
			'Evaluations from File': {
				main: [[{ node: 'Read Rows', type: 'main', index: 0 }], [{ node: 'Rows to Fix', type: 'main', index: 0 }]],
			},
		},
	};
}

const run = (json: WorkflowJson) => runWorkflow(json, { credentials: {} });
/** Items a node received; a node given none does not run. */
const received = (result: WorkflowRun, node: string) => (result.ran(node) ? result.json(node) : []);

describe('evaluation files are read strictly', () => {
	test('a row with too few or too many cells is rejected with its number and line; the others keep their true scores', async () => {
		const result = await run(importWorkflow(writeFile('short-row.csv', SHORT_ROW_FILE)));
		expect(result.status).toBe('success');
		const read = result.json('Read Rows');
		expect(read.map((e) => [e.evaluation_id, e.score, e.max_score])).toEqual([
			['ev-1', 40, 50],
			['ev-3', 7, 10],
			['ev-5', 1234.5, 2000],
		]);
		// The short row pushed no score at all, let alone MAX SCORE's 100.
		expect(read.find((e) => e.evaluation_id === 'ev-2')).toBeUndefined();
		const fix = result.json('Rows to Fix');
		expect(fix).toHaveLength(2);
		for (const item of fix) expect(item.details).toMatchObject({ errorLevel: 'row', errorKind: 'unreadableRow' });
		const [short, long] = fix;
		expect(short.error).toBe(
			'Evaluation row could not be read: row 2 (line 3) has 4 cells but the header has 5; nothing of this row was read',
		);
		expect(short.details).toEqual({
			errorLevel: 'row',
			errorKind: 'unreadableRow',
			reasons: ['row 2 (line 3) has 4 cells but the header has 5; nothing of this row was read'],
			row: ['ev-2', 'ben@example.com', '2026-11-02T09:00:00Z', '100'],
			rowNumber: 2,
			line: 3,
		});
		expect(long.details).toMatchObject({ rowNumber: 4, line: 6 });
		expect((long.details as IDataObject).reasons).toEqual(['row 4 (line 6) has 6 cells but the header has 5; nothing of this row was read']);
	});

	test('rows the normalizer rejects are row-level items with their place in the file', async () => {
		const file = writeFile(
			'bad-values.csv',
			[HEADER, 'ev-1,ana@example.com,2026-11-02T08:00:00Z,0x50,100', 'ev-2,,2026-11-02T09:00:00Z,5,10', 'ev-3,cy@example.com,2026-11-02T10:00:00Z,80%,'].join(
				'\r\n',
			),
		);
		const result = await run(importWorkflow(file));
		expect(result.json('Read Rows').map((e) => [e.evaluation_id, e.score])).toEqual([['ev-3', 80]]);
		const fix = result.json('Rows to Fix');
		expect(fix.map((item) => [(item.details as IDataObject).errorLevel, (item.details as IDataObject).errorKind])).toEqual([
			['row', 'unreadableRow'],
			['row', 'unreadableRow'],
		]);
		expect(fix[0].error).toBe('Evaluation row could not be read: score is not a number: "0x50"');
		expect(fix[0].details).toMatchObject({ rowNumber: 1, line: 2, row: { 'EVALUATION ID': 'ev-1', SCORE: '0x50' } });
		expect(fix[1].error).toMatch(/no agent/);
		expect(fix[1].details).toMatchObject({ rowNumber: 2, line: 3 });
	});

	test('without error output the node stops, naming the first bad row and the counts', async () => {
		const result = await run(importWorkflow(writeFile('short-row-stop.csv', SHORT_ROW_FILE), false));
		expect(result.status).toBe('error');
		const error = result.nodeError('Evaluations from File')!;
		expect(error.message).toBe(
			'Evaluation row could not be read: row 2 (line 3) has 4 cells but the header has 5; nothing of this row was read',
		);
		expect(error.description).toMatch(/^Row 2 \(line 3\) of the file\. 2 of 5 rows could not be read\./);
	});

	test('two SCORE columns fail the whole file, naming SCORE', async () => {
		const file = writeFile(
			'two-scores.csv',
			['EVALUATION ID,AGENT,EVALUATION DATE,SCORE,MAX SCORE,score ', 'ev-1,ana@example.com,2026-11-02T08:00:00Z,40,50,45'].join('\n'),
		);
		const result = await run(importWorkflow(file));
		expect(received(result, 'Read Rows')).toEqual([]);
		const [failed] = result.json('Rows to Fix');
		expect(failed).toMatchObject({
			error: 'The file has 2 columns named SCORE, which the mapping reads; rename or remove one',
			details: { errorLevel: 'run', errorKind: 'runFailed', description: 'File: two-scores.csv. Nothing of it was read.' },
		});
		expect(result.json('Rows to Fix')).toHaveLength(1);
	});

	test('a repeated column the mapping does not read is kept under a suffix', () => {
		const columns = columnMap({});
		const file = Buffer.from(['EVALUATION ID,NOTE,AGENT,Note,SCORE,NOTE', 'ev-1,a,ana@example.com,b,9,c'].join('\n'));
		expect(rowsFromFile(file, 'x.csv', 'text/csv', columns)).toEqual({
			rows: [{ 'EVALUATION ID': 'ev-1', NOTE: 'a', AGENT: 'ana@example.com', 'Note (2)': 'b', SCORE: '9', 'NOTE (3)': 'c' }],
			places: [{ rowNumber: 1, line: 2 }],
			unreadable: [],
		});
		// Renamed in the mapping, the once-read column may repeat; the newly mapped one may not.
		const renamed = columnMap({ score: 'POINTS' });
		expect(rowsFromFile(Buffer.from('EVALUATION ID,SCORE,SCORE,POINTS\nev-1,1,2,3'), 'x.csv', undefined, renamed).rows).toEqual([
			{ 'EVALUATION ID': 'ev-1', SCORE: '1', 'SCORE (2)': '2', POINTS: '3' },
		]);
		expect(() => rowsFromFile(Buffer.from('EVALUATION ID,POINTS,points\nev-1,1,2'), 'x.csv', undefined, renamed)).toThrow(
			'The file has 2 columns named POINTS, which the mapping reads; rename or remove one',
		);
	});

	test('LF header with CRLF rows, and CRLF header with LF rows, read the same; a quoted CRLF is one line', () => {
		const columns = columnMap({});
		const expected = [
			{ 'EVALUATION ID': 'ev-1', AGENT: 'ana@example.com', 'FORM NAME': 'Support\r\nScorecard', SCORE: '40' },
			{ 'EVALUATION ID': 'ev-2', AGENT: 'ben@example.com', 'FORM NAME': 'Sales', SCORE: '35' },
		];
		const header = 'EVALUATION ID,AGENT,FORM NAME,SCORE';
		const rows = ['ev-1,ana@example.com,"Support\r\nScorecard",40', 'ev-2,ben@example.com,Sales,35'];
		const lfThenCrlf = `${header}\n${rows.join('\r\n')}\r\n`;
		const crlfThenLf = `${header}\r\n${rows.join('\n')}\n`;
		for (const text of [lfThenCrlf, crlfThenLf]) {
			const file = rowsFromFile(Buffer.from(text), 'x.csv', 'text/csv', columns);
			expect(file.rows).toEqual(expected);
			// ev-1 spans lines 2–3, so ev-2 starts on line 4.
			expect(file.places).toEqual([
				{ rowNumber: 1, line: 2 },
				{ rowNumber: 2, line: 4 },
			]);
			expect(file.unreadable).toEqual([]);
		}
	});

	test('LF header with CRLF rows through the node: every row read, none rejected', async () => {
		const text = `${HEADER}\n${['ev-1,ana@example.com,2026-11-02T08:00:00Z,40,50', 'ev-2,ben@example.com,2026-11-02T09:00:00Z,20,25'].join('\r\n')}\r\n`;
		const result = await run(importWorkflow(writeFile('lf-crlf.csv', text)));
		expect(received(result, 'Rows to Fix')).toEqual([]);
		expect(result.json('Read Rows').map((e) => [e.evaluation_id, e.score, e.max_score])).toEqual([
			['ev-1', 40, 50],
			['ev-2', 20, 25],
		]);
	});

	test('a byte order mark, blank lines and padded cells', () => {
		const text = `\ufeff${HEADER}\r\n\r\n  ev-1 , ana@example.com ,2026-11-02T08:00:00Z, 40 ,50\r\n   \r\n,,,,\r\nev-2,ben@example.com,2026-11-02T09:00:00Z,20,25`;
		const file = rowsFromFile(Buffer.from(text), 'x.csv', 'text/csv', columnMap({}));
		expect(file.rows.map((row) => Object.keys(row)[0])).toEqual(['EVALUATION ID', 'EVALUATION ID']);
		expect(file.rows.map((row) => [row['EVALUATION ID'], row.AGENT, row.SCORE, row['MAX SCORE']])).toEqual([
			['ev-1', 'ana@example.com', '40', '50'],
			['ev-2', 'ben@example.com', '20', '25'],
		]);
		expect(file.places).toEqual([
			{ rowNumber: 1, line: 3 },
			{ rowNumber: 2, line: 6 },
		]);
	});

	test('JSON exports are read as before', () => {
		const file = rowsFromFile(Buffer.from('\ufeff{"items":[{"EVALUATION ID":"ev-1"}]}'), 'x.json', undefined, columnMap({}));
		expect(file).toEqual({ rows: [{ 'EVALUATION ID': 'ev-1' }], unreadable: [] });
	});

	test('an input item without the binary field is a run-level error saying where to look', async () => {
		const node = {
			type: `${PACKAGE_NAME}.five9`,
			parameters: { resource: 'evaluation', operation: 'getMany', source: 'file', binaryPropertyName: 'data' },
		};
		const routed = await run(singleNodeWorkflow({ ...node, onError: 'continueErrorOutput' }));
		const [routedError, ...others] = routed.json('Node Under Test', 1);
		expect(others).toEqual([]);
		expect(routedError).toMatchObject({
			error: 'No file to read: the input item has no binary field "data"',
			details: { errorLevel: 'run', errorKind: 'runFailed' },
		});
		expect((routedError.details as IDataObject).description).toMatch(/N8N_RESTRICT_FILE_ACCESS_TO/);
		const stopped = await run(singleNodeWorkflow(node));
		expect(stopped.status).toBe('error');
		const error = stopped.nodeError('Node Under Test')!;
		expect(error.message).toBe('No file to read: the input item has no binary field "data"');
		expect(error.description).toMatch(/file path/);
		expect(error.description).toMatch(/N8N_RESTRICT_FILE_ACCESS_TO/);
	});
});

describe('numbers are plain decimals', () => {
	const evaluationScore = (score: string) =>
		normalizeEvaluation({ evaluation_id: 'ev-1', agent_username: 'ana', score, evaluated_at: '2026-11-02T08:00:00Z' }, 'file', 'UTC');
	const qaScore = (score: string) =>
		validateQaScore(
			{ imported_id: 'ev-1', agent_email: 'ana@example.com', ticket_created_at: '2026-11-02T08:00:00Z', score, max_score: 5000 },
			'UTC',
		);

	test.each([
		['0x50', undefined, undefined],
		['0b1', undefined, undefined],
		['0o7', undefined, undefined],
		['Infinity', undefined, undefined],
		['1e3', 1000, 1000],
		['12,34', undefined, undefined],
		['1,234.5', 1234.5, undefined],
		['80%', 80, 80],
	])('%s: evaluation score %p, QA score %p', (text, asEvaluation, asQaScore) => {
		const evaluation = evaluationScore(text);
		if (asEvaluation === undefined) expect(evaluation).toEqual({ ok: false, reasons: [`score is not a number: "${text}"`] });
		else expect(evaluation.ok && evaluation.evaluation.score).toBe(asEvaluation);
		const score = qaScore(text);
		if (asQaScore === undefined) expect(score).toEqual({ ok: false, reasons: [`score must be a number, got "${text}"`] });
		else expect(score.ok && score.score.score).toBe(asQaScore);
	});

	test('parseDecimal', () => {
		for (const good of ['5', '-5', '+5', ' 3.25 ', '.5', '5.', '1E-2']) expect(parseDecimal(good)).toBe(Number(good));
		for (const bad of ['', ' ', '-', '.', '1e', '0x50', 'Infinity', '-Infinity', 'NaN', '1e999', '5%', '1,000', '1 000']) {
			expect(parseDecimal(bad)).toBeUndefined();
		}
		expect(parseDecimal(42)).toBe(42);
		expect(parseDecimal(Number.POSITIVE_INFINITY)).toBeUndefined();
		expect(parseDecimal(Number.NaN)).toBeUndefined();
		expect(parseDecimal(true)).toBeUndefined();
		expect(parseDecimal(null)).toBeUndefined();
		expect(parseDecimal('80 %', { percent: true })).toBe(80);
		expect(parseDecimal('%', { percent: true })).toBeUndefined();
		expect(parseDecimal('-1,234,567.5', { thousands: true })).toBe(-1234567.5);
		for (const bad of ['12,34', '1,2345', ',123', '1,,234', '1234,567']) expect(parseDecimal(bad, { thousands: true })).toBeUndefined();
	});
});

describe('CSV output neutralizes spreadsheet formulas', () => {
	const cell = (value: string | number, neutralizeFormulas?: boolean) =>
		toCsv(['A'], [[value]], neutralizeFormulas === undefined ? {} : { neutralizeFormulas }).split('\n')[1];

	test.each([
		['+15551234567', '+15551234567'],
		['-5', '-5'],
		['-3.25', '-3.25'],
		['1e5', '1e5'],
		['=1+1', "'=1+1"],
		['-1+1', "'-1+1"],
		['+1-', "'+1-"],
		['@SUM(A1)', "'@SUM(A1)"],
		['\tx', "'\tx"],
		['\rx', `"'\rx"`],
		["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
		['=HYPERLINK("http://example.com","click")', `"'=HYPERLINK(""http://example.com"",""click"")"`],
		['plain text', 'plain text'],
		['a=b', 'a=b'],
	])('%j is written as %j', (value, written) => {
		expect(cell(value)).toBe(written);
	});

	test('numbers stay numbers; the option turns it off; the header is covered too', () => {
		expect(cell(-5)).toBe('-5');
		expect(cell('=1+1', false)).toBe('=1+1');
		expect(toCsv(['=A', 'B'], [])).toBe("\ufeff'=A,B\n");
	});

	test('Get Window Files offers the option, on by default', () => {
		const options = windowFilesDescription.find((property) => property.name === 'options')!.options as unknown as IDataObject[];
		expect(options.find((option) => option.name === 'neutralizeFormulas')).toMatchObject({
			displayName: 'Neutralize Spreadsheet Formulas',
			type: 'boolean',
			default: true,
		});
	});
});
