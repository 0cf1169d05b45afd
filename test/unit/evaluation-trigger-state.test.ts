import { advance } from '../../nodes/Five9EvaluationTrigger/state';
import type { Evaluation } from '../../nodes/Five9/helpers/evaluation';

const MIN = 60_000;
const evaluation = (id: string, at: number) => ({ evaluation_id: id, evaluated_at: new Date(at).toISOString() }) as Evaluation;

test('emits each evaluation once across overlapping windows', () => {
	const t0 = Date.UTC(2026, 10, 23, 12);
	const first = advance({ watermark: t0, seen: {} }, [evaluation('a', t0 + MIN), evaluation('b', t0 + 2 * MIN)], { now: t0 + 5 * MIN, overlapMs: 60 * MIN });
	expect(first.fresh.map((e) => e.evaluation_id)).toEqual(['a', 'b']);
	// The next window overlaps the last: a and b come back, c is new.
	const second = advance(first.next, [evaluation('a', t0 + MIN), evaluation('b', t0 + 2 * MIN), evaluation('c', t0 + 3 * MIN)], { now: t0 + 10 * MIN, overlapMs: 60 * MIN });
	expect(second.fresh.map((e) => e.evaluation_id)).toEqual(['c']);
});

test('the watermark follows the latest evaluation but never lags more than one overlap behind now', () => {
	const t0 = Date.UTC(2026, 10, 23, 12);
	const busy = advance({ watermark: t0, seen: {} }, [evaluation('a', t0 + 3 * MIN)], { now: t0 + 4 * MIN, overlapMs: 60 * MIN });
	expect(busy.next.watermark).toBe(t0 + 3 * MIN);
	const idle = advance({ watermark: t0, seen: {} }, [], { now: t0 + 600 * MIN, overlapMs: 60 * MIN });
	expect(idle.next.watermark).toBe(t0 + 540 * MIN);
});

test('ids older than the next window are forgotten; newer ones kept', () => {
	const t0 = Date.UTC(2026, 10, 23, 12);
	const state = { watermark: t0, seen: { old: t0 - 500 * MIN, recent: t0 - 10 * MIN } };
	const { next } = advance(state, [], { now: t0, overlapMs: 60 * MIN });
	expect(Object.keys(next.seen)).toEqual(['recent']);
});

test('an evaluation stamped in the future does not push the watermark past now', () => {
	const t0 = Date.UTC(2026, 10, 23, 12);
	const { next, fresh } = advance({ watermark: t0, seen: {} }, [evaluation('x', t0 + 99 * MIN)], { now: t0 + MIN, overlapMs: 60 * MIN });
	expect(fresh).toHaveLength(1);
	expect(next.watermark).toBe(t0);
});
