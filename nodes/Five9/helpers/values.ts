/**
 * Five9 report cells are text (docs/five9.md, "Report values"): `Mon, 05 Feb 2024 13:45:12` and
 * `YYYY/MM/DD` in the report time zone, durations `HH:MM:SS`, `-` for "no value". These turn them
 * into typed values. Cells are recognised by their shape, columns by name only to keep IDs and
 * phone numbers as text.
 */
import type { IDataObject } from 'n8n-workflow';

import { wallClockConverter, type WallClock } from '../../shared/time';

export type CellValue = string | number | null;
export type CellConverter = (value: string) => CellValue;

export interface ConvertOptions {
	/** Date-times to ISO 8601 UTC, dates to `YYYY-MM-DD`. */
	timestamps: boolean;
	/** `HH:MM:SS` to seconds. */
	durations: boolean;
	/** Plain decimal numbers to numbers, outside ID-like columns. */
	numbers: boolean;
	/** `-` and empty cells to null. */
	emptyToNull: boolean;
	/** More column names whose numbers stay text. */
	textColumns?: string[];
}

export const DEFAULT_CONVERT_OPTIONS: ConvertOptions = {
	timestamps: true,
	durations: true,
	numbers: true,
	emptyToNull: true,
};

/** The conversions an operation's "Options" ask for: each is on unless switched off. */
export function convertOptionsFrom(options: IDataObject): ConvertOptions {
	return {
		timestamps: options.convertTimestamps !== false,
		durations: options.durationsToSeconds !== false,
		numbers: options.numbersToNumbers !== false,
		emptyToNull: options.emptyToNull !== false,
		textColumns: String(options.textColumns ?? '')
			.split(',')
			.map((name) => name.trim())
			.filter(Boolean),
	};
}

/** Columns whose digits are identifiers or phone numbers: `CALL ID`, `ANI`, `DNIS`, `SESSION GUID`… */
const ID_LIKE_COLUMN = /(^|[^A-Z])(ID|IDS|ANI|DNIS|PHONE|NUMBER|GUID|EXTENSION|ZIP|POSTAL|CODE)([^A-Z]|$)/i;

const MONTHS: Record<string, number> = {
	Jan: 1,
	Feb: 2,
	Mar: 3,
	Apr: 4,
	May: 5,
	Jun: 6,
	Jul: 7,
	Aug: 8,
	Sep: 9,
	Oct: 10,
	Nov: 11,
	Dec: 12,
};

const DAY_NAME_FORMAT = /^[A-Z][a-z]{2}, (\d{1,2}) ([A-Z][a-z]{2}) (\d{4})(?: (\d{2}):(\d{2}):(\d{2}))?$/;
// No leading zeros (they mark codes), at most 15 digits before the point (exact in a double), no
// exponent or plus sign: stricter than parseDecimal on purpose, so "007" or "1E5" stay text.
const PLAIN_NUMBER = /^-?(?:0|[1-9]\d{0,14})(?:\.\d+)?$/;

function isDigit(code: number): boolean {
	return code >= 48 && code <= 57;
}

/** `HH:MM:SS` (hours may exceed 24) as seconds, else undefined. */
export function durationSeconds(value: string): number | undefined {
	const length = value.length;
	if (length < 7 || length > 11 || value.charCodeAt(length - 3) !== 58 || value.charCodeAt(length - 6) !== 58) {
		return undefined;
	}
	let hours = 0;
	for (let i = 0; i < length - 6; i++) {
		const code = value.charCodeAt(i);
		if (!isDigit(code)) return undefined;
		hours = hours * 10 + code - 48;
	}
	const m1 = value.charCodeAt(length - 5);
	const m2 = value.charCodeAt(length - 4);
	const s1 = value.charCodeAt(length - 2);
	const s2 = value.charCodeAt(length - 1);
	if (!isDigit(m1) || !isDigit(m2) || !isDigit(s1) || !isDigit(s2) || m1 > 53 || s1 > 53) return undefined;
	return hours * 3600 + (m1 - 48) * 600 + (m2 - 48) * 60 + (s1 - 48) * 10 + (s2 - 48);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealDate(year: number, month: number, day: number): boolean {
	if (month < 1 || month > 12 || day < 1) return false;
	const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	return day <= DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * Reads Five9 dates and date-times. Date-times are wall-clock times in the report zone and come
 * out as ISO UTC; dates alone come out as `YYYY-MM-DD` (a calendar date has no instant).
 */
export function timestampReader(timeZone: string): (value: string) => string | undefined {
	const toUtc = wallClockConverter(timeZone);
	const dateTime = (wall: WallClock): string | undefined => {
		if (!isRealDate(wall.year, wall.month, wall.day) || wall.hour > 23 || wall.minute > 59 || wall.second > 59) {
			return undefined;
		}
		return new Date(toUtc(wall)).toISOString();
	};
	return (value: string) => {
		const first = value.charCodeAt(0);
		if (first >= 65 && first <= 90) {
			if (value.length < 16 || value.charCodeAt(3) !== 44) return undefined;
			const match = DAY_NAME_FORMAT.exec(value);
			if (!match) return undefined;
			const month = MONTHS[match[2]];
			if (!month) return undefined;
			const year = Number(match[3]);
			const day = Number(match[1]);
			if (match[4] === undefined) return isRealDate(year, month, day) ? `${match[3]}-${pad2(month)}-${pad2(day)}` : undefined;
			return dateTime({ year, month, day, hour: Number(match[4]), minute: Number(match[5]), second: Number(match[6]) });
		}
		// YYYY/MM/DD, YYYY-MM-DD, optionally followed by " HH:MM:SS"
		if (!isDigit(first) || (value.length !== 10 && value.length !== 19)) return undefined;
		const separator = value.charCodeAt(4);
		if ((separator !== 47 && separator !== 45) || value.charCodeAt(7) !== separator) return undefined;
		for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) if (!isDigit(value.charCodeAt(i))) return undefined;
		const year = Number(value.slice(0, 4));
		const month = Number(value.slice(5, 7));
		const day = Number(value.slice(8, 10));
		if (value.length === 10) {
			// An ISO date is already what we would output.
			return isRealDate(year, month, day) ? `${value.slice(0, 4)}-${value.slice(5, 7)}-${value.slice(8, 10)}` : undefined;
		}
		if (value.charCodeAt(10) !== 32 || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58) return undefined;
		for (const i of [11, 12, 14, 15, 17, 18]) if (!isDigit(value.charCodeAt(i))) return undefined;
		return dateTime({
			year,
			month,
			day,
			hour: Number(value.slice(11, 13)),
			minute: Number(value.slice(14, 16)),
			second: Number(value.slice(17, 19)),
		});
	};
}

export function isIdLikeColumn(name: string, extra: string[] = []): boolean {
	const upper = name.trim().toUpperCase();
	return ID_LIKE_COLUMN.test(upper) || extra.some((column) => column.trim().toUpperCase() === upper);
}

/** Distinct values per column worth sharing; a column with more (IDs, times) is left alone. */
const MAX_SHARED_VALUES = 2000;

/**
 * Returns one copy of each repeated text value of a column (campaigns, agents, dispositions): the
 * CSV parser makes a new string per cell, and a day of rows repeats the same few hundred names.
 */
function sharedText(): (value: string) => string {
	const seen = new Map<string, string>();
	let sharing = true;
	return (value: string) => {
		if (!sharing) return value;
		const known = seen.get(value);
		if (known !== undefined) return known;
		if (seen.size >= MAX_SHARED_VALUES) {
			sharing = false;
			seen.clear();
		} else {
			seen.set(value, value);
		}
		return value;
	};
}

/** One converter per column, in header order. */
export function columnConverters(header: string[], options: ConvertOptions, timeZone: string): CellConverter[] {
	const readTimestamp = options.timestamps ? timestampReader(timeZone) : undefined;
	const textColumns = (options.textColumns ?? []).filter((name) => name.trim() !== '');
	return header.map((name) => {
		const numbers = options.numbers && !isIdLikeColumn(name, textColumns);
		const share = sharedText();
		return (value: string): CellValue => {
			const length = value.length;
			if (length === 0) return options.emptyToNull ? null : value;
			const first = value.charCodeAt(0);
			if (length === 1 && first === 45) return options.emptyToNull ? null : value;
			if (first >= 65 && first <= 90) {
				return readTimestamp?.(value) ?? share(value);
			}
			if (isDigit(first) || first === 45) {
				if (options.durations) {
					const seconds = durationSeconds(value);
					if (seconds !== undefined) return seconds;
				}
				if (readTimestamp) {
					const timestamp = readTimestamp(value);
					if (timestamp !== undefined) return timestamp;
				}
				if (numbers && PLAIN_NUMBER.test(value)) return Number(value);
			}
			return share(value);
		};
	});
}
