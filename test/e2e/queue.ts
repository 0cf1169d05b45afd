/**
 * n8n in queue mode for the end-to-end test: Redis (with a password) and Postgres of Debian's,
 * one n8n main and two `n8n worker` processes, each under guard.cjs like every n8n of N8nInstance,
 * so nothing outlives the test. Every n8n shares one user folder, and with it the one installed
 * package, as main and workers that mount one volume do. Manual runs are offloaded to the workers,
 * which is what n8n 3 does by default (breaking-changes rule `offload-manual-executions`).
 *
 * Each process's log is kept apart: a worker logs `Worker started execution <id> (job <n>)`, which
 * is how a test tells which process ran an execution.
 *
 * The shared folder also holds n8n's crash journal, which only NODE_ENV=production uses (a process
 * that finds another's journal waits 10 s at start); these processes run without NODE_ENV, like
 * every n8n of N8nInstance.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { N8nInstance, endGuarded, freePort, ownerEnv, serverEnv, spawnGuarded, waitForRest, type N8nRest, type Owner, type Provisioned } from './n8n';

const run = promisify(execFile);
/** What a process keeps of its own log, so a long test cannot fill the memory. */
const LOG_LIMIT = 4 * 1024 * 1024;
const START_TIMEOUT_MS = 180_000;

let ownHostnames: Promise<boolean> | undefined;

/**
 * A command prefix that runs n8n with a host name of its own, where the system allows it. In a
 * container n8n names a process `worker-<host name>` (InstanceSettings `hostId`), so two workers
 * on one host would share one name, which n8n's pub/sub uses to address and to skip its own
 * messages; each worker container has a host name of its own.
 */
async function hostnamePrefix(hostname: string): Promise<string[]> {
	ownHostnames ??= run('unshare', ['--uts', 'true']).then(
		() => true,
		() => false,
	);
	return (await ownHostnames) ? ['unshare', '--uts', '--', 'sh', '-c', 'hostname "$0" && exec "$@"', hostname] : [];
}

export interface QueueClusterOptions {
	/** How many `n8n worker` processes (default 2). */
	workers?: number;
	/** Each worker's `--concurrency` (default 5; n8n warns below 5). */
	concurrency?: number;
	/** Redis's `requirepass`; '' runs Redis without one (default: a password). */
	redisPassword?: string;
	/** More environment for every n8n process (main and workers). */
	env?: Record<string, string>;
}

/** One guarded process of the cluster, with its own log. */
export class ClusterProcess {
	log = '';
	private waiters: (() => void)[] = [];

	constructor(
		readonly name: string,
		readonly child: ChildProcess,
	) {
		const keep = (chunk: Buffer) => {
			this.log = (this.log + chunk.toString()).slice(-LOG_LIMIT);
			for (const wake of this.waiters.splice(0)) wake();
		};
		child.stdout!.on('data', keep);
		child.stderr!.on('data', keep);
		child.once('exit', () => {
			for (const wake of this.waiters.splice(0)) wake();
		});
	}

	get running(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	/** Resolves once the log matches; fails when the process ends first or the time is up. */
	async waitForLog(pattern: RegExp, timeoutMs = START_TIMEOUT_MS): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!pattern.test(this.log)) {
			if (!this.running) throw new Error(`${this.name} exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.log.slice(-3000)}`);
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`${this.name}: no ${pattern} in ${timeoutMs} ms:\n${this.log.slice(-3000)}`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, Math.min(left, 1000));
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}
}

export interface RedisEnv {
	QUEUE_BULL_REDIS_HOST: string;
	QUEUE_BULL_REDIS_PORT: string;
	QUEUE_BULL_REDIS_PASSWORD: string;
}

export interface PostgresEnv {
	DB_POSTGRESDB_HOST: string;
	DB_POSTGRESDB_PORT: string;
	DB_POSTGRESDB_DATABASE: string;
	DB_POSTGRESDB_USER: string;
	DB_POSTGRESDB_PASSWORD: string;
}

/** Milliseconds from `start()` until each part was ready. */
export interface StartTimings {
	redis: number;
	postgres: number;
	main: number;
	workers: Record<string, number>;
	total: number;
}

export class QueueCluster {
	/** The shared user folder, the installed package and the REST client of main. */
	readonly n8n: N8nInstance;
	readonly workerNames: string[];
	readonly redisPassword: string;
	/** The Postgres user's password (host connections use SCRAM, so the password is checked). */
	readonly postgresPassword = 'e2e-postgres-pass';
	main?: ClusterProcess;
	workers: ClusterProcess[] = [];
	redis?: ClusterProcess;
	postgres?: ClusterProcess;
	timings?: StartTimings;
	/** Every main process so far, the current one last (restarts keep the ones before). */
	private mains: ClusterProcess[] = [];
	private owner?: Owner;
	private mainPort = 0;
	private mainBrokerPort = 0;
	private redisPort = 0;
	private postgresPort = 0;
	private readonly dataFolder: string;

	constructor(
		readonly provisioned: Provisioned,
		readonly options: QueueClusterOptions = {},
	) {
		this.n8n = new N8nInstance(provisioned);
		this.workerNames = Array.from({ length: options.workers ?? 2 }, (_, index) => `worker${index + 1}`);
		this.redisPassword = options.redisPassword ?? 'e2e-redis-pass-3c1f';
		this.dataFolder = mkdtempSync(path.join(tmpdir(), 'n8n-e2e-queue-'));
	}

	get url(): string {
		return `http://127.0.0.1:${this.mainPort}`;
	}

	/** The REST client of main, logged in as the owner given to `start()`. */
	get rest(): N8nRest {
		if (!this.owner) throw new Error('QueueCluster not started');
		return this.n8n.restClient(this.owner);
	}

	/** n8n's own settings for its queue's Redis, for a test that reads or writes the same Redis. */
	redisEnv(): RedisEnv {
		return { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(this.redisPort), QUEUE_BULL_REDIS_PASSWORD: this.redisPassword };
	}

	/** n8n's own settings for its Postgres database, for a test that reads n8n's tables itself. */
	postgresEnv(): PostgresEnv {
		return {
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.postgresPort),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: this.postgresPassword,
		};
	}

	/** What every n8n process of the cluster is given, on top of N8nInstance's own environment. */
	queueEnv(): Record<string, string> {
		return {
			EXECUTIONS_MODE: 'queue',
			...this.redisEnv(),
			DB_TYPE: 'postgresdb',
			...this.postgresEnv(),
			// Without it, n8n 2.x runs manual executions on main even in queue mode (workflow-runner.js).
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			...this.options.env,
		};
	}

	/**
	 * Starts Redis and Postgres, then main and every worker at once: each n8n runs pending
	 * migrations under one Postgres advisory lock (@n8n/db `migrateWithAdvisoryLock`), so a worker
	 * that starts first migrates and the others wait. Resolves when main serves its REST API and
	 * every worker's /healthz/readiness answers 200 (database migrated, Redis connected, queue
	 * consumer set up).
	 */
	async start(owner: Owner): Promise<StartTimings> {
		if (!this.provisioned.redisServer || !this.provisioned.postgresBin) throw new Error('redis-server or postgresql is not installed (see provision.sh)');
		this.owner = owner;
		const started = Date.now();
		const since = () => Date.now() - started;
		// A process that reads the settings file while another writes it would fail on half a file.
		const n8nFolder = path.join(this.n8n.userFolder, '.n8n');
		mkdirSync(n8nFolder, { recursive: true });
		writeFileSync(path.join(n8nFolder, 'config'), JSON.stringify({ encryptionKey: this.n8n.env.N8N_ENCRYPTION_KEY }), { mode: 0o600 });
		let redisMs = 0;
		let postgresMs = 0;
		await Promise.all([
			this.startRedis().then(() => (redisMs = since())),
			this.startPostgres().then(() => (postgresMs = since())),
		]);
		// `n8n.run()` (CLI commands) then uses the same database and Redis.
		Object.assign(this.n8n.env, this.queueEnv());
		this.mainPort = await freePort();
		this.mainBrokerPort = await freePort();
		const workers: Record<string, number> = {};
		let mainMs = 0;
		await Promise.all([
			this.startMain().then(() => (mainMs = since())),
			...this.workerNames.map((name) => this.startWorker(name).then(() => (workers[name] = since()))),
		]);
		this.timings = { redis: redisMs, postgres: postgresMs, main: mainMs, workers, total: since() };
		return this.timings;
	}

	/**
	 * Ends main (SIGTERM: n8n's own shutdown; SIGKILL: at once, as a crash or an OOM kill) and
	 * starts it again on the same port, database and Redis. Resolves with the milliseconds until
	 * the new main served its REST API; the REST client logs in again.
	 */
	async restartMain(options: { signal?: 'SIGTERM' | 'SIGKILL' } = {}): Promise<number> {
		if (!this.main) throw new Error('QueueCluster not started');
		await endGuarded(this.main.child, options.signal ?? 'SIGTERM');
		const started = Date.now();
		await this.startMain();
		return Date.now() - started;
	}

	/** The log of one process: 'main' (the current one), 'mains' (every one so far), 'worker1'…, 'redis', 'postgres'. */
	log(name: string): string {
		if (name === 'main') return this.main?.log ?? '';
		if (name === 'mains') return this.mains.map((main) => main.log).join('\n--- main restarted ---\n');
		return [...this.workers, this.redis, this.postgres].find((p) => p?.name === name)?.log ?? '';
	}

	/** The last part of every log, for a failing test to show. */
	logTail(chars = 3000): string {
		return ['mains', ...this.workerNames].map((name) => `--- ${name} ---\n${this.log(name).slice(-chars)}`).join('\n');
	}

	/** Execution ids a worker logged as started, in order. */
	executionsOf(worker: string): string[] {
		return [...this.log(worker).matchAll(/Worker started execution (\d+) \(job/g)].map((match) => match[1]);
	}

	/**
	 * The worker that ran an execution, from the workers' logs (waiting briefly, as a log line may
	 * arrive after the execution's status changed), or undefined if none did (main ran it).
	 */
	async workerOf(executionId: string, waitMs = 5000): Promise<string | undefined> {
		const deadline = Date.now() + waitMs;
		for (;;) {
			const worker = this.workers.find((w) => this.executionsOf(w.name).includes(String(executionId)));
			if (worker || Date.now() >= deadline) return worker?.name;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	/** Ends every n8n, then Redis and Postgres, and deletes their folders. */
	async stop() {
		await this.n8n.stop();
		await Promise.all([this.redis, this.postgres].filter((p): p is ClusterProcess => p !== undefined).map((p) => endGuarded(p.child)));
		rmSync(this.dataFolder, { recursive: true, force: true });
	}

	private async startRedis() {
		this.redisPort = await freePort();
		const dir = path.join(this.dataFolder, 'redis');
		mkdirSync(dir);
		const auth = this.redisPassword ? ['--requirepass', this.redisPassword] : [];
		const args = ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...auth];
		this.redis = new ClusterProcess('redis', spawnGuarded(this.provisioned.redisServer, args, { cwd: dir, env: process.env }));
		await this.redis.waitForLog(/Ready to accept connections/, 30_000);
	}

	/**
	 * initdb and postgres as the `postgres` OS user when this runs as root (Postgres refuses root),
	 * in a folder of their own; host connections need the password, the socket stays in that folder.
	 */
	private async startPostgres() {
		this.postgresPort = await freePort();
		const bin = this.provisioned.postgresBin;
		const dir = path.join(this.dataFolder, 'postgres');
		mkdirSync(dir);
		const passwordFile = path.join(dir, 'password');
		writeFileSync(passwordFile, this.postgresPassword);
		let asPostgres: string[] = [];
		if (userInfo().uid === 0) {
			const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]).then((ids) => ids.map((id) => Number(id.stdout.trim())));
			chownSync(this.dataFolder, uid, gid);
			chownSync(dir, uid, gid);
			chownSync(passwordFile, uid, gid);
			asPostgres = ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', '--'];
		}
		const command = (name: string, args: string[]) => (asPostgres.length ? [asPostgres[0], [...asPostgres.slice(1), path.join(bin, name), ...args]] : [path.join(bin, name), args]) as [string, string[]];
		const data = path.join(dir, 'data');
		await run(
			...command('initdb', ['-D', data, '-U', 'n8n', `--pwfile=${passwordFile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync']),
			{ cwd: dir },
		);
		// A test database: durability is not needed, and skipping it saves seconds of migrations.
		const settings = ['listen_addresses=127.0.0.1', 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off'].flatMap((setting) => ['-c', setting]);
		const [postgres, args] = command('postgres', ['-D', data, '-p', String(this.postgresPort), '-k', dir, ...settings]);
		this.postgres = new ClusterProcess('postgres', spawnGuarded(postgres, args, { cwd: dir, env: { ...process.env, LC_ALL: 'C' } }));
		await this.postgres.waitForLog(/database system is ready to accept connections/, 60_000);
		await run(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(this.postgresPort), '-U', 'n8n', 'n8n'], {
			env: { ...process.env, PGPASSWORD: this.postgresPassword },
		});
	}

	/** Each n8n process writes its event log to a file of its own (two workers would share one). */
	private eventLog(name: string): string {
		return path.join(this.n8n.userFolder, '.n8n', 'event-logs', `${name}.log`);
	}

	private async startMain() {
		const child = this.n8n.spawnN8n(['start'], {
			...this.n8n.env,
			...serverEnv(this.mainPort),
			N8N_RUNNERS_BROKER_PORT: String(this.mainBrokerPort),
			N8N_EVENTBUS_LOGWRITER_LOGFULLPATH: this.eventLog('main'),
			...ownerEnv(this.owner!, this.provisioned.n8nDir),
		});
		const main = new ClusterProcess('main', child);
		this.main = main;
		this.mains.push(main);
		this.n8n.useServer('');
		await waitForRest(this.url, child, () => main.log, START_TIMEOUT_MS);
		this.n8n.useServer(this.url);
	}

	private async startWorker(name: string) {
		const [healthPort, brokerPort] = [await freePort(), await freePort()];
		const child = this.n8n.spawnN8n(
			['worker', `--concurrency=${this.options.concurrency ?? 5}`],
			{
				...this.n8n.env,
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				N8N_RUNNERS_BROKER_PORT: String(brokerPort),
				N8N_EVENTBUS_LOGWRITER_LOGFULLPATH: this.eventLog(name),
			},
			await hostnamePrefix(name),
		);
		const worker = new ClusterProcess(name, child);
		this.workers.push(worker);
		// 200 only once the queue consumer is set up (worker-server.js `readiness`); 503 before.
		const deadline = Date.now() + START_TIMEOUT_MS;
		for (;;) {
			if (!worker.running) throw new Error(`${name} exited while starting:\n${worker.log.slice(-3000)}`);
			const ready = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`).then(
				(response) => response.ok,
				() => false,
			);
			if (ready) return;
			if (Date.now() > deadline) throw new Error(`${name} not ready in ${START_TIMEOUT_MS} ms:\n${worker.log.slice(-3000)}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}
}
