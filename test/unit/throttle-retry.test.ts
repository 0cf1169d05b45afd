import { ProcessCoordinator } from '../../nodes/shared/coordination';
import { backoffDelay, networkErrorCode, parseRetryAfter } from '../../nodes/shared/retry';

function clock(start = 1_000_000) {
	let now = start;
	return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** The shared rate schedule (GCRA) on a clock the test moves: interval and tolerance of a limit. */
const pacing = (perMinute: number, burst: number) => ({ interval: 60_000 / perMinute, tolerance: (burst - 1) * (60_000 / perMinute) });

test('a burst goes out at once, then one request per interval', async () => {
	const time = clock();
	const schedule = new ProcessCoordinator(time.now);
	const { interval, tolerance } = pacing(300, 20);
	const waits: number[] = [];
	for (let i = 0; i < 25; i++) waits.push((await schedule.reserve('k', interval, tolerance)).waitMs);
	expect(waits.slice(0, 20).every((w) => w === 0)).toBe(true);
	// Each queued request waits one more 200 ms interval.
	expect(waits.slice(20).map((w) => Math.round(w / 100) * 100)).toEqual([200, 400, 600, 800, 1000]);
});

test('a request whose answer came late counts as of its answer', async () => {
	const time = clock();
	const schedule = new ProcessCoordinator(time.now);
	const { interval, tolerance } = pacing(60, 1);
	const first = await schedule.reserve('k', interval, tolerance);
	expect(first.waitMs).toBe(0);
	time.advance(5000); // the response arrives 5 s later
	await schedule.settle('k', interval, first);
	expect((await schedule.reserve('k', interval, tolerance)).waitMs).toBeGreaterThanOrEqual(1000);
});

test('pause holds every request back for the given time', async () => {
	const time = clock();
	const schedule = new ProcessCoordinator(time.now);
	const { interval, tolerance } = pacing(300, 20);
	await schedule.pause('k', 3000, tolerance);
	expect((await schedule.reserve('k', interval, tolerance)).waitMs).toBeGreaterThanOrEqual(3000);
});

test('backoff doubles with jitter, is capped, and honours Retry-After', () => {
	const policy = { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 8000 };
	expect(backoffDelay(0, policy, undefined, () => 0)).toBe(500);
	expect(backoffDelay(0, policy, undefined, () => 1)).toBe(1000);
	expect(backoffDelay(2, policy, undefined, () => 1)).toBe(4000);
	expect(backoffDelay(9, policy, undefined, () => 1)).toBe(8000);
	expect(backoffDelay(3, policy, 1500)).toBe(1500);
});

test('Retry-After as seconds or as an HTTP date', () => {
	expect(parseRetryAfter('2')).toBe(2000);
	expect(parseRetryAfter(['0'])).toBe(0);
	const now = Date.parse('2026-01-01T00:00:00Z');
	expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
	expect(parseRetryAfter('soon')).toBeUndefined();
});

test('network error codes are found in the cause chain, not guessed', () => {
	expect(networkErrorCode({ cause: { code: 'ECONNRESET' } })).toBe('ECONNRESET');
	expect(networkErrorCode(new Error('timeout of 500ms exceeded'))).toBe('ETIMEDOUT');
	expect(networkErrorCode(new Error('Bad request'))).toBeUndefined();
});
