/**
 * A real redis-server for tests that coordinate through Redis: on 127.0.0.1, a free port, a
 * password (the auth path is the one production uses), nothing written to disk. Installed by
 * `scripts/ensure-install.js` (npm test) or test/e2e/provision.sh (e2e) when missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import Redis from 'ioredis';

import { ProcessCoordinator, RedisCoordinator, useCoordinator } from '../../nodes/shared/coordination';
import { freePort } from './ports';

export function redisServerBinary(): string {
	for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server'])
		if (existsSync(candidate)) return candidate;
	throw new Error(
		'redis-server is not installed: run `npm test` (it installs it) or `apt-get install redis-server`',
	);
}


export interface RedisServer {
	host: string;
	port: number;
	password: string;
	/** The environment n8n's queue mode reads, pointing at this server. */
	env: Record<string, string>;
	stop(): Promise<void>;
}

export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
	const port = await freePort();
	const password = options.password ?? `test-redis-${Math.random().toString(36).slice(2)}`;
	const dir = mkdtempSync(path.join(tmpdir(), 'redis-'));
	const child: ChildProcess = spawn(
		redisServerBinary(),
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--requirepass',
			password,
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let log = '';
	child.stdout!.on('data', (chunk) => (log += chunk));
	child.stderr!.on('data', (chunk) => (log += chunk));
	const deadline = Date.now() + 15_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`redis-server exited: ${log.slice(-2000)}`);
		const open = await new Promise<boolean>((resolve) => {
			const socket = connect(port, '127.0.0.1');
			socket.once('connect', () => (socket.destroy(), resolve(true)));
			socket.once('error', () => resolve(false));
		});
		if (open) break;
		if (Date.now() > deadline) throw new Error(`redis-server did not start: ${log.slice(-2000)}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return {
		host: '127.0.0.1',
		port,
		password,
		env: {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(port),
			QUEUE_BULL_REDIS_PASSWORD: password,
		},
		stop: async () => {
			if (child.exitCode === null && child.signalCode === null) {
				await new Promise<void>((resolve) => {
					child.once('exit', () => resolve());
					child.kill('SIGKILL');
				});
			}
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/**
 * For a test file whose nodes coordinate through Redis as in queue mode: a redis-server for the
 * file, and `coordinate()`, which points the package's coordinator at it until the test ends and
 * returns a client for the test to look into Redis with.
 */
export function redisCoordination() {
	let server: RedisServer | undefined;
	let client: Redis | undefined;
	beforeAll(async () => {
		server = await startRedis();
	});
	afterEach(async () => {
		await useCoordinator(undefined);
		client?.disconnect();
		client = undefined;
	});
	afterAll(async () => {
		await server?.stop();
	});
	return {
		async coordinate(): Promise<Redis> {
			client = new Redis({ host: server!.host, port: server!.port, password: server!.password, maxRetriesPerRequest: 1 });
			await client.flushall();
			await useCoordinator(new RedisCoordinator(client, new ProcessCoordinator()));
			return client;
		},
	};
}
