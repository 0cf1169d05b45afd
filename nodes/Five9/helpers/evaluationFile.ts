/**
 * Rows of an evaluation export file (CSV or JSON). CSV is read strictly: a row whose cell count
 * differs from the header's is rejected whole, since reading it would put cells under the wrong
 * columns (a missing middle cell would push a wrong score). Other rows still parse.
 */
import type { IDataObject } from 'n8n-workflow';
import { parse as parseCsv } from 'csv-parse/sync';

import type { ColumnMap } from './evaluation';

/** Where a row stands in the file: its number among the data rows and the line it starts on. */
export interface RowPlace {
	rowNumber: number;
	line: number;
}

/** A CSV row that was not read, with its cells as they were found (not assigned to columns). */
export interface UnreadableRow extends RowPlace {
	reasons: string[];
	cells: string[];
}

export interface FileRows {
	rows: IDataObject[];
	/** Place of each row of `rows` (CSV only). */
	places?: RowPlace[];
	unreadable: UnreadableRow[];
}

/** The file as a whole cannot be read as the mapping asks, e.g. a mapped column appears twice. */
export class EvaluationFileError extends Error {}

const CR = 0x0d;
const LF = 0x0a;

/** Header names with repeats (compared trimmed, without regard to case) given a suffix. */
function distinctNames(names: string[]): string[] {
	const taken = new Set(names.map((name) => name.toUpperCase()));
	const seen = new Map<string, number>();
	return names.map((raw) => {
		const name = raw === '' ? 'COLUMN' : raw;
		const key = name.toUpperCase();
		const count = (seen.get(key) ?? 0) + 1;
		seen.set(key, count);
		if (count === 1) return name;
		let suffix = count;
		// A suffixed name must not hide a column the file really has.
		while (taken.has(`${key} (${suffix})`)) suffix += 1;
		taken.add(`${key} (${suffix})`);
		return `${name} (${suffix})`;
	});
}

/** Fails when a column the mapping reads appears more than once: which one is meant is unknown. */
function assertMappedColumnsUnique(header: string[], columns: ColumnMap): void {
	const mapped = new Set(Object.values(columns).map((column) => column.trim().toUpperCase()).filter(Boolean));
	const counts = new Map<string, { name: string; count: number }>();
	for (const name of header) {
		const key = name.toUpperCase();
		const entry = counts.get(key);
		if (entry) entry.count += 1;
		else counts.set(key, { name, count: 1 });
	}
	for (const [key, { name, count }] of counts) {
		if (count > 1 && mapped.has(key)) {
			throw new EvaluationFileError(`The file has ${count} columns named ${name}, which the mapping reads; rename or remove one`);
		}
	}
}

/**
 * Parses CSV records as arrays, the first being the header. csv-parse's own line count counts a
 * CRLF inside a quoted cell twice, so lines are counted here from the byte where each record ends.
 */
function rowsFromCsv(bytes: Buffer, columns: ColumnMap): FileRows {
	const records = parseCsv(bytes, {
		// Any mix of line endings: LF header with CRLF rows, or the reverse.
		record_delimiter: ['\r\n', '\n', '\r'],
		relax_column_count: true,
		skip_empty_lines: true,
		trim: true,
		info: true,
	}) as unknown as Array<{ record: string[]; info: { bytes: number } }>;
	const result: FileRows = { rows: [], places: [], unreadable: [] };
	let header: string[] | undefined;
	let names: string[] = [];
	let rowNumber = 0;
	let position = 0;
	let line = 1;
	for (const { record, info } of records) {
		// Skip the line breaks and blanks before the record, counting lines (CRLF is one).
		while (position < bytes.length && (bytes[position] === CR || bytes[position] === LF || bytes[position] === 0x20 || bytes[position] === 0x09)) {
			if (bytes[position] === LF || (bytes[position] === CR && bytes[position + 1] !== LF)) line += 1;
			position += 1;
		}
		const start = line;
		for (; position < info.bytes; position++) {
			if (bytes[position] === LF || (bytes[position] === CR && bytes[position + 1] !== LF)) line += 1;
		}
		// A line of separators only (`,,,`) is as blank as an empty one.
		if (record.every((cell) => cell === '')) continue;
		if (!header) {
			header = record;
			assertMappedColumnsUnique(header, columns);
			names = distinctNames(header);
			continue;
		}
		rowNumber += 1;
		if (record.length !== header.length) {
			result.unreadable.push({
				reasons: [
					`row ${rowNumber} (line ${start}) has ${record.length} ${record.length === 1 ? 'cell' : 'cells'} but the header has ${header.length}; nothing of this row was read`,
				],
				cells: record,
				rowNumber,
				line: start,
			});
			continue;
		}
		const row: IDataObject = {};
		names.forEach((name, index) => (row[name] = record[index]));
		result.rows.push(row);
		result.places!.push({ rowNumber, line: start });
	}
	return result;
}

/**
 * Rows of a CSV or JSON export: JSON may be an array, or an object with `items`/`evaluations`.
 * Throws when the file cannot be read at all (an EvaluationFileError when its columns are at fault).
 */
export function rowsFromFile(buffer: Buffer, fileName: string | undefined, mimeType: string | undefined, columns: ColumnMap): FileRows {
	const bytes = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? buffer.subarray(3) : buffer;
	const text = bytes.toString('utf8');
	const looksJson = /json/i.test(mimeType ?? '') || /\.json$/i.test(fileName ?? '') || /^\s*[[{]/.test(text);
	if (looksJson) {
		const parsed = JSON.parse(text) as unknown;
		const rows = Array.isArray(parsed)
			? parsed
			: ((parsed as IDataObject).items ?? (parsed as IDataObject).evaluations ?? [parsed]);
		if (!Array.isArray(rows)) throw new Error('the JSON holds no list of evaluations');
		return { rows: rows as IDataObject[], unreadable: [] };
	}
	return rowsFromCsv(bytes, columns);
}
