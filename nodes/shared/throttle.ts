import { sleep } from 'n8n-workflow';

export interface RateLimit {
	/** Sustained requests per minute. */
	perMinute: number;
	/** Requests that may go out at once before pacing starts. */
	burst: number;
}

/** A reservation handed out by `acquire`; hand it back to `settle` when the response is in. */
export interface Ticket {
	/** The limiter's schedule before this request, to re-stamp it at its completion. */
	readonly scheduleBefore: number;
}

/**
 * Token bucket shared by every request one node execution makes, kept as a virtual schedule
 * (the generic cell-rate algorithm): bursts of `burst`, then one request per `60000/perMinute` ms.
 *
 * A request is counted as sent when it leaves, and counted again as of when its response arrives
 * (whichever is later wins): the server's bucket sees the request somewhere in between, so the
 * client never runs ahead of a server that refills at the same rate, even on a slow first request.
 */
export class TokenBucket {
	private readonly intervalMs: number;
	private readonly toleranceMs: number;
	/** Theoretical time the next request would be due at the sustained rate. */
	private schedule = Number.NEGATIVE_INFINITY;
	/** Covers timer rounding so a wait never ends a hair early. */
	private readonly slackMs = 2;
	waitedMs = 0;
	acquired = 0;

	constructor(
		readonly limit: RateLimit,
		private readonly now: () => number = Date.now,
	) {
		if (!(limit.perMinute > 0) || !(limit.burst >= 1)) {
			throw new RangeError('Rate limit needs perMinute > 0 and burst >= 1');
		}
		this.intervalMs = 60_000 / limit.perMinute;
		this.toleranceMs = (Math.floor(limit.burst) - 1) * this.intervalMs;
	}

	/** Books the next slot; returns the ticket and how long to wait before sending. */
	reserve(): { ticket: Ticket; waitMs: number } {
		const now = this.now();
		const scheduleBefore = this.schedule;
		const earliest = this.schedule - this.toleranceMs;
		const sendAt = Math.max(now, earliest);
		this.schedule = Math.max(this.schedule, sendAt) + this.intervalMs;
		this.acquired += 1;
		const waitMs = sendAt > now ? Math.ceil(sendAt - now) + this.slackMs : 0;
		return { ticket: { scheduleBefore }, waitMs };
	}

	async acquire(): Promise<Ticket> {
		const { ticket, waitMs } = this.reserve();
		if (waitMs > 0) {
			this.waitedMs += waitMs;
			await sleep(waitMs);
		}
		return ticket;
	}

	/** Re-stamps a finished request as of now, if that is later than its booked slot. */
	settle(ticket: Ticket) {
		this.schedule = Math.max(this.schedule, Math.max(ticket.scheduleBefore, this.now()) + this.intervalMs);
	}

	/** After the server said "too many requests": nothing goes out for `ms`, then one at a time. */
	pause(ms: number) {
		this.schedule = Math.max(this.schedule, this.now() + ms + this.toleranceMs);
	}
}
