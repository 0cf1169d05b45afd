/**
 * Five9's report CSV (getReportResultCsv): RFC 4180, header first, quoted fields may hold commas,
 * quotes and line breaks (five9.md §1.6). Parsing is strict: a cut-off or ragged file is an error,
 * never a partial result.
 */
import { parse } from 'csv-parse/sync';

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

/**
 * Parses report CSV, or says why it cannot; `rowBuilder` is called once with the header and returns the function that turns
 * each record into a row, so rows are built while parsing rather than in a second pass.
 */
export function parseReportCsv<T>(
	text: string | Buffer,
	rowBuilder: (header: string[]) => (record: string[]) => T,
): ParsedCsv<T> {
	let header: string[] | undefined;
	let build: ((record: string[]) => T) | undefined;
	let rows: T[];
	try {
		rows = parse(text, {
			bom: true,
			skip_empty_lines: true,
			relax_column_count: false,
			relax_quotes: false,
			// The typings want records back as string arrays; any value is kept at runtime.
			on_record: ((record: string[]) => {
				if (!build) {
					header = uniqueColumnNames(record);
					build = rowBuilder(header);
					return null;
				}
				return build(record);
			}) as unknown as (record: string[]) => string[] | null,
		}) as unknown as T[];
	} catch (error) {
		const message = (error as Error).message ?? String(error);
		return { ok: false, reason: message.length > 240 ? `${message.slice(0, 240)}…` : message };
	}
	return { ok: true, header: header ?? [], rows };
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

function csvCell(value: CellValue | undefined): string {
	if (value === null || value === undefined) return '';
	const text = typeof value === 'string' ? value : String(value);
	return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * RFC 4180 text with the header first and a line break after every row. It starts with a UTF-8
 * byte order mark, as n8n's Convert to File writes CSV, so files of both look the same.
 */
export function toCsv(header: string[], rows: Array<CellValue[]>): string {
	const lines: string[] = [header.map(csvCell).join(',')];
	for (const row of rows) lines.push(row.map(csvCell).join(','));
	return `\ufeff${lines.join('\n')}\n`;
}
