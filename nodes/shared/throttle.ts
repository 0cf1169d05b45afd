import { sleep } from 'n8n-workflow';

import { coordinator, type Coordinator } from './coordination';

export interface RateLimit {
	/** Sustained requests per minute. */
	perMinute: number;
	/** Requests that may go out at once before pacing starts. */
	burst: number;
}

/** A reservation handed out by `acquire`; hand it back to `settle` when the response is in. */
export interface Ticket {
	/** The limiter's schedule before this request, to re-stamp it at its completion. */
	readonly scheduleBefore: number | null;
	/** Its place among the reservations on the schedule. */
	readonly seq: number;
}

/** What the transport paces requests with. */
export interface Limiter {
	readonly limit: RateLimit;
	/** Time this limiter's requests spent waiting for a slot (ms). */
	waitedMs: number;
	acquired: number;
	acquire(): Promise<Ticket>;
	/** Re-stamps a finished request as of now, if that is later than its booked slot. */
	settle(ticket: Ticket): void;
	/** After the server said "too many requests": nothing goes out for `ms`, then one at a time. */
	pause(ms: number): void;
}

/** Covers timer rounding so a wait never ends a hair early. */
const SLACK_MS = 2;

function pacing(limit: RateLimit) {
	if (!(limit.perMinute > 0) || !(limit.burst >= 1)) {
		throw new RangeError('Rate limit needs perMinute > 0 and burst >= 1');
	}
	const intervalMs = 60_000 / limit.perMinute;
	return { intervalMs, toleranceMs: (Math.floor(limit.burst) - 1) * intervalMs };
}

/**
 * The limiter of one client, on the schedule every execution using the same credential shares:
 * in this process, and across n8n's queue-mode workers through Redis (`coordination.ts`). Each
 * limiter paces by its own `limit` against the shared schedule, so two executions with the same
 * settings together stay within them, and a 429 one of them gets holds back all of them.
 */
export class SharedLimiter implements Limiter {
	private readonly intervalMs: number;
	private readonly toleranceMs: number;
	private bound?: Promise<{ key: string; coordinator: Coordinator }>;
	/** Writes to the schedule still under way (settle, pause): the next reservation waits for them. */
	private writes: Promise<void> = Promise.resolve();
	waitedMs = 0;
	acquired = 0;

	constructor(
		readonly limit: RateLimit,
		/** The credential's key (`credentialKey`), read when the first request goes out. */
		private readonly keyOf: () => Promise<string>,
		private readonly coordinatorOf: () => Promise<Coordinator> = () => coordinator(),
	) {
		({ intervalMs: this.intervalMs, toleranceMs: this.toleranceMs } = pacing(limit));
	}

	private binding() {
		this.bound ??= (async () => {
			const [key, shared] = await Promise.all([this.keyOf(), this.coordinatorOf()]);
			return { key, coordinator: shared };
		})();
		return this.bound;
	}

	async acquire(): Promise<Ticket> {
		const { key, coordinator: shared } = await this.binding();
		await this.writes;
		const { scheduleBefore, seq, waitMs } = await shared.reserve(
			key,
			this.intervalMs,
			this.toleranceMs,
		);
		this.acquired += 1;
		if (waitMs > 0) {
			const wait = Math.ceil(waitMs) + SLACK_MS;
			this.waitedMs += wait;
			await sleep(wait);
		}
		return { scheduleBefore, seq };
	}

	settle(ticket: Ticket) {
		this.write((shared, key) => shared.settle(key, this.intervalMs, { ...ticket, waitMs: 0 }));
	}

	pause(ms: number) {
		this.write((shared, key) => shared.pause(key, ms, this.toleranceMs));
	}

	private write(change: (shared: Coordinator, key: string) => Promise<void>) {
		const previous = this.writes;
		this.writes = (async () => {
			await previous;
			const { key, coordinator: shared } = await this.binding();
			await change(shared, key);
		})().catch(() => {
			// The coordinator falls back by itself; a write that still failed only loses precision.
		});
	}
}
