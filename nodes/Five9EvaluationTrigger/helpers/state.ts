import { contentFingerprint, shortDigest } from '../../shared/fingerprint';

import type { Evaluation } from '../../Five9/helpers/evaluation';
import type { RejectedRow } from '../../Five9/helpers/evaluationSource';

/** An emitted evaluation: its time in whole seconds and a fingerprint of its content ('' = not known). */
export type SeenEntry = [number, string];

/** What the trigger keeps between polls, in the workflow's static data (saved on every poll: keep it small). */
export interface PollState {
	/** Evaluations at or before this instant (ms) have been looked at. */
	watermark?: number;
	/** Emitted evaluations by id. Versions before fingerprints kept the evaluation time (ms) alone. */
	seen?: Record<string, SeenEntry | number>;
	/** Nothing evaluated before this instant is emitted: activation time, or the backfill start. */
	floor?: number;
	/** `seen` holds every evaluation emitted at or after this instant (ms): no window reaches earlier. */
	coveredFrom?: number;
	/** When the last deep re-scan ran (ms); activation counts as one. */
	lastRescan?: number;
	/** Unreadable rows already emitted: row fingerprint → last poll that saw the row (s). */
	rejected?: Record<string, number>;
}

export type NextState = Required<Omit<PollState, 'seen' | 'floor'>> & { seen: Record<string, SeenEntry>; floor?: number };

/** Safety nets in case the horizon holds more than expected. */
export const MAX_SEEN = 100_000;
export const MAX_REJECTED = 10_000;

/** The fields that reach Assembled or decide whether and where a score lands there. */
export const FINGERPRINT_FIELDS = [
	'score',
	'max_score',
	'score_percent',
	'status',
	'form_name',
	'agent_username',
	'agent_email',
	'agent_five9_id',
	'agent_name',
	'evaluator',
	'evaluated_at',
	'interaction_started_at',
] as const;

const digest = shortDigest;

export function evaluationFingerprint(evaluation: Evaluation): string {
	return digest(JSON.stringify(FINGERPRINT_FIELDS.map((field) => evaluation[field] ?? null)));
}

/** A row's whole content, for telling an edited unreadable row from one already reported. */
export const rowFingerprint = contentFingerprint;

export interface WindowSettings {
	now: number;
	overlapMs: number;
	/** How far back a deep re-scan looks (ms); 0 turns re-scans off. */
	rescanMs?: number;
	/** Time between deep re-scans (ms). */
	rescanEveryMs?: number;
}

export interface PollWindow {
	/** Start of the range this poll asks for (ms); it ends at `now`. */
	from: number;
	/** Where the usual window (watermark − overlap) starts. */
	normalFrom: number;
	rescan: boolean;
}

/** Older state has no coverage mark: it kept ids back to watermark − overlap. */
function coveredFromOf(state: PollState, overlapMs: number): number {
	if (state.coveredFrom !== undefined) return state.coveredFrom;
	if (state.watermark !== undefined) return state.watermark - overlapMs;
	return state.floor ?? Number.NEGATIVE_INFINITY;
}

/** Earliest evaluation time the remembered ids can vouch for: nothing earlier is asked for or emitted. */
function earliest(state: PollState, overlapMs: number): number {
	return Math.max(state.floor ?? Number.NEGATIVE_INFINITY, coveredFromOf(state, overlapMs));
}

/**
 * The range a poll asks for: watermark − overlap .. now, or now − re-scan days .. now once per
 * re-scan period. Neither reaches before the floor or before what `seen` covers, or evaluations
 * emitted long ago would be taken for new ones.
 */
export function pollWindow(state: PollState, { now, overlapMs, rescanMs = 0, rescanEveryMs = 0 }: WindowSettings): PollWindow {
	const start = earliest(state, overlapMs);
	const normalFrom = Math.max((state.watermark ?? now) - overlapMs, start);
	// Without a last re-scan (state from before re-scans existed) the clock starts now.
	const rescan = rescanMs > 0 && state.lastRescan !== undefined && now - state.lastRescan >= rescanEveryMs;
	if (!rescan) return { from: normalFrom, normalFrom, rescan };
	return { from: Math.min(normalFrom, Math.max(now - rescanMs, start)), normalFrom, rescan };
}

function migrateSeen(seen: PollState['seen']): Record<string, SeenEntry> {
	const result: Record<string, SeenEntry> = {};
	for (const [id, entry] of Object.entries(seen ?? {})) {
		result[id] = typeof entry === 'number' ? [Math.floor(entry / 1000), ''] : [entry[0], entry[1]];
	}
	return result;
}

export type EmittedEvaluation = Evaluation & { changed: boolean; late: boolean };

/**
 * Picks the evaluations to emit and computes the next state. New ones are emitted with
 * changed = false; ones emitted before whose fingerprint differs are emitted again with
 * changed = true. The watermark moves to the latest evaluation seen, but never lags more than one
 * overlap behind `now`, so the usual window stays bounded when nothing happens for a while.
 */
export function advance(
	state: PollState,
	batch: { evaluations: Evaluation[]; rejected?: RejectedRow[] },
	settings: WindowSettings & { window?: PollWindow },
): { fresh: EmittedEvaluation[]; unreadable: RejectedRow[]; next: NextState } {
	const { now, overlapMs, rescanMs = 0, rescanEveryMs = 0, window } = settings;
	const start = earliest(state, overlapMs);
	const seen = migrateSeen(state.seen);
	// Only a re-scan reaches before the usual window: what it finds there for the first time came late.
	const lateBefore = window?.rescan ? window.normalFrom : Number.NEGATIVE_INFINITY;
	// One item per id and poll: the last copy a source lists wins.
	const byId = new Map<string, Evaluation>();
	for (const evaluation of batch.evaluations) byId.set(evaluation.evaluation_id, evaluation);

	const fresh: EmittedEvaluation[] = [];
	let latest = state.watermark ?? now;
	for (const evaluation of byId.values()) {
		const at = Date.parse(evaluation.evaluated_at);
		if (at > latest && at <= now) latest = at;
		if (!(at >= start)) continue;
		const fingerprint = evaluationFingerprint(evaluation);
		const known = seen[evaluation.evaluation_id];
		seen[evaluation.evaluation_id] = [Math.floor(at / 1000), fingerprint];
		if (known === undefined) fresh.push({ ...evaluation, changed: false, late: at < lateBefore });
		// An unknown fingerprint comes from older state: record it rather than re-send everything.
		else if (known[1] !== '' && known[1] !== fingerprint) fresh.push({ ...evaluation, changed: true, late: false });
	}
	const watermark = Math.max(latest, now - overlapMs);

	// Later windows start no earlier than now − max(re-scan, 2 × overlap): older ids cannot come back.
	const keepMs = Math.max(rescanMs, 2 * overlapMs);
	let keepFromSec = Math.floor((now - keepMs) / 1000);
	let entries = Object.entries(seen).filter(([, [sec]]) => sec >= keepFromSec);
	if (entries.length > MAX_SEEN) {
		entries.sort((a, b) => b[1][0] - a[1][0]);
		// Drop whole seconds, so coverage can be stated as one instant.
		const cutSec = entries[MAX_SEEN][1][0];
		entries = entries.filter(([, [sec]]) => sec > cutSec);
		keepFromSec = Math.max(keepFromSec, cutSec + 1);
	}
	const coveredFrom = Math.max(coveredFromOf(state, overlapMs), keepFromSec * 1000);

	const { rejected, unreadable } = rememberRejected(state.rejected, batch.rejected ?? [], {
		now,
		// A row only a re-scan reaches is seen once per re-scan period: remember it at least that long.
		keepMs: Math.max(keepMs, rescanEveryMs + overlapMs),
	});
	return {
		fresh,
		unreadable,
		next: {
			watermark,
			seen: Object.fromEntries(entries),
			...(state.floor !== undefined ? { floor: state.floor } : {}),
			coveredFrom,
			lastRescan: window?.rescan ? now : (state.lastRescan ?? now),
			rejected,
		},
	};
}

/** Unreadable rows are emitted once; a row keeps being remembered while polls keep seeing it. */
function rememberRejected(
	previous: Record<string, number> | undefined,
	rows: RejectedRow[],
	{ now, keepMs }: { now: number; keepMs: number },
): { rejected: Record<string, number>; unreadable: RejectedRow[] } {
	const rejected = { ...(previous ?? {}) };
	const unreadable: RejectedRow[] = [];
	const nowSec = Math.floor(now / 1000);
	for (const row of rows) {
		const fingerprint = rowFingerprint(row.row);
		if (rejected[fingerprint] === undefined) unreadable.push(row);
		rejected[fingerprint] = nowSec;
	}
	const keepFromSec = Math.floor((now - keepMs) / 1000);
	let entries = Object.entries(rejected).filter(([, sec]) => sec >= keepFromSec);
	if (entries.length > MAX_REJECTED) entries = entries.sort((a, b) => b[1] - a[1]).slice(0, MAX_REJECTED);
	return { rejected: Object.fromEntries(entries), unreadable };
}
