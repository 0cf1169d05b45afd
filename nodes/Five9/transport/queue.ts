import { randomUUID } from 'node:crypto';

import { sleep } from 'n8n-workflow';

import { coordinator, type Coordinator } from '../../shared/coordination';

/**
 * Five9 refuses concurrent requests of one user (docs/five9.md, "Limits"): every request of one
 * user waits for the previous one — across executions in this process by a queue, and across
 * n8n's queue-mode workers by a lock in Redis (docs/reliability.md, "Queue mode"). A refusal that
 * still happens (another program uses the same user) is retried by the transport.
 */
const queues = new Map<string, Promise<void>>();

/** Polling for a lock held by another process starts here and grows to `MAX_POLL_MS`. */
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 500;
/** A held lock lives this long unless renewed: a process that died frees the user within it. */
export const LOCK_TTL_MS = 15_000;
const RENEW_CHECK_MS = 50;

export interface SerializeOptions {
	/** How long a held lock lives unless renewed (renewed every third of it); LOCK_TTL_MS by default. */
	lockTtlMs?: number;
	/** Waiting longer than this for another process goes ahead anyway (Five9 then has the last word). */
	maxWaitMs?: number;
	coordinatorOf?: () => Promise<Coordinator>;
}

/** Runs `task` after every earlier task of the same key has settled, in any process sharing the coordinator. */
export async function serialized<T>(key: string, task: () => Promise<T>, options: SerializeOptions = {}): Promise<T> {
	const previous = queues.get(key) ?? Promise.resolve();
	let release!: () => void;
	const done = new Promise<void>((resolve) => (release = resolve));
	const tail = previous.then(() => done);
	queues.set(key, tail);
	await previous;
	try {
		const shared = await (options.coordinatorOf ?? (() => coordinator()))();
		if (shared.kind === 'process') return await task();
		return await underLock(shared, key, task, options.lockTtlMs ?? LOCK_TTL_MS, options.maxWaitMs ?? 10 * 60_000);
	} finally {
		release();
		if (queues.get(key) === tail) queues.delete(key);
	}
}

async function underLock<T>(shared: Coordinator, key: string, task: () => Promise<T>, ttlMs: number, maxWaitMs: number): Promise<T> {
	const token = randomUUID();
	const giveUpAt = Date.now() + maxWaitMs;
	let pollMs = FIRST_POLL_MS;
	while (!(await shared.tryLock(key, token, ttlMs)) && Date.now() < giveUpAt) {
		await sleep(pollMs);
		pollMs = Math.min(MAX_POLL_MS, Math.ceil(pollMs * 1.5));
	}
	let finished = false;
	// Kept alive while the request runs (a report download can take minutes).
	const renewing = (async () => {
		let since = Date.now();
		while (!finished) {
			await sleep(RENEW_CHECK_MS);
			if (finished || Date.now() - since < ttlMs / 3) continue;
			since = Date.now();
			await shared.renew(key, token, ttlMs);
		}
	})();
	try {
		return await task();
	} finally {
		finished = true;
		await renewing;
		await shared.unlock(key, token);
	}
}
