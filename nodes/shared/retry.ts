import { sleep } from 'n8n-workflow';

export interface RetryPolicy {
	/** Retries after the first attempt for rate limits, server errors, timeouts and resets. */
	maxRetries: number;
	/** First back-off step; doubles each retry. */
	baseDelayMs: number;
	/** Upper bound of one back-off wait. */
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 5,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
};

/** A server asking for more than this is still retried, but no later than this. */
export const RETRY_AFTER_CAP_MS = 5 * 60_000;

/** What one attempt came to, as judged by the caller's transport. */
export type AttemptOutcome<T> =
	| { kind: 'done'; value: T }
	| { kind: 'retry'; reason: string; retryAfterMs?: number; error: Error }
	| { kind: 'fail'; error: Error };

/**
 * Exponential back-off with full jitter, or the server's `Retry-After` when it sent one.
 * `random` is injectable so tests can pin the jitter.
 */
export function backoffDelay(
	retry: number,
	policy: RetryPolicy,
	retryAfterMs?: number,
	random: () => number = Math.random,
): number {
	if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
		return Math.min(retryAfterMs, RETRY_AFTER_CAP_MS);
	}
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
	// Half fixed, half random: spreads retries without ever retrying instantly.
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
	if (Array.isArray(value)) value = value[0];
	if (typeof value === 'number') return value >= 0 ? value * 1000 : undefined;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(parseFloat(trimmed) * 1000);
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

export interface RetryStats {
	retries: number;
	waitedMs: number;
	reasons: string[];
}

/**
 * Runs `attempt` until it is done, fails for good, or the retry budget is spent.
 * The last retryable error is thrown when the budget runs out.
 */
export async function withRetries<T>(
	attempt: (n: number) => Promise<AttemptOutcome<T>>,
	policy: RetryPolicy,
	stats?: RetryStats,
	onWait?: (ms: number, reason: string) => void,
): Promise<T> {
	for (let n = 0; ; n++) {
		const outcome = await attempt(n);
		if (outcome.kind === 'done') return outcome.value;
		if (outcome.kind === 'fail') throw outcome.error;
		if (n >= policy.maxRetries) throw outcome.error;
		const wait = backoffDelay(n, policy, outcome.retryAfterMs);
		if (stats) {
			stats.retries += 1;
			stats.waitedMs += wait;
			stats.reasons.push(outcome.reason);
		}
		onWait?.(wait, outcome.reason);
		if (wait > 0) await sleep(wait);
	}
}

const TRANSIENT_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ECONNREFUSED',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** Finds a Node/axios network error code anywhere in an error's cause chain. */
export function networkErrorCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const candidate = current as { code?: unknown; cause?: unknown; message?: unknown };
		if (typeof candidate.code === 'string' && TRANSIENT_NETWORK_CODES.has(candidate.code)) {
			return candidate.code;
		}
		if (typeof candidate.message === 'string') {
			const match = /\b(ECONNRESET|ECONNABORTED|ETIMEDOUT|ESOCKETTIMEDOUT|EPIPE|ECONNREFUSED|socket hang up|timeout of \d+ms exceeded)\b/.exec(
				candidate.message,
			);
			if (match) return match[1].startsWith('timeout') ? 'ETIMEDOUT' : match[1] === 'socket hang up' ? 'ECONNRESET' : match[1];
		}
		current = candidate.cause;
	}
	return undefined;
}

/** Plain words for a network error code, for messages a non-developer reads. */
export const NETWORK_WORDS: Record<string, string> = {
	ECONNRESET: 'the connection was reset',
	ECONNABORTED: 'the request timed out',
	ETIMEDOUT: 'the request timed out',
	ESOCKETTIMEDOUT: 'the request timed out',
	ERR_SOCKET_CONNECTION_TIMEOUT: 'the request timed out',
	EPIPE: 'the connection broke',
	ECONNREFUSED: 'the connection was refused',
	EAI_AGAIN: 'the host name could not be resolved',
	ENETUNREACH: 'the network is unreachable',
	EHOSTUNREACH: 'the host is unreachable',
};
