/**
 * Zod readers for the fields of items the Assembled node validates before sending (QA scores,
 * conversations, agent states): blank is missing, text is trimmed, numbers are decimal, times
 * become unix seconds (docs/assembled.md, "Collections and timestamps").
 */
import { z } from 'zod/v4';

import { parseDecimal } from '../../shared/numbers';
import { parseTimestamp } from '../../shared/time';
import { isBlank } from '../../shared/values';

const EARLIEST = Date.UTC(2000, 0, 1) / 1000;
const LATEST = Date.UTC(2100, 0, 1) / 1000;

/** What a `text` field keeps of a value that is neither blank nor an object (also read ahead as a key). */
export function keptText(value: unknown): string | undefined {
	return isBlank(value) || typeof value === 'object' ? undefined : String(value).trim();
}

export function text(label: string, required: boolean, max = 512) {
	return z.unknown().transform((value, ctx) => {
		if (isBlank(value)) {
			if (required) ctx.addIssue({ code: 'custom', message: 'is required' });
			return undefined;
		}
		if (typeof value === 'object') {
			ctx.addIssue({ code: 'custom', message: `must be text, not an ${Array.isArray(value) ? 'array' : 'object'}` });
			return z.NEVER;
		}
		const result = keptText(value)!;
		if (result.length > max) {
			ctx.addIssue({ code: 'custom', message: `is longer than ${max} characters` });
		}
		return result;
	}).describe(label);
}

export function numeric(required: boolean) {
	return z.unknown().transform((value, ctx) => {
		if (isBlank(value)) {
			if (required) ctx.addIssue({ code: 'custom', message: 'is required' });
			return undefined;
		}
		const number = parseDecimal(value, { percent: true });
		if (number === undefined) {
			ctx.addIssue({ code: 'custom', message: `must be a number, got ${JSON.stringify(value)}` });
			return z.NEVER;
		}
		return number;
	});
}

/** A time that is not blank as unix seconds in 2000–2099, or why it is not one. */
export function readUnixSeconds(value: unknown, timeZone: string): { seconds: number } | { reason: string } {
	const parsed = parseTimestamp(value, timeZone);
	if (!parsed.ok) return { reason: parsed.reason };
	const seconds = Math.floor(parsed.epochMs / 1000);
	if (seconds < EARLIEST || seconds >= LATEST) {
		return {
			reason: `${new Date(parsed.epochMs).toISOString()} is outside 2000–2099; check the unit (seconds vs milliseconds)`,
		};
	}
	return { seconds };
}

export function unixSeconds(required: boolean, timeZone: string) {
	return z.unknown().transform((value, ctx) => {
		if (isBlank(value)) {
			if (required) ctx.addIssue({ code: 'custom', message: 'is required' });
			return undefined;
		}
		const read = readUnixSeconds(value, timeZone);
		if ('reason' in read) {
			ctx.addIssue({ code: 'custom', message: read.reason });
			return z.NEVER;
		}
		return read.seconds;
	});
}
