import type { Evaluation } from '../Five9/helpers/evaluation';

/** What the trigger keeps between polls, in the workflow's static data. */
export interface PollState {
	/** Evaluations at or before this instant (ms) have been looked at. */
	watermark?: number;
	/** Emitted evaluation ids near the watermark, with their evaluation time (ms). */
	seen?: Record<string, number>;
	/** Nothing evaluated before this instant is emitted: activation time, or the backfill start. */
	floor?: number;
}

/** Upper bound on remembered ids, so static data stays small. */
export const MAX_SEEN = 20_000;

/**
 * Picks the evaluations not emitted before and computes the next state. The watermark moves to
 * the latest evaluation seen, but never lags more than one overlap behind `now`, so the window a
 * poll asks for stays bounded when nothing happens for a while.
 */
export function advance(
	state: PollState,
	evaluations: Evaluation[],
	{ now, overlapMs }: { now: number; overlapMs: number },
): { fresh: Evaluation[]; next: Required<PollState> } {
	const floor = state.floor ?? Number.NEGATIVE_INFINITY;
	const seen = { ...(state.seen ?? {}) };
	const fresh: Evaluation[] = [];
	let latest = state.watermark ?? now;
	for (const evaluation of evaluations) {
		const at = Date.parse(evaluation.evaluated_at);
		if (at > latest && at <= now) latest = at;
		if (at < floor || seen[evaluation.evaluation_id] !== undefined) continue;
		seen[evaluation.evaluation_id] = at;
		fresh.push(evaluation);
	}
	const watermark = Math.max(latest, now - overlapMs);
	// Ids older than the next window's start cannot come back in a later window.
	const horizon = watermark - overlapMs;
	let entries = Object.entries(seen).filter(([, at]) => at >= horizon);
	if (entries.length > MAX_SEEN) entries = entries.sort((a, b) => b[1] - a[1]).slice(0, MAX_SEEN);
	return { fresh, next: { watermark, seen: Object.fromEntries(entries), floor: state.floor ?? floor } };
}
