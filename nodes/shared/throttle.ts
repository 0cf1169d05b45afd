import { sleep } from 'n8n-workflow';

export interface RateLimit {
	/** Sustained requests per minute. */
	perMinute: number;
	/** Requests that may go out at once before pacing starts. */
	burst: number;
}

/**
 * Token bucket shared by every request one node execution makes.
 *
 * Callers reserve a token before sending; when the bucket is empty the reservation
 * returns how long to wait, so queued callers are served in order and the sustained
 * rate never exceeds `perMinute`.
 */
export class TokenBucket {
	private tokens: number;
	private lastRefill: number;
	private readonly perMs: number;
	/** Slack added to every wait so a server refilling at the same rate never sees us early. */
	private readonly slackMs = 5;
	waitedMs = 0;
	acquired = 0;

	constructor(
		readonly limit: RateLimit,
		private readonly now: () => number = Date.now,
	) {
		if (!(limit.perMinute > 0) || !(limit.burst >= 1)) {
			throw new RangeError('Rate limit needs perMinute > 0 and burst >= 1');
		}
		this.perMs = limit.perMinute / 60_000;
		this.tokens = limit.burst;
		this.lastRefill = this.now();
	}

	private refill() {
		const now = this.now();
		this.tokens = Math.min(this.limit.burst, this.tokens + (now - this.lastRefill) * this.perMs);
		this.lastRefill = now;
	}

	/** Takes one token and returns the milliseconds to wait before using it. */
	reserve(): number {
		this.refill();
		this.tokens -= 1;
		this.acquired += 1;
		if (this.tokens >= 0) return 0;
		return Math.ceil(-this.tokens / this.perMs) + this.slackMs;
	}

	async acquire(): Promise<void> {
		const wait = this.reserve();
		if (wait > 0) {
			this.waitedMs += wait;
			await sleep(wait);
		}
	}

	/** After the server said "too many requests": nothing goes out for `ms`. */
	pause(ms: number) {
		this.refill();
		this.tokens = Math.min(this.tokens, 0) - ms * this.perMs;
	}
}
