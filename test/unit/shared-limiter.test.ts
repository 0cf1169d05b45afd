/**
 * The rate budget, the Five9 lock and the delivery memory that executions sharing a credential
 * agree on: in one process, and across processes through a real redis-server (queue mode).
 */
import Redis from 'ioredis';

import { serialized } from '../../nodes/Five9/transport/queue';
import {
	ProcessCoordinator,
	RedisCoordinator,
	credentialKey,
	deliveryKey,
	deliveryNote,
	queueRedisSettings,
	readDeliveryNote,
	type Coordinator,
} from '../../nodes/shared/coordination';
import { SharedLimiter, type RateLimit } from '../../nodes/shared/throttle';
import { ServerBucket, delay } from '../mocks/http';
import { startRedis, type RedisServer } from '../harness/redis';

const API_KEY = 'sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

/**
 * Two executions that each send `perExecution` requests at once through their own limiter on
 * one coordinator, against a server bucket of exactly `limit`: returns what the server refused
 * and when the last request arrived.
 */
async function twoExecutions(
	coordinators: [Coordinator, Coordinator],
	key: string,
	limit: RateLimit,
	perExecution: number,
) {
	const server = new ServerBucket(limit.perMinute, limit.burst);
	let refused = 0;
	const arrivals: number[] = [];
	const started = Date.now();
	const execution = async (shared: Coordinator) => {
		const limiter = new SharedLimiter(
			limit,
			async () => key,
			async () => shared,
		);
		for (let i = 0; i < perExecution; i++) {
			const ticket = await limiter.acquire();
			if (server.take() > 0) refused += 1;
			arrivals.push(Date.now() - started);
			await delay(1);
			limiter.settle(ticket);
		}
		return limiter;
	};
	const limiters = await Promise.all(coordinators.map(execution));
	return { refused, lastMs: Math.max(...arrivals), limiters };
}

/** The earliest the last of `count` requests can arrive under `limit` (the floor). */
function floorMs(limit: RateLimit, count: number) {
	return (Math.max(0, count - limit.burst) * 60_000) / limit.perMinute;
}

describe('credential keys', () => {
	test('the same credential gives the same key; any change of key or URL another; the key never shows', () => {
		const key = credentialKey('rate:assembledApi', {
			apiKey: API_KEY,
			baseUrl: 'https://api.assembledhq.com',
		});
		expect(
			credentialKey('rate:assembledApi', {
				baseUrl: 'https://api.assembledhq.com',
				apiKey: API_KEY,
			}),
		).toBe(key);
		expect(
			credentialKey('rate:assembledApi', {
				apiKey: `${API_KEY}x`,
				baseUrl: 'https://api.assembledhq.com',
			}),
		).not.toBe(key);
		expect(
			credentialKey('rate:assembledApi', { apiKey: API_KEY, baseUrl: 'http://127.0.0.1:1' }),
		).not.toBe(key);
		expect(
			credentialKey('five9-user', { apiKey: API_KEY, baseUrl: 'https://api.assembledhq.com' }),
		).not.toBe(key);
		const encodings = [
			API_KEY,
			Buffer.from(API_KEY).toString('base64'),
			Buffer.from(`${API_KEY}:`).toString('base64'),
			Buffer.from(API_KEY).toString('hex'),
			encodeURIComponent(API_KEY),
		];
		for (const encoded of encodings) {
			expect(key).not.toContain(encoded);
			expect(key).not.toContain(encoded.slice(0, 12));
		}
	});
});

describe('one budget per credential in one process', () => {
	const limit: RateLimit = { perMinute: 1200, burst: 4 }; // 50 ms apart after a burst of 4

	test('two executions interleaved stay within one budget together: no refusal, at the floor', async () => {
		const shared = new ProcessCoordinator();
		const { refused, lastMs } = await twoExecutions([shared, shared], 'rate:test:a', limit, 15);
		expect(refused).toBe(0);
		// 30 requests together need the floor of 30, not of 15: they did wait for each other.
		expect(lastMs).toBeGreaterThanOrEqual(floorMs(limit, 30) - 5);
	});

	test('without the shared schedule the same two executions overrun the server (the check can fail)', async () => {
		const { refused } = await twoExecutions(
			[new ProcessCoordinator(), new ProcessCoordinator()],
			'rate:test:b',
			limit,
			15,
		);
		expect(refused).toBeGreaterThan(0);
	});

	test('another credential has its own budget', async () => {
		const shared = new ProcessCoordinator();
		const first = new SharedLimiter(
			limit,
			async () => 'rate:test:c1',
			async () => shared,
		);
		const second = new SharedLimiter(
			limit,
			async () => 'rate:test:c2',
			async () => shared,
		);
		for (let i = 0; i < limit.burst; i++) await first.acquire();
		await second.acquire();
		expect(second.waitedMs).toBe(0);
		await first.acquire();
		expect(first.waitedMs).toBeGreaterThan(0);
	});

	test('a 429 one execution got holds back the other execution with the same credential', async () => {
		const shared = new ProcessCoordinator();
		const hit = new SharedLimiter(
			limit,
			async () => 'rate:test:d',
			async () => shared,
		);
		const other = new SharedLimiter(
			limit,
			async () => 'rate:test:d',
			async () => shared,
		);
		hit.settle(await hit.acquire());
		const pausedAt = Date.now();
		hit.pause(300);
		await delay(5); // the pause is written in the background
		await other.acquire();
		expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(300);
	});
});

describe('across processes through Redis', () => {
	let redis: RedisServer;
	const clients: Redis[] = [];
	/** One coordinator per simulated worker, each on its own connection like a worker process. */
	const worker = (warn?: (message: string) => void) => {
		const client = new Redis({
			host: redis.host,
			port: redis.port,
			password: redis.password,
			maxRetriesPerRequest: 1,
			commandTimeout: 2000,
		});
		clients.push(client);
		return new RedisCoordinator(client, new ProcessCoordinator(), warn);
	};

	beforeAll(async () => {
		redis = await startRedis();
	});
	afterAll(async () => {
		for (const client of clients) client.disconnect();
		await redis?.stop();
	});

	test('the queue-mode environment n8n reads is the one the package reads', () => {
		expect(queueRedisSettings({ ...redis.env, EXECUTIONS_MODE: 'regular' })).toBeUndefined();
		const settings = queueRedisSettings(redis.env)!;
		expect(settings.options).toMatchObject({
			host: '127.0.0.1',
			port: redis.port,
			password: redis.password,
			db: 0,
		});
		expect(settings.clusterNodes).toEqual([]);
		expect(queueRedisSettings({ EXECUTIONS_MODE: 'queue' })!.options).toMatchObject({
			host: 'localhost',
			port: 6379,
		});
		expect(queueRedisSettings({ EXECUTIONS_MODE: 'queue' })!.options.tls).toBeUndefined();
		const tls = queueRedisSettings({
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_TLS: 'true',
			QUEUE_BULL_REDIS_TLS_SERVERNAME: 'redis.internal',
			QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE: 'false',
		})!;
		expect(tls.options.tls).toEqual({ servername: 'redis.internal', rejectUnauthorized: false });
		expect(queueRedisSettings({ EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_TLS: 'true' })!.options.tls).toEqual({ rejectUnauthorized: true });
		expect(queueRedisSettings({ EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_CLUSTER_NODES: 'r1:7000, r2' })!.clusterNodes).toEqual([
			{ host: 'r1', port: 7000 },
			{ host: 'r2', port: 6379 },
		]);
	});

	test('two workers interleaved stay within one budget: no refusal, the floor of both together', async () => {
		const limit: RateLimit = { perMinute: 1200, burst: 4 };
		const key = credentialKey('rate:assembledApi', {
			apiKey: API_KEY,
			baseUrl: `http://127.0.0.1:${redis.port}`,
		});
		const { refused, lastMs } = await twoExecutions([worker(), worker()], key, limit, 15);
		expect(refused).toBe(0);
		expect(lastMs).toBeGreaterThanOrEqual(floorMs(limit, 30) - 5);
		// What Redis holds is named by the hash, never by the key.
		const keys = await clients[0].keys('*');
		expect(keys.length).toBeGreaterThan(0);
		expect(keys.join('\n')).not.toContain(API_KEY.slice(0, 12));
	});

	test('a 429 on one worker holds back the other', async () => {
		const limit: RateLimit = { perMinute: 1200, burst: 4 };
		const one = new SharedLimiter(
			limit,
			async () => 'rate:test:pause',
			async () => worker(),
		);
		const two = new SharedLimiter(
			limit,
			async () => 'rate:test:pause',
			async () => worker(),
		);
		one.settle(await one.acquire());
		const pausedAt = Date.now();
		one.pause(400);
		await delay(20); // the pause is written in the background
		await two.acquire();
		expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(400);
	});

	test('the Five9 lock: requests of one user on two workers never overlap; another user is not held up', async () => {
		// Two copies of the module, as two worker processes have: each its own in-process queue.
		const copies = [0, 1].map(() => {
			let copy!: typeof serialized;
			jest.isolateModules(() => {
				copy = (require('../../nodes/Five9/transport/queue') as { serialized: typeof serialized }).serialized;
			});
			return { serialized: copy, shared: worker() };
		});
		let active = 0;
		let maxActive = 0;
		const finished: string[] = [];
		const request = (name: string) => async () => {
			active += 1;
			maxActive = Math.max(maxActive, active);
			await delay(15);
			active -= 1;
			finished.push(name);
		};
		await Promise.all([
			...Array.from({ length: 6 }, (_, i) => {
				const { serialized: run, shared } = copies[i % 2];
				return run('five9-user:same', request(`same-${i}`), { coordinatorOf: async () => shared });
			}),
			delay(20).then(() =>
				copies[1].serialized(
					'five9-user:other',
					async () => {
						finished.push('other');
					},
					{ coordinatorOf: async () => copies[1].shared },
				),
			),
		]);
		expect(maxActive).toBe(1);
		// The other user went ahead while the first one's requests still queued.
		expect(finished.indexOf('other')).toBeLessThan(finished.length - 1);
	});

	test('a lock left by a worker that died frees up after its time to live', async () => {
		const [a, b] = [worker(), worker()];
		expect(await a.tryLock('five9-user:dead', 'token-a', 300)).toBe(true);
		const before = Date.now();
		await serialized('five9-user:dead', async () => undefined, { coordinatorOf: async () => b });
		expect(Date.now() - before).toBeGreaterThanOrEqual(250);
	});

	test('a lock is kept alive while its request runs, however long, and freed right after', async () => {
		const [a, b] = [worker(), worker()];
		let takenByOther: boolean | undefined;
		await serialized(
			'five9-user:long',
			async () => {
				await delay(1_000); // more than three times the lock's life
				takenByOther = await b.tryLock('five9-user:long', 'token-b', 1_000);
			},
			{ lockTtlMs: 300, coordinatorOf: async () => a },
		);
		expect(takenByOther).toBe(false);
		expect(await b.tryLock('five9-user:long', 'token-b', 1_000)).toBe(true);
	});

	test('a delivery is remembered across workers for its window', async () => {
		const [a, b] = [worker(), worker()];
		expect(await a.remember('cti:event-1', 300)).toBe(true);
		expect(await b.remember('cti:event-1', 300)).toBe(false);
		await delay(350);
		expect(await b.remember('cti:event-1', 300)).toBe(true);
	});

	test('a delivery note written on one worker is read on another (main), under the hash of the import id', async () => {
		const [a, b] = [worker(), worker()];
		const key = deliveryKey('five9-aqm-ev-123');
		await a.note([[key, deliveryNote(1_000, 45, 50)]], 60_000);
		const [found, missing] = await b.read([key, deliveryKey('five9-aqm-ev-404')]);
		expect(readDeliveryNote(found)).toEqual({ at: 1_000, score: 45, maxScore: 50 });
		expect(missing).toBeUndefined();
		expect((await clients[0].keys('*note*')).join('\n')).not.toContain('ev-123');
	});

	test('Redis down: every call still answers from the process, and the log says so once', async () => {
		const warnings: string[] = [];
		const client = new Redis({
			host: '127.0.0.1',
			port: 1,
			maxRetriesPerRequest: 0,
			commandTimeout: 300,
			enableOfflineQueue: false,
			retryStrategy: () => null,
			lazyConnect: true,
		});
		clients.push(client);
		const down = new RedisCoordinator(client, new ProcessCoordinator(), (message) =>
			warnings.push(message),
		);
		const limiter = new SharedLimiter(
			{ perMinute: 1200, burst: 1 },
			async () => 'rate:test:down',
			async () => down,
		);
		for (let i = 0; i < 3; i++) limiter.settle(await limiter.acquire());
		expect(limiter.waitedMs).toBeGreaterThan(0);
		expect(await down.tryLock('five9-user:down', 't', 1000)).toBe(true);
		expect(await down.remember('cti:down', 1000)).toBe(true);
		expect(await down.remember('cti:down', 1000)).toBe(false);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toMatch(/Redis could not be used/);
	});
});
