import { TokenBucket } from '../../nodes/shared/throttle';
import { backoffDelay, networkErrorCode, parseRetryAfter } from '../../nodes/shared/retry';

function clock(start = 1_000_000) {
	let now = start;
	return { now: () => now, advance: (ms: number) => (now += ms) };
}

test('a burst goes out at once, then one request per interval', () => {
	const time = clock();
	const bucket = new TokenBucket({ perMinute: 300, burst: 20 }, time.now);
	const waits = Array.from({ length: 25 }, () => bucket.reserve().waitMs);
	expect(waits.slice(0, 20).every((w) => w === 0)).toBe(true);
	// Each queued request waits one more 200 ms interval (plus the timer slack).
	expect(waits.slice(20).map((w) => Math.round(w / 100) * 100)).toEqual([200, 400, 600, 800, 1000]);
});

test('a request whose answer came late counts as of its answer', () => {
	const time = clock();
	const bucket = new TokenBucket({ perMinute: 60, burst: 1 }, time.now);
	const first = bucket.reserve();
	expect(first.waitMs).toBe(0);
	time.advance(5000); // the response arrives 5 s later
	bucket.settle(first.ticket);
	expect(bucket.reserve().waitMs).toBeGreaterThanOrEqual(1000);
});

test('pause holds every request back for the given time', () => {
	const time = clock();
	const bucket = new TokenBucket({ perMinute: 300, burst: 20 }, time.now);
	bucket.pause(3000);
	expect(bucket.reserve().waitMs).toBeGreaterThanOrEqual(3000);
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
