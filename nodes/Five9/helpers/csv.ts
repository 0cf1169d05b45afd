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
const CARRIAGE_RETURN = 0x0d;
const COMMA = 0x2c;

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

/** Line ends as csv-parse tells records apart: the first one met outside quotes is the only one. */
const LF_ENDS = 1;
const CRLF_ENDS = 2;
const CR_ENDS = 3;

/**
 * The records of `bytes[start, end)` as csv-parse gives them with the options `parseReportCsv`
 * uses (strict quotes, equal record lengths, empty lines skipped, the line end found first), for
 * CSV written the plain way Five9 writes it; undefined when the piece has anything csv-parse would
 * refuse or read in a less usual way (a quote inside an unquoted cell, text after a closing quote,
 * a second kind of line end, records of different lengths), and csv-parse then reads it and says
 * why. Several times faster than csv-parse: cells are found by a scan of the bytes and decoded one
 * at a time (each cell its own string, so a cell kept in a row does not keep the piece alive).
 * `test/unit/five9-csv-fuzz.test.ts` holds the two to the same records on random texts.
 */
export function plainRecords(bytes: Buffer, start: number, end: number): string[][] | undefined {
	const records: string[][] = [];
	let width = -1;
	let lineEnds = 0;
	let record: string[] = [];
	let pos = start;
	while (pos < end) {
		// At the start of a field.
		let byte = bytes[pos];
		if (record.length === 0 && (byte === LINE_FEED || byte === CARRIAGE_RETURN)) {
			// An empty line: skipped, once its line end agrees with the others.
			const kind = byte === LINE_FEED ? LF_ENDS : pos + 1 < end && bytes[pos + 1] === LINE_FEED ? CRLF_ENDS : CR_ENDS;
			if (lineEnds === 0) lineEnds = kind;
			else if (kind !== lineEnds) return undefined;
			pos += kind === CRLF_ENDS ? 2 : 1;
			continue;
		}
		let value: string;
		if (byte === QUOTE) {
			let from = pos + 1;
			let escaped = false;
			let close: number;
			for (;;) {
				close = bytes.indexOf(QUOTE, from);
				if (close < 0 || close >= end) return undefined;
				if (close + 1 < end && bytes[close + 1] === QUOTE) {
					escaped = true;
					from = close + 2;
					continue;
				}
				break;
			}
			value = bytes.toString('utf8', pos + 1, close);
			// A doubled quote is ASCII and never inside a UTF-8 sequence: undoubling the text is undoubling the bytes.
			if (escaped) value = value.replace(/""/g, '"');
			pos = close + 1;
			byte = pos < end ? bytes[pos] : -1;
			if (byte !== COMMA && byte !== LINE_FEED && byte !== CARRIAGE_RETURN && byte !== -1) return undefined;
		} else {
			let at = pos;
			let ascii = true;
			for (; at < end; at++) {
				byte = bytes[at];
				if (byte === COMMA || byte === LINE_FEED || byte === CARRIAGE_RETURN) break;
				if (byte === QUOTE) return undefined;
				if (byte >= 0x80) ascii = false;
			}
			value = at === pos ? '' : bytes.toString(ascii ? 'latin1' : 'utf8', pos, at);
			pos = at;
			byte = pos < end ? bytes[pos] : -1;
		}
		record.push(value);
		if (byte === COMMA) {
			pos += 1;
			// A comma at the very end still opens one last, empty field.
			if (pos === end) record.push('');
			else continue;
		} else if (byte !== -1) {
			const kind = byte === LINE_FEED ? LF_ENDS : pos + 1 < end && bytes[pos + 1] === LINE_FEED ? CRLF_ENDS : CR_ENDS;
			if (lineEnds === 0) lineEnds = kind;
			else if (kind !== lineEnds) return undefined;
			pos += kind === CRLF_ENDS ? 2 : 1;
		}
		if (width < 0) width = record.length;
		else if (record.length !== width) return undefined;
		records.push(record);
		record = [];
	}
	return records;
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
		let records = plainRecords(bytes, start, end);
		if (!records) {
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
