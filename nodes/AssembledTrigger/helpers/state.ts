import { contentFingerprint } from '../../shared/fingerprint';

import type { IDataObject } from 'n8n-workflow';

/** A record the trigger emitted: its time in whole seconds and a fingerprint of its content ('' = emit once). */
export type SeenEntry = [number, string];

/** What the trigger keeps between polls for one event, in the workflow's static data (saved on every poll: keep it small). */
export interface EventState {
	/** Records at or before this instant (ms) have been looked at. */
	watermark?: number;
	/** Nothing dated before this instant is emitted: the activation time. */
	floor?: number;
	/** `seen` holds every record emitted at or after this instant (ms): no window reaches earlier. */
	coveredFrom?: number;
	/** Emitted records by id. */
	seen?: Record<string, SeenEntry>;
	/** When the last poll that read Assembled succeeded (ms). */
	lastPollAt?: number;
}

export type NextState = Required<EventState>;

/** One record of a list, as the trigger compares it. */
export interface TriggerRecord {
	id: string;
	/** When the record was made or last changed (ms). */
	at: number;
	/** When the record was made (ms), when the list says so. */
	createdAt?: number;
	/** Content fingerprint; '' emits the record once, whatever changes later. */
	fingerprint: string;
	json: IDataObject;
}

/** A safety net in case the horizon holds more than expected. */
export const MAX_SEEN = 50_000;

/** A short hash of a record's whole content, as Assembled sent it. */
export { contentFingerprint };

export interface WindowSettings {
	now: number;
	overlapMs: number;
}

/** Earliest record time the remembered ids can vouch for: nothing earlier is asked for or emitted. */
function earliest(state: EventState): number {
	return Math.max(state.floor ?? Number.NEGATIVE_INFINITY, state.coveredFrom ?? Number.NEGATIVE_INFINITY);
}

/**
 * Where a poll's range starts (it ends at `now`): watermark − overlap, so records written late or
 * stamped by a clock behind ours are read again, but never before the floor or before what `seen`
 * covers, or records emitted long ago would be taken for new ones.
 */
export function windowStart(state: EventState, { now, overlapMs }: WindowSettings): number {
	return Math.max((state.watermark ?? now) - overlapMs, earliest(state));
}

/** The state of a first activation: from now on, nothing older. */
export function activationState(now: number): NextState {
	return { watermark: now, floor: now, coveredFrom: now, seen: {}, lastPollAt: now };
}

export interface Emitted {
	record: TriggerRecord;
	/** Emitted before with other content, or made before the trigger could have seen it. */
	changed: boolean;
}

/**
 * Picks the records to emit and computes the next state. A record not emitted before is emitted
 * (changed = false, or true when it was made before the range `seen` covers, so this is a change
 * of an older record); one emitted before whose fingerprint differs is emitted again with
 * changed = true. The watermark moves to the latest record time seen, but never lags more than one
 * overlap behind `now`, so the window stays bounded when nothing happens for a while; `seen`
 * forgets what no later window can reach.
 */
export function advance(state: EventState, records: TriggerRecord[], { now, overlapMs }: WindowSettings): { fresh: Emitted[]; next: NextState } {
	const start = earliest(state);
	const seen: Record<string, SeenEntry> = { ...(state.seen ?? {}) };
	// One record per id and poll: the last copy wins.
	const byId = new Map<string, TriggerRecord>();
	for (const record of records) byId.set(record.id, record);

	const fresh: Emitted[] = [];
	let latest = state.watermark ?? now;
	for (const record of byId.values()) {
		if (!Number.isFinite(record.at)) continue;
		if (record.at > latest && record.at <= now) latest = record.at;
		const known = seen[record.id];
		// A record dated before what `seen` covers may have been emitted already, unless it is known
		// and its content changed (a list whose records keep their time when edited).
		if (!(record.at >= start) && known === undefined) continue;
		const sec = Math.floor(record.at / 1000);
		seen[record.id] = [Math.max(sec, known?.[0] ?? sec), record.fingerprint];
		if (known === undefined) {
			fresh.push({ record, changed: record.createdAt !== undefined && record.createdAt < start });
		} else if (known[1] !== record.fingerprint) {
			fresh.push({ record, changed: true });
		}
	}
	const watermark = Math.max(latest, now - overlapMs);

	// The next window starts no earlier than watermark − overlap ≥ now − 2 × overlap: older ids cannot come back.
	let keepFromSec = Math.floor((now - 2 * overlapMs) / 1000);
	let entries = Object.entries(seen).filter(([, [sec]]) => sec >= keepFromSec);
	if (entries.length > MAX_SEEN) {
		entries.sort((a, b) => b[1][0] - a[1][0]);
		// Drop whole seconds, so coverage can be stated as one instant.
		const cutSec = entries[MAX_SEEN][1][0];
		entries = entries.filter(([, [sec]]) => sec > cutSec);
		keepFromSec = Math.max(keepFromSec, cutSec + 1);
	}
	const coveredFrom = Math.max(state.coveredFrom ?? Number.NEGATIVE_INFINITY, keepFromSec * 1000);
	return {
		fresh,
		next: {
			watermark,
			floor: state.floor ?? coveredFrom,
			coveredFrom,
			seen: Object.fromEntries(entries),
			lastPollAt: now,
		},
	};
}

/** The newest `limit` records, newest first (a manual test run). */
export function latest(records: TriggerRecord[], limit: number): TriggerRecord[] {
	const byId = new Map<string, TriggerRecord>();
	for (const record of records) if (Number.isFinite(record.at)) byId.set(record.id, record);
	return [...byId.values()].sort((a, b) => b.at - a.at).slice(0, Math.max(1, limit));
}
