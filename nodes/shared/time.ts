/**
 * Time helpers without a date library: IANA zones through Intl, which Node ships with full ICU.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
	try {
		formatterFor(timeZone);
		return true;
	} catch {
		return false;
	}
}

export interface WallClock {
	year: number;
	month: number; // 1-12
	day: number;
	hour: number;
	minute: number;
	second: number;
	millisecond?: number;
}

/** The wall-clock time in `timeZone` at the UTC instant `epochMs`. */
export function wallClockAt(epochMs: number, timeZone: string): WallClock {
	const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
	const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
	return {
		year: get('year'),
		month: get('month'),
		day: get('day'),
		hour: get('hour') % 24,
		minute: get('minute'),
		second: get('second'),
		millisecond: ((epochMs % 1000) + 1000) % 1000,
	};
}

/** Offset of `timeZone` from UTC at `epochMs`, in milliseconds (e.g. -8h for Los Angeles in winter). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
	const wall = wallClockAt(Math.floor(epochMs / 1000) * 1000, timeZone);
	const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
	return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** The wall-clock time read as if it were UTC: the starting point of every zone conversion. */
function wallAsUtc(wall: WallClock): number {
	return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond ?? 0);
}

/**
 * UTC instant of a wall-clock time in `timeZone`. In a DST gap the time is shifted
 * forward by the gap; in an overlap the earlier instant wins.
 */
export function zonedTimeToUtc(wall: WallClock, timeZone: string): number {
	const naive = wallAsUtc(wall);
	const firstOffset = zoneOffsetMs(naive, timeZone);
	let candidate = naive - firstOffset;
	const secondOffset = zoneOffsetMs(candidate, timeZone);
	if (secondOffset !== firstOffset) {
		const alternative = naive - secondOffset;
		// Overlap: both readings are valid, prefer the earlier. Gap: only one round-trips.
		const roundTrips = (instant: number) => zoneOffsetMs(instant, timeZone) === naive - instant;
		if (roundTrips(alternative) && (!roundTrips(candidate) || alternative < candidate)) {
			candidate = alternative;
		}
	}
	return candidate;
}

/** Midnight that starts the calendar day containing `epochMs` in `timeZone`. */
export function startOfDayInZone(epochMs: number, timeZone: string): number {
	const wall = wallClockAt(epochMs, timeZone);
	return zonedTimeToUtc({ ...wall, hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone);
}

/** Adds calendar days in `timeZone` (a DST day is 23 or 25 hours long). */
export function addDaysInZone(epochMs: number, days: number, timeZone: string): number {
	const wall = wallClockAt(epochMs, timeZone);
	const shifted = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
	return zonedTimeToUtc(
		{
			...wall,
			year: shifted.getUTCFullYear(),
			month: shifted.getUTCMonth() + 1,
			day: shifted.getUTCDate(),
		},
		timeZone,
	);
}

/** ISO 8601 with the zone's offset, as Five9 expects in report criteria (`2024-02-05T00:00:00.000-08:00`). */
export function formatInZone(epochMs: number, timeZone: string): string {
	const wall = wallClockAt(epochMs, timeZone);
	const offsetMinutes = Math.round(zoneOffsetMs(epochMs, timeZone) / 60_000);
	const sign = offsetMinutes < 0 ? '-' : '+';
	const abs = Math.abs(offsetMinutes);
	const pad = (n: number, width = 2) => String(n).padStart(width, '0');
	return (
		`${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}` +
		`.${pad(wall.millisecond ?? 0, 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
	);
}

const ISO_RE =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Milliseconds at or above this are read as unix milliseconds, below as unix seconds (year 5138 in seconds). */
const MS_THRESHOLD = 1e11;

export type TimestampResult = { ok: true; epochMs: number } | { ok: false; reason: string };

/**
 * Reads a timestamp given as ISO 8601, unix seconds or unix milliseconds (number or digits),
 * a Date, or a date-time object with `toMillis()` (what n8n expressions such as `$now` return).
 * ISO text without an offset is read in `timeZone`.
 */
export function parseTimestamp(value: unknown, timeZone = 'UTC'): TimestampResult {
	if (value === undefined || value === null || value === '') {
		return { ok: false, reason: 'is empty' };
	}
	if (value instanceof Date) {
		const ms = value.getTime();
		return Number.isNaN(ms) ? { ok: false, reason: 'is an invalid date' } : { ok: true, epochMs: ms };
	}
	if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		const ms = (value as { toMillis: () => number }).toMillis();
		return Number.isFinite(ms) ? { ok: true, epochMs: ms } : { ok: false, reason: 'is an invalid date' };
	}
	if (typeof value === 'number') return fromEpochNumber(value);
	if (typeof value !== 'string') return { ok: false, reason: `must be a date, not ${typeof value}` };

	const text = value.trim();
	if (/^-?\d+(\.\d+)?$/.test(text)) return fromEpochNumber(Number(text));

	const match = ISO_RE.exec(text);
	if (!match) return { ok: false, reason: `"${truncate(text)}" is not ISO 8601, unix seconds or unix milliseconds` };
	const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', offset] = match;
	const wall: WallClock = {
		year: Number(y),
		month: Number(mo),
		day: Number(d),
		hour: Number(h),
		minute: Number(mi),
		second: Number(s),
		millisecond: Math.floor(Number(`0.${frac}`) * 1000),
	};
	if (!isRealDate(wall)) return { ok: false, reason: `"${truncate(text)}" is not a real date` };
	if (offset) {
		const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
		if (offset.toUpperCase() === 'Z') return { ok: true, epochMs: naive };
		const sign = offset.startsWith('-') ? -1 : 1;
		const digits = offset.slice(1).replace(':', '');
		const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
		return { ok: true, epochMs: naive - sign * minutes * 60_000 };
	}
	return { ok: true, epochMs: zonedTimeToUtc(wall, timeZone) };
}

function fromEpochNumber(value: number): TimestampResult {
	if (!Number.isFinite(value)) return { ok: false, reason: 'is not a finite number' };
	if (value < 0) return { ok: false, reason: 'is before 1970' };
	return { ok: true, epochMs: Math.abs(value) >= MS_THRESHOLD ? Math.floor(value) : Math.floor(value * 1000) };
}

function isRealDate(wall: WallClock): boolean {
	if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.hour > 23 || wall.minute > 59 || wall.second > 60) {
		return false;
	}
	const probe = new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
	return probe.getUTCDate() === wall.day;
}

function truncate(text: string, max = 60): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * A fast `zonedTimeToUtc` for many readings in one zone (report rows): the offset is computed once
 * per wall-clock hour and reused when it holds for the whole hour, so DST edges stay exact.
 */
export function wallClockConverter(timeZone: string): (wall: WallClock) => number {
	const offsets = new Map<number, number | null>();
	return (wall: WallClock) => {
		const hourKey = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour);
		let offset = offsets.get(hourKey);
		if (offset === undefined) {
			const first = hourKey - zonedTimeToUtc({ ...wall, minute: 0, second: 0, millisecond: 0 }, timeZone);
			const last =
				hourKey + 3_599_000 - zonedTimeToUtc({ ...wall, minute: 59, second: 59, millisecond: 0 }, timeZone);
			offset = first === last ? first : null;
			if (offsets.size > 10_000) offsets.clear();
			offsets.set(hourKey, offset);
		}
		if (offset === null) return zonedTimeToUtc(wall, timeZone);
		return wallAsUtc(wall) - offset;
	};
}

/** The calendar date (`YYYY-MM-DD`) in `timeZone` at `epochMs`. */
export function dateInZone(epochMs: number, timeZone: string): string {
	const wall = wallClockAt(epochMs, timeZone);
	return `${String(wall.year).padStart(4, '0')}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
}
