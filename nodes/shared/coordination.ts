/**
 * What executions sharing a credential must agree on — one rate budget, one Five9 session, one
 * memory of delivered events — kept where every execution can see it: in this process for a
 * single n8n, and in the Redis that n8n's queue mode already runs when the process is a queue-mode
 * main, worker or webhook process (docs/reliability.md, "Queue mode").
 *
 * Keys are hashes of the credential (`credentialKey`), never the credential itself. When Redis
 * cannot be reached, each call falls back to this process's own state and says so once in n8n's
 * log: a run is never failed because coordination is down.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import type { Cluster, Redis, RedisOptions } from 'ioredis';

/** Prefix of every Redis key this package writes. The braces keep one key per cluster slot. */
const PREFIX = 'n8n-nodes-five9-assembled';

/** A stable, one-way name for a credential: `purpose` plus the credential's fields, hashed. */
export function credentialKey(purpose: string, fields: Record<string, unknown>): string {
	const hash = createHash('sha256');
	hash.update(`${PREFIX}\n${purpose}\n`);
	for (const name of Object.keys(fields).sort()) {
		const value = fields[name];
		if (value === undefined || value === null || typeof value === 'object') continue;
		hash.update(`${name}=${String(value)}\n`);
	}
	return `${purpose}:${hash.digest('hex').slice(0, 40)}`;
}

/**
 * Where a score accepted by Assembled is noted, by its import id: the Assembled node writes it in
 * queue mode, the Evaluation Trigger reads it when n8n's main process cannot tell it what a run
 * delivered (docs/reliability.md, "Queue mode").
 */
export function deliveryKey(importedId: string): string {
	return credentialKey('delivered', { importedId });
}

/** Notes outlive every redelivery horizon of the trigger (6 hours in flight, days of re-scan). */
export const DELIVERY_NOTE_TTL_MS = 8 * 24 * 60 * 60_000;

/** The note of one delivered score: when, and which version (score and max score). */
export function deliveryNote(deliveredAtMs: number, score: unknown, maxScore: unknown): string {
	return JSON.stringify([deliveredAtMs, score ?? null, maxScore ?? null]);
}

export function readDeliveryNote(note: string | undefined): { at: number; score: unknown; maxScore: unknown } | undefined {
	if (!note) return undefined;
	try {
		const [at, score, maxScore] = JSON.parse(note) as [unknown, unknown, unknown];
		return typeof at === 'number' ? { at, score, maxScore } : undefined;
	} catch {
		return undefined;
	}
}

export interface Reservation {
	/** The schedule before this reservation (ms on the coordinator's clock), or null if it had none. */
	scheduleBefore: number | null;
	/** Reservations on this schedule so far, this one included. */
	seq: number;
	/** How long to wait before sending (ms). */
	waitMs: number;
}

/** The shared state behind rate limits, locks and delivery memory. */
export interface Coordinator {
	readonly kind: 'redis' | 'process';
	/** Books the next slot of a shared GCRA schedule (interval and tolerance in ms). */
	reserve(key: string, intervalMs: number, toleranceMs: number): Promise<Reservation>;
	/** Re-stamps a finished request, and those booked after it, as of now, if that is later. */
	settle(key: string, intervalMs: number, reservation: Reservation): Promise<void>;
	/** Nothing goes out on this schedule for `ms`, then one at a time. */
	pause(key: string, ms: number, toleranceMs: number): Promise<void>;
	/** Takes `key` for `ttlMs` under `token`; false when someone else holds it. */
	tryLock(key: string, token: string, ttlMs: number): Promise<boolean>;
	/** Extends `key` to `ttlMs` from now if `token` still holds it; false when it does not. */
	renew(key: string, token: string, ttlMs: number): Promise<boolean>;
	/** Gives `key` back if `token` still holds it. */
	unlock(key: string, token: string): Promise<void>;
	/** Records `key` for `windowMs`; false when it was recorded before and has not expired. */
	remember(key: string, windowMs: number): Promise<boolean>;
	/** Writes each value under its key for `ttlMs`, over what was there. */
	note(entries: Array<[key: string, value: string]>, ttlMs: number): Promise<void>;
	/** The values under these keys, undefined where none (or expired). */
	read(keys: string[]): Promise<Array<string | undefined>>;
}

// ---------------------------------------------------------------------------------------------
// In this process

export interface Cell {
	schedule: number;
	seq: number;
}

/** Schedules, locks and memories of this process; shared by every execution in it. */
export class ProcessCoordinator implements Coordinator {
	readonly kind = 'process' as const;
	private readonly schedules = new Map<string, Cell>();
	private readonly locks = new Map<string, { token: string; until: number }>();
	private readonly memory = new Map<string, number>();
	private readonly notes = new Map<string, { value: string; until: number }>();

	constructor(private readonly now: () => number = Date.now) {}

	/** The schedule of `key`, created on first use; old idle ones are forgotten. */
	cell(key: string): Cell {
		let cell = this.schedules.get(key);
		if (!cell) {
			if (this.schedules.size >= 1000) this.forgetIdle();
			cell = { schedule: Number.NEGATIVE_INFINITY, seq: 0 };
			this.schedules.set(key, cell);
		}
		return cell;
	}

	private forgetIdle() {
		// A schedule more than a minute in the past constrains nothing any more.
		const idleBefore = this.now() - 60_000;
		for (const [key, cell] of this.schedules)
			if (cell.schedule < idleBefore) this.schedules.delete(key);
	}

	async reserve(key: string, intervalMs: number, toleranceMs: number): Promise<Reservation> {
		return reserveOn(this.cell(key), this.now(), intervalMs, toleranceMs);
	}

	async settle(key: string, intervalMs: number, reservation: Reservation): Promise<void> {
		settleOn(this.cell(key), this.now(), intervalMs, reservation);
	}

	async pause(key: string, ms: number, toleranceMs: number): Promise<void> {
		pauseOn(this.cell(key), this.now(), ms, toleranceMs);
	}

	async tryLock(key: string, token: string, ttlMs: number): Promise<boolean> {
		const now = this.now();
		const held = this.locks.get(key);
		if (held && held.until > now && held.token !== token) return false;
		this.locks.set(key, { token, until: now + ttlMs });
		return true;
	}

	async renew(key: string, token: string, ttlMs: number): Promise<boolean> {
		const held = this.locks.get(key);
		if (held?.token !== token) return false;
		held.until = this.now() + ttlMs;
		return true;
	}

	async unlock(key: string, token: string): Promise<void> {
		if (this.locks.get(key)?.token === token) this.locks.delete(key);
	}

	async note(entries: Array<[key: string, value: string]>, ttlMs: number): Promise<void> {
		const now = this.now();
		if (this.notes.size >= 100_000) for (const [k, note] of this.notes) if (note.until <= now) this.notes.delete(k);
		for (const [key, value] of entries) this.notes.set(key, { value, until: now + ttlMs });
	}

	async read(keys: string[]): Promise<Array<string | undefined>> {
		const now = this.now();
		return keys.map((key) => {
			const note = this.notes.get(key);
			return note && note.until > now ? note.value : undefined;
		});
	}

	async remember(key: string, windowMs: number): Promise<boolean> {
		const now = this.now();
		if (this.memory.size >= 100_000)
			for (const [k, until] of this.memory) if (until <= now) this.memory.delete(k);
		const until = this.memory.get(key);
		if (until !== undefined && until > now) return false;
		this.memory.set(key, now + windowMs);
		return true;
	}
}

/** GCRA on one schedule: bursts of tolerance/interval + 1, then one per interval. */
export function reserveOn(
	cell: Cell,
	now: number,
	intervalMs: number,
	toleranceMs: number,
): Reservation {
	const scheduleBefore = Number.isFinite(cell.schedule) ? cell.schedule : null;
	const sendAt = Math.max(now, cell.schedule - toleranceMs);
	cell.schedule = Math.max(cell.schedule, sendAt) + intervalMs;
	cell.seq += 1;
	return { scheduleBefore, seq: cell.seq, waitMs: Math.max(0, sendAt - now) };
}

/**
 * A request counts as sent when it leaves and again as of when its answer arrived, whichever is
 * later: the server saw it somewhere in between. The requests booked after it count as sent after
 * that too, so a slow first request of a burst cannot let the burst's tail run ahead of a server
 * whose bucket started late.
 */
export function settleOn(cell: Cell, now: number, intervalMs: number, reservation: Reservation) {
	const later = Math.max(0, cell.seq - reservation.seq);
	cell.schedule = Math.max(
		cell.schedule,
		Math.max(reservation.scheduleBefore ?? now, now) + intervalMs * (1 + later),
	);
}

export function pauseOn(cell: Cell, now: number, ms: number, toleranceMs: number) {
	cell.schedule = Math.max(cell.schedule, now + ms + toleranceMs);
}

// ---------------------------------------------------------------------------------------------
// In Redis: the same algorithms as Lua scripts, on Redis's clock, so workers on machines whose
// clocks differ still agree.

const NOW_MS = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000`;

const RESERVE = `${NOW_MS}
local interval, tolerance = tonumber(ARGV[1]), tonumber(ARGV[2])
local stored = redis.call('HGET', KEYS[1], 'at')
local schedule = stored and tonumber(stored) or (now - interval - tolerance)
local sendAt = math.max(now, schedule - tolerance)
local after = math.max(schedule, sendAt) + interval
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('HSET', KEYS[1], 'at', string.format('%.3f', after))
redis.call('PEXPIRE', KEYS[1], math.ceil(after - now) + 60000)
return { stored and string.format('%.3f', schedule) or '', string.format('%.3f', sendAt - now), seq }`;

const SETTLE = `${NOW_MS}
local interval, seq = tonumber(ARGV[1]), tonumber(ARGV[3])
local stored = redis.call('HGET', KEYS[1], 'at')
local later = math.max(0, tonumber(redis.call('HGET', KEYS[1], 'seq') or seq) - seq)
local before = ARGV[2] ~= '' and tonumber(ARGV[2]) or now
local stamped = math.max(before, now) + interval * (1 + later)
if not stored or tonumber(stored) < stamped then
  redis.call('HSET', KEYS[1], 'at', string.format('%.3f', stamped))
  redis.call('PEXPIRE', KEYS[1], math.ceil(stamped - now) + 60000)
end
return 1`;

const PAUSE = `${NOW_MS}
local stored = redis.call('HGET', KEYS[1], 'at')
local until_ = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
if not stored or tonumber(stored) < until_ then
  redis.call('HSET', KEYS[1], 'at', string.format('%.3f', until_))
  redis.call('PEXPIRE', KEYS[1], math.ceil(until_ - now) + 60000)
end
return 1`;

const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

type RedisClient = Redis | Cluster;
type Scripted = RedisClient & {
	f9aReserve(key: string, interval: string, tolerance: string): Promise<[string, string, number]>;
	f9aSettle(key: string, interval: string, before: string, seq: string): Promise<number>;
	f9aPause(key: string, ms: string, tolerance: string): Promise<number>;
	f9aUnlock(key: string, token: string): Promise<number>;
	f9aRenew(key: string, token: string, ttlMs: string): Promise<number>;
};

/** Coordinates through Redis; any failure of Redis falls back to `fallback` for that call. */
export class RedisCoordinator implements Coordinator {
	readonly kind = 'redis' as const;
	private warned = false;

	constructor(
		private readonly client: RedisClient,
		readonly fallback: ProcessCoordinator,
		private readonly warn: (message: string) => void = () => {},
	) {
		client.defineCommand('f9aReserve', { numberOfKeys: 1, lua: RESERVE });
		client.defineCommand('f9aSettle', { numberOfKeys: 1, lua: SETTLE });
		client.defineCommand('f9aPause', { numberOfKeys: 1, lua: PAUSE });
		client.defineCommand('f9aUnlock', { numberOfKeys: 1, lua: UNLOCK });
		client.defineCommand('f9aRenew', { numberOfKeys: 1, lua: RENEW });
		// Without a listener an unreachable Redis is an unhandled 'error' event.
		client.on('error', () => {});
	}

	private get redis(): Scripted {
		return this.client as Scripted;
	}

	private key(kind: string, key: string) {
		return `${PREFIX}:${kind}:{${key}}`;
	}

	private async orFallback<T>(work: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
		try {
			return await work();
		} catch (error) {
			if (!this.warned) {
				this.warned = true;
				this.warn(
					`Redis could not be used to share rate limits and locks between n8n processes (${
						(error as Error).message?.slice(0, 200) ?? 'unknown error'
					}); this process keeps its own until Redis answers again.`,
				);
			}
			return await fallback();
		}
	}

	async reserve(key: string, intervalMs: number, toleranceMs: number): Promise<Reservation> {
		return await this.orFallback(
			async () => {
				const [before, wait, seq] = await this.redis.f9aReserve(
					this.key('rate', key),
					String(intervalMs),
					String(toleranceMs),
				);
				this.warned = false;
				return {
					scheduleBefore: before === '' ? null : Number(before),
					seq: Number(seq),
					waitMs: Math.max(0, Number(wait)),
				};
			},
			() => this.fallback.reserve(key, intervalMs, toleranceMs),
		);
	}

	async settle(key: string, intervalMs: number, reservation: Reservation): Promise<void> {
		await this.orFallback(
			async () =>
				void (await this.redis.f9aSettle(
					this.key('rate', key),
					String(intervalMs),
					reservation.scheduleBefore === null ? '' : String(reservation.scheduleBefore),
					String(reservation.seq),
				)),
			() => this.fallback.settle(key, intervalMs, reservation),
		);
	}

	async pause(key: string, ms: number, toleranceMs: number): Promise<void> {
		await this.orFallback(
			async () =>
				void (await this.redis.f9aPause(this.key('rate', key), String(ms), String(toleranceMs))),
			() => this.fallback.pause(key, ms, toleranceMs),
		);
	}

	async tryLock(key: string, token: string, ttlMs: number): Promise<boolean> {
		return await this.orFallback(
			async () =>
				(await this.client.set(
					this.key('lock', key),
					token,
					'PX',
					Math.max(1, Math.ceil(ttlMs)),
					'NX',
				)) === 'OK',
			() => this.fallback.tryLock(key, token, ttlMs),
		);
	}

	async renew(key: string, token: string, ttlMs: number): Promise<boolean> {
		return await this.orFallback(
			async () => (await this.redis.f9aRenew(this.key('lock', key), token, String(Math.max(1, Math.ceil(ttlMs))))) === 1,
			() => this.fallback.renew(key, token, ttlMs),
		);
	}

	async unlock(key: string, token: string): Promise<void> {
		await this.orFallback(
			async () => void (await this.redis.f9aUnlock(this.key('lock', key), token)),
			() => this.fallback.unlock(key, token),
		);
	}

	async remember(key: string, windowMs: number): Promise<boolean> {
		return await this.orFallback(
			async () =>
				(await this.client.set(
					this.key('seen', key),
					'1',
					'PX',
					Math.max(1, Math.ceil(windowMs)),
					'NX',
				)) === 'OK',
			() => this.fallback.remember(key, windowMs),
		);
	}

	async note(entries: Array<[key: string, value: string]>, ttlMs: number): Promise<void> {
		const ttl = Math.max(1, Math.ceil(ttlMs));
		await this.orFallback(
			// Sent together without waiting for each answer; one key per command keeps cluster slots apart.
			async () => void (await Promise.all(entries.map(([key, value]) => this.client.set(this.key('note', key), value, 'PX', ttl)))),
			() => this.fallback.note(entries, ttlMs),
		);
	}

	async read(keys: string[]): Promise<Array<string | undefined>> {
		return await this.orFallback(
			async () => (await Promise.all(keys.map((key) => this.client.get(this.key('note', key))))).map((value) => value ?? undefined),
			() => this.fallback.read(keys),
		);
	}

	async close() {
		this.client.disconnect();
	}
}

// ---------------------------------------------------------------------------------------------
// Which one this process uses

/**
 * The Redis connection of n8n's queue mode, read from the same environment n8n reads
 * (`QUEUE_BULL_REDIS_*`, docs/reliability.md, "Queue mode"), or undefined outside queue mode.
 */
export function queueRedisSettings(
	env: NodeJS.ProcessEnv = process.env,
): { options: RedisOptions; clusterNodes: { host: string; port: number }[] } | undefined {
	if ((env.EXECUTIONS_MODE ?? '').trim() !== 'queue') return undefined;
	const read = (name: string) => {
		const file = env[`${name}_FILE`];
		if (file) {
			try {
				return readFileSync(file, 'utf8').trim();
			} catch {
				return undefined;
			}
		}
		return env[name];
	};
	const tls = (read('QUEUE_BULL_REDIS_TLS') ?? '').trim() === 'true';
	const options: RedisOptions = {
		host: read('QUEUE_BULL_REDIS_HOST') || 'localhost',
		port: Number(read('QUEUE_BULL_REDIS_PORT') || 6379),
		db: Number(read('QUEUE_BULL_REDIS_DB') || 0),
		username: read('QUEUE_BULL_REDIS_USERNAME') || undefined,
		password: read('QUEUE_BULL_REDIS_PASSWORD') || undefined,
		family: (read('QUEUE_BULL_REDIS_DUALSTACK') ?? '').trim() === 'true' ? 0 : 4,
		...(tls
			? {
					tls: {
						// As n8n reads them: a server name for SNI, and certificate checks on unless turned off.
						...(read('QUEUE_BULL_REDIS_TLS_SERVERNAME') ? { servername: read('QUEUE_BULL_REDIS_TLS_SERVERNAME') } : {}),
						rejectUnauthorized: (read('QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE') ?? '').trim() !== 'false',
					},
				}
			: {}),
	};
	const clusterNodes = (read('QUEUE_BULL_REDIS_CLUSTER_NODES') ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean)
		.map((entry) => {
			const [host, port] = entry.split(':');
			return { host, port: Number(port || 6379) };
		});
	return { options, clusterNodes };
}

/** Commands wait this long for Redis before falling back; a run never hangs on coordination. */
const REDIS_COMMAND_TIMEOUT_MS = 2_000;

export async function connectRedis(settings: {
	options: RedisOptions;
	clusterNodes: { host: string; port: number }[];
}): Promise<RedisClient> {
	// Loaded only in queue mode: a single n8n never needs the client.
	const { default: RedisClass, Cluster } = await import('ioredis');
	const common: RedisOptions = {
		...settings.options,
		connectionName: PREFIX,
		lazyConnect: false,
		enableOfflineQueue: true,
		maxRetriesPerRequest: 1,
		connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
		commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
		// Reconnect in the background with a capped delay; commands meanwhile fall back.
		retryStrategy: (times: number) => Math.min(times * 200, 5_000),
	};
	if (settings.clusterNodes.length > 0) {
		// The nodes name hosts and ports; the rest (auth, TLS, timeouts) applies to each.
		const redisOptions: RedisOptions = { ...common };
		delete redisOptions.host;
		delete redisOptions.port;
		return new Cluster(settings.clusterNodes, { redisOptions });
	}
	return new RedisClass(common);
}

const processCoordinator = new ProcessCoordinator();
let current: Promise<Coordinator> | undefined;
let logWarning: (message: string) => void = () => {};

/**
 * This process's coordinator: Redis in queue mode, this process otherwise. Created once; the
 * first caller's logger gets the one warning about an unreachable Redis.
 */
export async function coordinator(warn?: (message: string) => void): Promise<Coordinator> {
	if (warn) logWarning = warn;
	current ??= (async () => {
		const settings = queueRedisSettings();
		if (!settings) return processCoordinator;
		try {
			return new RedisCoordinator(await connectRedis(settings), processCoordinator, (message) =>
				logWarning(message),
			);
		} catch (error) {
			logWarning(
				`Redis client could not start (${(error as Error).message}); rate limits and locks are kept per process.`,
			);
			return processCoordinator;
		}
	})();
	return await current;
}

/** For tests: use this coordinator from now on (undefined: decide from the environment again). */
export async function useCoordinator(next: Coordinator | undefined): Promise<void> {
	const previous = current;
	current = next ? Promise.resolve(next) : undefined;
	const old = previous ? await previous.catch(() => undefined) : undefined;
	if (old instanceof RedisCoordinator && old !== next) await old.close();
}
