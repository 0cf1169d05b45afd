import { MAX_SEEN, advance, pollWindow, type PollState } from '../../nodes/Five9EvaluationTrigger/helpers/state';
import type { Evaluation } from '../../nodes/Five9/helpers/evaluation';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const t0 = Date.UTC(2026, 10, 23, 12);

const evaluation = (id: string, at: number, extra: Partial<Evaluation> = {}) =>
	({ evaluation_id: id, evaluated_at: new Date(at).toISOString(), score: 80, max_score: 100, agent_email: 'a@example.com', ...extra }) as Evaluation;
const batch = (...evaluations: Evaluation[]) => ({ evaluations });
const ids = (fresh: { evaluation_id: string }[]) => fresh.map((e) => e.evaluation_id);

test('emits each evaluation once across overlapping windows', () => {
	const first = advance({ watermark: t0, seen: {} }, batch(evaluation('a', t0 + MIN), evaluation('b', t0 + 2 * MIN)), { now: t0 + 5 * MIN, overlapMs: 60 * MIN });
	expect(ids(first.fresh)).toEqual(['a', 'b']);
	expect(first.fresh.map((e) => [e.changed, e.late])).toEqual([[false, false], [false, false]]);
	// The next window overlaps the last: a and b come back, c is new.
	const second = advance(first.next, batch(evaluation('a', t0 + MIN), evaluation('b', t0 + 2 * MIN), evaluation('c', t0 + 3 * MIN)), { now: t0 + 10 * MIN, overlapMs: 60 * MIN });
	expect(ids(second.fresh)).toEqual(['c']);
});

test('seen keeps, per id, the evaluation time in seconds and a short fingerprint', () => {
	const { next } = advance({ watermark: t0, seen: {} }, batch(evaluation('a', t0 + MIN + 500)), { now: t0 + 5 * MIN, overlapMs: 60 * MIN });
	expect(next.seen.a).toEqual([Math.floor((t0 + MIN + 500) / 1000), expect.stringMatching(/^[0-9a-f]{12}$/)]);
});

test('an edited score is emitted again, once, marked changed; the same content is not', () => {
	const options = { now: t0 + 5 * MIN, overlapMs: 60 * MIN };
	const first = advance({ watermark: t0, seen: {} }, batch(evaluation('a', t0 + MIN), evaluation('b', t0 + 2 * MIN)), options);
	const edited = evaluation('a', t0 + MIN, { score: 95 });
	const second = advance(first.next, batch(edited, evaluation('b', t0 + 2 * MIN)), { ...options, now: t0 + 10 * MIN });
	expect(second.fresh).toEqual([{ ...edited, changed: true, late: false }]);
	const third = advance(second.next, batch(edited, evaluation('b', t0 + 2 * MIN)), { ...options, now: t0 + 15 * MIN });
	expect(third.fresh).toEqual([]);
});

test('every field that reaches Assembled counts as an edit; others do not', () => {
	const options = { now: t0 + 5 * MIN, overlapMs: 60 * MIN };
	const base = evaluation('a', t0 + MIN);
	const { next } = advance({ watermark: t0, seen: {} }, batch(base), options);
	const edits: Partial<Evaluation>[] = [
		{ score: 1 },
		{ max_score: 50 },
		{ score_percent: 10 },
		{ status: 'DISPUTED' },
		{ form_name: 'Other' },
		{ agent_username: 'x' },
		{ agent_email: 'b@example.com' },
		{ agent_five9_id: '9' },
		{ agent_name: 'X' },
		{ evaluator: 'qa' },
		{ interaction_started_at: new Date(t0).toISOString() },
		{ evaluated_at: new Date(t0 + 2 * MIN).toISOString() },
	];
	for (const edit of edits) {
		expect(advance(next, batch({ ...base, ...edit }), options).fresh.map((e) => e.changed)).toEqual([true]);
	}
	expect(advance(next, batch({ ...base, campaign: 'Other', sections: [] }), options).fresh).toEqual([]);
});

test('the same id twice in one poll is emitted once, as its last copy', () => {
	const { fresh } = advance({ watermark: t0, seen: {} }, batch(evaluation('a', t0 + MIN), evaluation('a', t0 + MIN, { score: 7 })), { now: t0 + 5 * MIN, overlapMs: 60 * MIN });
	expect(fresh.map((e) => [e.evaluation_id, e.score])).toEqual([['a', 7]]);
});

test('state from before fingerprints: known ids are not re-emitted, their fingerprint is recorded, edits after that are', () => {
	const old: PollState = { watermark: t0, floor: t0 - DAY, seen: { a: t0 - 10 * MIN } };
	const options = { now: t0 + 5 * MIN, overlapMs: 60 * MIN, rescanMs: 3 * DAY, rescanEveryMs: DAY };
	// No last re-scan recorded: the first poll after the upgrade is not a re-scan.
	const window = pollWindow(old, options);
	expect(window).toEqual({ from: t0 - 60 * MIN, normalFrom: t0 - 60 * MIN, rescan: false });
	const first = advance(old, batch(evaluation('a', t0 - 10 * MIN), evaluation('b', t0 + MIN)), { ...options, window });
	expect(ids(first.fresh)).toEqual(['b']);
	expect(first.next.seen.a).toEqual([Math.floor((t0 - 10 * MIN) / 1000), expect.stringMatching(/^[0-9a-f]{12}$/)]);
	expect(first.next.lastRescan).toBe(t0 + 5 * MIN);
	const second = advance(first.next, batch(evaluation('a', t0 - 10 * MIN, { score: 1 })), { ...options, now: t0 + 10 * MIN });
	expect(second.fresh.map((e) => [e.evaluation_id, e.changed])).toEqual([['a', true]]);
});

test('old ids an unchanged entry never came back for keep an unknown fingerprint and are pruned like others', () => {
	const { next, fresh } = advance({ watermark: t0, floor: t0 - DAY, seen: { a: t0 - 10 * MIN, gone: t0 - 500 * MIN } }, batch(), { now: t0, overlapMs: 60 * MIN });
	expect(fresh).toEqual([]);
	expect(next.seen).toEqual({ a: [Math.floor((t0 - 10 * MIN) / 1000), ''] });
});

test('state from before re-scans: the first re-scan does not reach before what the old state remembered', () => {
	// The old version kept ids back to watermark − overlap only; anything earlier may have been emitted.
	const old: PollState = { watermark: t0, floor: t0 - 10 * DAY, seen: { a: t0 - 10 * MIN } };
	const options = { now: t0 + 5 * MIN, overlapMs: 60 * MIN, rescanMs: 3 * DAY, rescanEveryMs: DAY };
	const first = advance(old, batch(), { ...options, window: pollWindow(old, options) });
	expect(first.next.coveredFrom).toBe(t0 - 60 * MIN);
	const later = { ...options, now: t0 + DAY + 10 * MIN };
	const window = pollWindow({ ...first.next, watermark: t0 + DAY }, later);
	expect(window.rescan).toBe(true);
	expect(window.from).toBe(t0 - 60 * MIN);
	// An evaluation from before that, had a source listed it, is not taken for a new one.
	const { fresh } = advance({ ...first.next, watermark: t0 + DAY }, batch(evaluation('old', t0 - 2 * DAY)), { ...later, window });
	expect(fresh).toEqual([]);
});

test('a deep re-scan is due once per period, counted from activation, and reaches back the re-scan days, never before the floor', () => {
	const options = { overlapMs: 60 * MIN, rescanMs: 3 * DAY, rescanEveryMs: 24 * HOUR };
	const state: PollState = { watermark: t0 - 5 * MIN, floor: t0 - 10 * DAY, coveredFrom: t0 - 10 * DAY, lastRescan: t0 - 23 * HOUR, seen: {} };
	expect(pollWindow(state, { ...options, now: t0 })).toEqual({ from: t0 - 65 * MIN, normalFrom: t0 - 65 * MIN, rescan: false });
	expect(pollWindow(state, { ...options, now: t0 + HOUR })).toEqual({ from: t0 + HOUR - 3 * DAY, normalFrom: t0 - 65 * MIN, rescan: true });
	// Activated a day ago: the re-scan starts at activation.
	expect(pollWindow({ ...state, floor: t0 - DAY, coveredFrom: t0 - DAY }, { ...options, now: t0 + HOUR }).from).toBe(t0 - DAY);
	// Off.
	expect(pollWindow(state, { ...options, rescanMs: 0, now: t0 + HOUR }).rescan).toBe(false);
});

test('what a re-scan finds before the usual window for the first time is late; the re-scan moment is recorded', () => {
	const options = { overlapMs: 60 * MIN, rescanMs: 3 * DAY, rescanEveryMs: 24 * HOUR, now: t0 };
	const state: PollState = { watermark: t0 - 5 * MIN, floor: t0 - 10 * DAY, coveredFrom: t0 - 10 * DAY, lastRescan: t0 - 25 * HOUR, seen: {} };
	const window = pollWindow(state, options);
	const { fresh, next } = advance(state, batch(evaluation('late', t0 - 2 * DAY), evaluation('recent', t0 - 10 * MIN)), { ...options, window });
	expect(fresh.map((e) => [e.evaluation_id, e.late, e.changed])).toEqual([['late', true, false], ['recent', false, false]]);
	expect(next.lastRescan).toBe(t0);
	// Without a re-scan the same evaluation would not be late (and the last re-scan stays).
	const plain = advance(state, batch(evaluation('x', t0 - 2 * DAY)), { ...options });
	expect(plain.fresh.map((e) => e.late)).toEqual([false]);
	expect(plain.next.lastRescan).toBe(t0 - 25 * HOUR);
});

test('the watermark follows the latest evaluation but never lags more than one overlap behind now', () => {
	const busy = advance({ watermark: t0, seen: {} }, batch(evaluation('a', t0 + 3 * MIN)), { now: t0 + 4 * MIN, overlapMs: 60 * MIN });
	expect(busy.next.watermark).toBe(t0 + 3 * MIN);
	const idle = advance({ watermark: t0, seen: {} }, batch(), { now: t0 + 600 * MIN, overlapMs: 60 * MIN });
	expect(idle.next.watermark).toBe(t0 + 540 * MIN);
});

test('seen keeps evaluations back to now − max(re-scan days, 2 × overlap), nothing older', () => {
	const seen = { old: [Math.floor((t0 - 4 * DAY) / 1000), 'f'], mid: [Math.floor((t0 - 2 * DAY) / 1000), 'f'], recent: [Math.floor((t0 - 90 * MIN) / 1000), 'f'] } as PollState['seen'];
	const withRescan = advance({ watermark: t0, coveredFrom: t0 - 10 * DAY, seen }, batch(), { now: t0, overlapMs: 60 * MIN, rescanMs: 3 * DAY });
	expect(Object.keys(withRescan.next.seen).sort()).toEqual(['mid', 'recent']);
	expect(withRescan.next.coveredFrom).toBe(t0 - 3 * DAY);
	const without = advance({ watermark: t0, coveredFrom: t0 - 10 * DAY, seen }, batch(), { now: t0, overlapMs: 60 * MIN, rescanMs: 0 });
	expect(Object.keys(without.next.seen)).toEqual(['recent']);
	expect(without.next.coveredFrom).toBe(t0 - 120 * MIN);
	// An id forgotten that way is not emitted when it shows up again: it is older than what seen covers.
	expect(advance(without.next, batch(evaluation('mid', t0 - 2 * DAY)), { now: t0 + MIN, overlapMs: 60 * MIN }).fresh).toEqual([]);
});

test('a hard cap drops the oldest ids, and what seen covers moves past them', () => {
	const seen: Record<string, [number, string]> = {};
	const base = Math.floor(t0 / 1000) - 10 * 3600;
	for (let i = 0; i < MAX_SEEN + 10; i++) seen[`e${i}`] = [base + i, 'f'];
	const { next } = advance({ watermark: t0, coveredFrom: t0 - 10 * DAY, seen }, batch(), { now: t0, overlapMs: 60 * MIN, rescanMs: 3 * DAY });
	expect(Object.keys(next.seen)).toHaveLength(MAX_SEEN);
	expect(next.seen.e9).toBeUndefined();
	expect(next.seen.e10).toBeDefined();
	expect(next.coveredFrom).toBe((base + 10) * 1000);
});

test('an evaluation stamped in the future does not push the watermark past now', () => {
	const { next, fresh } = advance({ watermark: t0, seen: {} }, batch(evaluation('x', t0 + 99 * MIN)), { now: t0 + MIN, overlapMs: 60 * MIN });
	expect(fresh).toHaveLength(1);
	expect(next.watermark).toBe(t0);
});

test('an unreadable row is emitted once, whatever the key order, while polls keep seeing it', () => {
	const row = { id: 'bad', score: 'n/a', agent: { userName: 'x', fullName: 'X' } };
	const reordered = { agent: { fullName: 'X', userName: 'x' }, score: 'n/a', id: 'bad' };
	const options = { now: t0, overlapMs: 60 * MIN, rescanMs: 3 * DAY, rescanEveryMs: DAY };
	const first = advance({ watermark: t0, seen: {} }, { evaluations: [], rejected: [{ reasons: ['score is not a number'], row }, { reasons: ['x'], row: { id: 'other' } }] }, options);
	expect(first.unreadable.map((r) => r.row.id)).toEqual(['bad', 'other']);
	expect(Object.values(first.next.rejected)).toEqual([t0 / 1000, t0 / 1000]);
	let state = first.next;
	// Seen every poll for a week: still once.
	for (let poll = 1; poll <= 7 * 24; poll++) {
		const { unreadable, next } = advance(state, { evaluations: [], rejected: [{ reasons: ['r'], row: reordered }] }, { ...options, now: t0 + poll * HOUR });
		expect(unreadable).toEqual([]);
		state = next;
	}
	// 'other' was not seen again and is forgotten after the horizon; 'bad' is remembered.
	expect(Object.keys(state.rejected)).toHaveLength(1);
	// A row that changed is a different row.
	const changed = advance(state, { evaluations: [], rejected: [{ reasons: ['r'], row: { ...row, score: '??' } }] }, { ...options, now: t0 + 8 * DAY });
	expect(changed.unreadable).toHaveLength(1);
});
