import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { timestampParameter } from '../../shared/parameters';

/** A date parameter as unix seconds (Assembled's unit everywhere: docs/assembled.md, "Collections and timestamps"). */
export function unixSecondsParameter(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): number {
	return Math.floor(timestampParameter(ctx, name, label, itemIndex) / 1000);
}

/** The unix-second fields of Assembled's answers that get a readable twin. */
const TIME_FIELDS = new Set(['start_time', 'end_time', 'created_at', 'updated_at', 'start_date', 'end_date', 'deleted_at']);

/** Largest time a JavaScript date holds, in seconds. */
const MAX_DATE_SECONDS = 8.64e12;

/** Unix seconds as ISO 8601 in UTC, without milliseconds when there are none. */
export function isoFromUnixSeconds(seconds: number): string | null {
	if (!Number.isFinite(seconds) || Math.abs(seconds) > MAX_DATE_SECONDS) return null;
	return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The record with `<field>_iso` after each unix-second field: the numbers stay as Assembled sent
 * them, so expressions that read them keep working. A null time gets a null twin.
 */
export function withIsoTimes(record: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(record)) {
		out[key] = value;
		const twin = `${key}_iso`;
		if (!TIME_FIELDS.has(key) || twin in record) continue;
		if (typeof value === 'number') out[twin] = isoFromUnixSeconds(value);
		else if (value === null) out[twin] = null;
	}
	return out;
}
