/**
 * Five9's report CSV (getReportResultCsv): RFC 4180, header first, quoted fields may hold commas,
 * quotes and line breaks (docs/five9.md, "Reports"). Parsing is strict: a cut-off or ragged file is
 * an error, never a partial result.
 */
import { parse } from 'csv-parse/sync';

import { isDecimalText } from '../../shared/numbers';
import type { CellValue } from './values';

export type ParsedCsv<T> = { ok: true; header: string[]; rows: T[] } | { ok: false; reason: string };

/** Gives repeated column names a suffix so no value overwrites another. */
export function uniqueColumnNames(names: string[]): string[] {
	const seen = new Map<string, number>();
	return names.map((raw) => {
		const name = raw.trim() === '' ? 'COLUMN' : raw;
		const count = (seen.get(name) ?? 0) + 1;
		seen.set(name, count);
		return count === 1 ? name : `${name} (${count})`;
	});
}

const QUOTE = 0x22;
const LINE_FEED = 0x0a;

/** Bytes of CSV parsed at a time. */
export const CSV_PIECE_BYTES = 1 << 18;

/**
 * Where the piece starting at `start` may end: just after the first line feed at or beyond
 * `start + size` that lies outside quotes (or at the end). In strict CSV a quote only opens or
 * closes a quoted field (a doubled quote does both), so an even number of quotes since `start`,
 * which is itself outside quotes, means outside.
 */
function pieceEnd(bytes: Buffer, start: number, size: number): number {
	const target = start + size;
	if (target >= bytes.length) return bytes.length;
	let inside = false;
	let position = start;
	for (;;) {
		const quote = bytes.indexOf(QUOTE, position);
		if (quote < 0 || quote >= target) break;
		inside = !inside;
		position = quote + 1;
	}
	position = target;
	for (;;) {
		const quote = bytes.indexOf(QUOTE, position);
		const lineFeed = bytes.indexOf(LINE_FEED, position);
		if (lineFeed < 0) return bytes.length;
		if (!inside && (quote < 0 || lineFeed < quote)) return lineFeed + 1;
		if (quote < 0) return bytes.length;
		inside = !inside;
		position = quote + 1;
	}
}

function countLineFeeds(bytes: Buffer, end: number): number {
	let count = 0;
	for (let at = bytes.indexOf(LINE_FEED); at >= 0 && at < end; at = bytes.indexOf(LINE_FEED, at + 1)) count += 1;
	return count;
}

/**
 * Parses report CSV, or says why it cannot. `rowBuilder` is called once with the header and returns
 * the function that turns each record into a row.
 *
 * The CSV is parsed 256 KB at a time, cut between records: each piece's records become rows at
 * once, so the parser's own arrays never pile up for a whole report, without csv-parse's per-record
 * callback, which costs it about a third more time.
 */
export function parseReportCsv<T>(
	input: string | Buffer,
	rowBuilder: (header: string[]) => (record: string[]) => T,
	pieceBytes = CSV_PIECE_BYTES,
): ParsedCsv<T> {
	const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
	let header: string[] | undefined;
	let build: ((record: string[]) => T) | undefined;
	const rows: T[] = [];
	let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
	while (start < bytes.length) {
		const end = pieceEnd(bytes, start, pieceBytes);
		let records: string[][];
		try {
			records = parse(bytes.subarray(start, end), {
				skip_empty_lines: true,
				relax_column_count: false,
				relax_quotes: false,
			}) as string[][];
		} catch (error) {
			// Line numbers of a piece count from its start.
			const before = countLineFeeds(bytes, start);
			const message = String((error as Error)?.message ?? error).replace(/\bline (\d+)/g, (_match, line: string) => `line ${Number(line) + before}`);
			return { ok: false, reason: message.length > 240 ? `${message.slice(0, 240)}…` : message };
		}
		for (const record of records) {
			if (!header || !build) {
				header = uniqueColumnNames(record);
				build = rowBuilder(header);
				continue;
			}
			if (record.length !== header.length) {
				const line = countLineFeeds(bytes, start) + 1;
				return {
					ok: false,
					reason: `Invalid Record Length: expect ${header.length}, got ${record.length} in the piece starting on line ${line}`,
				};
			}
			rows.push(build(record));
		}
		start = end;
	}
	return { ok: true, header: header ?? [], rows };
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
/** What a spreadsheet may run as a formula when a cell starts with it (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: CellValue | undefined, neutralizeFormulas: boolean): string {
	if (value === null || value === undefined) return '';
	let text = typeof value === 'string' ? value : String(value);
	// A leading apostrophe makes the cell text; plain numbers (-5, +15551234567) are left as numbers.
	if (neutralizeFormulas && FORMULA_START.test(text) && !isDecimalText(text)) text = `'${text}`;
	return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * RFC 4180 text with the header first and a line break after every row. It starts with a UTF-8
 * byte order mark, as n8n's Convert to File writes CSV, so files of both look the same.
 * `neutralizeFormulas` (default) keeps spreadsheets from running cells such as `=HYPERLINK(…)`.
 */
export function toCsv(header: string[], rows: Array<CellValue[]>, options: { neutralizeFormulas?: boolean } = {}): string {
	const { neutralizeFormulas = true } = options;
	const cell = (value: CellValue | undefined) => csvCell(value, neutralizeFormulas);
	const lines: string[] = [header.map(cell).join(',')];
	for (const row of rows) lines.push(row.map(cell).join(','));
	return `\ufeff${lines.join('\n')}\n`;
}
