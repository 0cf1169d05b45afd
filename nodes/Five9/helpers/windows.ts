/**
 * Report windows. Five9 returns at most 50,000 rows per run and recommends short periods, so a range
 * is cut into calendar days of the report time zone (23 or 25 hours on DST days), or smaller.
 * Windows are half-open: [start, end).
 */
import type { IDataObject } from 'n8n-workflow';

import { addDaysInZone, dateInZone, formatInZone, parseTimestamp, startOfDayInZone } from '../../shared/time';

export interface ReportWindow {
	startMs: number;
	endMs: number;
}

/** Guards against a typo such as year 20204 starting millions of report runs. */
export const MAX_WINDOWS = 20_000;

export type RangeMode = 'today' | 'previousDays' | 'custom';

export interface RangeInput {
	mode: RangeMode;
	/** For previousDays: whole days before today. */
	days?: number;
	start?: unknown;
	end?: unknown;
}

export type RangeResult = { ok: true; startMs: number; endMs: number } | { ok: false; reason: string };

/** Turns the node's range settings into instants; "today" is today in the report time zone. */
export function resolveRange(input: RangeInput, nowMs: number, timeZone: string): RangeResult {
	if (input.mode === 'today') {
		return { ok: true, startMs: startOfDayInZone(nowMs, timeZone), endMs: Math.floor(nowMs / 1000) * 1000 };
	}
	if (input.mode === 'previousDays') {
		const days = Number(input.days);
		if (!Number.isInteger(days) || days < 1) return { ok: false, reason: `Days must be a whole number of at least 1, not "${String(input.days)}"` };
		const endMs = startOfDayInZone(nowMs, timeZone);
		return { ok: true, startMs: addDaysInZone(endMs, -days, timeZone), endMs };
	}
	const start = parseTimestamp(input.start, timeZone);
	if (!start.ok) return { ok: false, reason: `Start ${start.reason}` };
	const end = parseTimestamp(input.end, timeZone);
	if (!end.ok) return { ok: false, reason: `End ${end.reason}` };
	if (end.epochMs <= start.epochMs) return { ok: false, reason: 'End must be after Start' };
	return { ok: true, startMs: start.epochMs, endMs: end.epochMs };
}

/**
 * Calendar days of `timeZone` covering [startMs, endMs); with `windowHours` below 24 each day is cut
 * further into pieces of that many hours, never crossing midnight.
 */
export function splitIntoWindows(startMs: number, endMs: number, timeZone: string, windowHours = 24): ReportWindow[] {
	const windows: ReportWindow[] = [];
	const stepMs = windowHours >= 24 ? Infinity : Math.max(1, windowHours) * 3_600_000;
	let cursor = startMs;
	while (cursor < endMs) {
		const dayEnd = Math.min(addDaysInZone(startOfDayInZone(cursor, timeZone), 1, timeZone), endMs);
		for (let pieceStart = cursor; pieceStart < dayEnd; ) {
			const pieceEnd = Math.min(pieceStart + stepMs, dayEnd);
			windows.push({ startMs: pieceStart, endMs: pieceEnd });
			if (windows.length > MAX_WINDOWS) {
				throw new RangeError(`The range needs more than ${MAX_WINDOWS} report windows; shorten it`);
			}
			pieceStart = pieceEnd;
		}
		cursor = dayEnd;
	}
	return windows;
}

/** The two halves of a window, cut at a whole second. */
export function halves(window: ReportWindow): [ReportWindow, ReportWindow] {
	const middle = Math.floor((window.startMs + (window.endMs - window.startMs) / 2) / 1000) * 1000;
	return [
		{ startMs: window.startMs, endMs: middle },
		{ startMs: middle, endMs: window.endMs },
	];
}

/** What an output item says about the window it came from. */
export function windowInfo(window: ReportWindow, timeZone: string): IDataObject {
	return {
		date: dateInZone(window.startMs, timeZone),
		start: formatInZone(window.startMs, timeZone),
		end: formatInZone(window.endMs, timeZone),
		timeZone,
	};
}

/** How errors name a window: `2024-03-10 (2024-03-10T00:00:00.000-08:00 → 2024-03-11T00:00:00.000-07:00)`. */
export function windowLabel(window: ReportWindow, timeZone: string): string {
	return `${dateInZone(window.startMs, timeZone)} (${formatInZone(window.startMs, timeZone)} → ${formatInZone(window.endMs, timeZone)})`;
}
