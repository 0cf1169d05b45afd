/**
 * Drives a real n8n for the end-to-end test: a pinned release on Node 24, provisioned and cached by
 * provision.sh, with this package installed from its packed tarball the way a user installs it.
 * Every n8n command runs under guard.cjs, in a process group of its own: `stop()` ends those groups
 * and waits for them, and a guard ends its group by itself when this process is gone, however it
 * ended.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../harness/ports';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
const GUARD = path.join(__dirname, 'guard.cjs');
/** How long n8n may take to shut down on SIGTERM before its group is killed. */
const STOP_GRACE_MS = 15_000;

export interface Provisioned {
	node24: string;
	n8nBin: string;
	n8nDir: string;
	/** Debian's redis-server, or '' when it could not be installed. */
	redisServer: string;
	/** The folder of Debian's initdb and postgres, or '' when they could not be installed. */
	postgresBin: string;
}

export function provision(): Provisioned {
	const output = execFileSync('bash', [path.join(__dirname, 'provision.sh')], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		maxBuffer: 16 * 1024 * 1024,
	});
	const values = Object.fromEntries(
		output
			.split('\n')
			.filter((line) => line.includes('='))
			.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
	);
	return {
		node24: values.NODE24,
		n8nBin: values.N8N_BIN,
		n8nDir: values.N8N_DIR,
		redisServer: values.REDIS_SERVER ?? '',
		postgresBin: values.POSTGRES_BIN ?? '',
	};
}

/**
 * Starts any command under guard.cjs, in a process group of its own that ends when this process
 * is gone; stdin stays an open pipe, which is what the guard watches.
 */
export function spawnGuarded(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcess {
	return spawn(process.execPath, [GUARD, String(STOP_GRACE_MS), command, ...args], { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * Ends a guarded command's whole group and waits for its guard: SIGTERM lets it shut down (SIGKILL
 * after the grace time), SIGKILL ends it at once, as a crash or an OOM kill would.
 */
export async function endGuarded(child: ChildProcess, how: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	await new Promise<void>((resolve) => {
		// Only a guard that hangs itself is killed here.
		const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS + 10_000);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		// The guard cannot catch SIGKILL itself; SIGUSR2 asks it to SIGKILL its group.
		child.kill(how === 'SIGKILL' ? 'SIGUSR2' : 'SIGTERM');
	});
}

/** The environment that makes n8n create its owner account at startup, with no setup screen. */
export function ownerEnv(owner: Owner, n8nDir: string): Record<string, string> {
	const bcrypt = require(require.resolve('bcryptjs', { paths: [n8nDir] })) as { hashSync: (text: string, rounds: number) => string };
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: 'End',
		N8N_INSTANCE_OWNER_LAST_NAME: 'ToEnd',
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(owner.password, 10),
	};
}

/** The environment of an n8n server on 127.0.0.1 at `port`, plain HTTP. */
export function serverEnv(port: number): Record<string, string> {
	return {
		N8N_PORT: String(port),
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		N8N_SECURE_COOKIE: 'false',
	};
}

/** Waits until an n8n server at `url` serves its REST API; fails early if its process ended. */
export async function waitForRest(url: string, child: ChildProcess, log: () => string, timeoutMs = 120_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`n8n exited while starting:\n${log().slice(-3000)}`);
		try {
			// /healthz answers while n8n is still starting; the REST API answering JSON means ready.
			const response = await fetch(`${url}/rest/settings`);
			if (response.ok && (response.headers.get('content-type') ?? '').includes('application/json')) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`n8n did not become healthy in time:\n${log().slice(-3000)}`);
}

export { freePort } from '../harness/ports';

export interface CommandResult {
	code: number;
	stdout: string;
	stderr: string;
}

export class N8nInstance {
	readonly userFolder: string;
	readonly filesFolder: string;
	private readonly processes = new Set<ChildProcess>();
	readonly env: NodeJS.ProcessEnv;
	serverUrl = '';

	constructor(
		readonly provisioned: Provisioned,
		extraEnv: Record<string, string> = {},
	) {
		this.userFolder = mkdtempSync(path.join(tmpdir(), 'n8n-e2e-user-'));
		this.filesFolder = mkdtempSync(path.join(tmpdir(), 'n8n-e2e-files-'));
		this.env = {
			...process.env,
			PATH: `${path.dirname(provisioned.node24)}:${path.dirname(provisioned.n8nBin)}:${process.env.PATH}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: 'e2e-fixed-encryption-key-not-a-secret',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_RESTRICT_FILE_ACCESS_TO: [this.filesFolder, path.join(ROOT, 'workflows/samples')].join(';'),
			N8N_LOG_LEVEL: 'info',
			// The jest process's own settings must not leak into n8n.
			NODE_OPTIONS: '',
			...extraEnv,
		};
		// jest sets NODE_ENV=test, which changes how n8n starts; a user's n8n never sees it.
		delete this.env.NODE_ENV;
		for (const key of Object.keys(this.env)) if (key.startsWith('JEST_')) delete this.env[key];
	}

	/** `npm pack`s this package and installs the tarball into ~/.n8n/nodes like n8n's installer. */
	installPackage(): string {
		const packDir = mkdtempSync(path.join(tmpdir(), 'n8n-e2e-pack-'));
		const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], {
			cwd: ROOT,
			encoding: 'utf8',
		})
			.trim()
			.split('\n')
			.pop()!;
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		mkdirSync(nodesDir, { recursive: true });
		writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
		// n8n's own installer leaves peers out too (n8n-workflow comes from n8n itself).
		execFileSync('npm', ['install', '--no-audit', '--no-fund', '--legacy-peer-deps', '--ignore-scripts', path.join(packDir, tarball)], {
			cwd: nodesDir,
			stdio: 'ignore',
		});
		rmSync(packDir, { recursive: true, force: true });
		return path.join(nodesDir, 'node_modules', JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name);
	}

	/**
	 * Starts an n8n command under its guard; `stop()` ends it with the others. `prefix` is a command
	 * that runs n8n in turn (and execs it, so the guard's group still holds n8n).
	 */
	spawnN8n(args: string[], env: NodeJS.ProcessEnv, prefix: string[] = []): ChildProcess {
		const [command, ...rest] = [...prefix, this.provisioned.n8nBin, ...args];
		const child = spawnGuarded(command, rest, { cwd: this.userFolder, env });
		this.processes.add(child);
		child.once('exit', () => this.processes.delete(child));
		return child;
	}

	/** Runs one n8n CLI command to completion. */
	async run(args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CommandResult> {
		const brokerPort = String(await freePort());
		return await new Promise((resolve, reject) => {
			const child = this.spawnN8n(args, { ...this.env, N8N_RUNNERS_BROKER_PORT: brokerPort, ...options.env });
			let stdout = '';
			let stderr = '';
			child.stdout!.on('data', (chunk) => (stdout += chunk));
			child.stderr!.on('data', (chunk) => (stderr += chunk));
			// The guard ends the command's whole group, SIGKILL after its grace time.
			const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 120_000);
			child.on('error', reject);
			child.on('close', (code) => {
				clearTimeout(timer);
				resolve({ code: code ?? -1, stdout, stderr });
			});
		});
	}

	async importCredentials(credentials: { id: string; name: string; type: string; data: Record<string, unknown> }[]) {
		const file = path.join(this.userFolder, 'credentials.json');
		writeFileSync(file, JSON.stringify(credentials));
		const result = await this.run(['import:credentials', `--input=${file}`]);
		if (result.code !== 0) throw new Error(`import:credentials failed: ${result.stdout}\n${result.stderr}`);
	}

	async importWorkflow(workflow: Record<string, unknown>) {
		await this.importWorkflows([workflow], `workflow-${String(workflow.id)}.json`);
	}

	/** Several workflows with one n8n command (each command starts n8n, which takes seconds). */
	async importWorkflows(workflows: Record<string, unknown>[], fileName = 'workflows.json') {
		const file = path.join(this.userFolder, fileName);
		writeFileSync(file, JSON.stringify(workflows));
		const result = await this.run(['import:workflow', `--input=${file}`]);
		if (result.code !== 0) throw new Error(`import:workflow failed: ${result.stdout}\n${result.stderr}`);
	}

	/** `n8n execute --id`; returns the run data n8n prints after its log lines. */
	async execute(id: string): Promise<{ code: number; data?: ExecutionOutput; output: string }> {
		const result = await this.run(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs: 300_000 });
		const lines = result.stdout.split('\n');
		// The run data is pretty-printed between a line `{` and a line `}`; log lines may follow.
		const start = lines.findIndex((line) => line === '{');
		const end = lines.findIndex((line, index) => index > start && line === '}');
		let data: ExecutionOutput | undefined;
		if (start >= 0 && end > start) {
			try {
				data = JSON.parse(lines.slice(start, end + 1).join('\n')) as ExecutionOutput;
			} catch {
				data = undefined;
			}
		}
		return { code: result.code, data, output: `${result.stdout}\n${result.stderr}` };
	}

	serverLog = '';
	private client?: N8nRest;

	/** Calls n8n's REST API as the owner (logged in on first use); GET unless a body is given. */
	async rest<T = unknown>(route: string, owner: Owner, body?: unknown): Promise<T> {
		return await this.restClient(owner).call<T>(route, body);
	}

	/** The REST client of the running server, logged in as the owner. */
	restClient(owner: Owner): N8nRest {
		this.client ??= new N8nRest(this.serverUrl, owner, this.provisioned.n8nDir);
		return this.client;
	}

	/** Points the REST client at a server started elsewhere (a queue-mode main); '' forgets it. */
	useServer(url: string) {
		this.serverUrl = url;
		this.client = undefined;
	}

	/** Publishes (activates) a workflow in the running server, as the editor's Publish button does. */
	async activate(workflowId: string, owner: Owner) {
		const { data } = await this.rest<{ data: { versionId: string } }>(`/rest/workflows/${workflowId}`, owner);
		await this.rest(`/rest/workflows/${workflowId}/activate`, owner, { versionId: data.versionId });
	}

	async deactivate(workflowId: string, owner: Owner) {
		await this.rest(`/rest/workflows/${workflowId}/deactivate`, owner, {});
	}

	/** The owner's personal project, where imported workflows and their Data Tables live. */
	private async projectId(owner: Owner): Promise<string> {
		return (await this.rest<{ data: { id: string } }>('/rest/projects/personal', owner)).data.id;
	}

	/** A Data Table of the owner's project by its exact name. */
	async dataTable(name: string, owner: Owner): Promise<DataTableSummary | undefined> {
		const filter = encodeURIComponent(JSON.stringify({ name }));
		const { data } = await this.rest<{ data: { data: DataTableSummary[] } }>(
			`/rest/projects/${await this.projectId(owner)}/data-tables?filter=${filter}&take=250`,
			owner,
		);
		return data.data.find((table) => table.name === name);
	}

	async createDataTable(name: string, columns: { name: string; type: string }[], owner: Owner): Promise<DataTableSummary> {
		const { data } = await this.rest<{ data: DataTableSummary }>(`/rest/projects/${await this.projectId(owner)}/data-tables`, owner, { name, columns });
		return data;
	}

	/** Every row of a Data Table, page by page (n8n serves at most 250 at a time). */
	async dataTableRows(name: string, owner: Owner): Promise<Record<string, unknown>[]> {
		const table = await this.dataTable(name, owner);
		if (!table) throw new Error(`No Data Table named ${name}`);
		const projectId = await this.projectId(owner);
		const rows: Record<string, unknown>[] = [];
		for (;;) {
			const { data } = await this.rest<{ data: { count: number; data: Record<string, unknown>[] } }>(
				`/rest/projects/${projectId}/data-tables/${table.id}/rows?take=250&skip=${rows.length}`,
				owner,
			);
			rows.push(...data.data);
			if (data.data.length === 0 || rows.length >= data.count) return rows;
		}
	}

	/** The executions of a workflow, newest first, with their status. */
	async executions(workflowId: string, owner: Owner) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const body = await this.rest<{ data?: { results?: ExecutionSummary[] } | ExecutionSummary[] }>(`/rest/executions?filter=${filter}&limit=50`, owner);
		const results = Array.isArray(body.data) ? body.data : (body.data?.results ?? []);
		return results.filter((execution) => String(execution.workflowId) === workflowId);
	}

	/** Starts n8n's server (once) with an owner account set from the environment. */
	async startServer(owner: Owner): Promise<string> {
		if (this.serverUrl) return this.serverUrl;
		const port = await freePort();
		const brokerPort = await freePort();
		const child = this.spawnN8n(['start'], {
			...this.env,
			...serverEnv(port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			...ownerEnv(owner, this.provisioned.n8nDir),
		});
		let log = '';
		const keep = (chunk: Buffer) => {
			log += chunk;
			// The last part of the server's log, for a failing test to show.
			this.serverLog = (this.serverLog + chunk).slice(-20_000);
		};
		child.stdout!.on('data', keep);
		child.stderr!.on('data', keep);
		const url = `http://127.0.0.1:${port}`;
		await waitForRest(url, child, () => log);
		this.serverUrl = url;
		return url;
	}

	/** Ends every n8n this instance started, with everything each started, and deletes its folders. */
	async stop() {
		await Promise.all([...this.processes].map((child) => endGuarded(child)));
		this.serverUrl = '';
		this.client = undefined;
		rmSync(this.userFolder, { recursive: true, force: true });
		rmSync(this.filesFolder, { recursive: true, force: true });
	}
}

/** n8n's REST API as the editor calls it: a session cookie from /rest/login, JSON in and out. */
export class N8nRest {
	private cookie = '';

	constructor(
		readonly url: string,
		readonly owner: Owner,
		/** The n8n installation, whose own `flatted` reads the run data it stores. */
		private readonly n8nDir: string,
	) {}

	/** GET unless a body is given, then POST. */
	async call<T = unknown>(route: string, body?: unknown): Promise<T> {
		if (!this.cookie) {
			const login = await fetch(`${this.url}/rest/login`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ emailOrLdapLoginId: this.owner.email, password: this.owner.password }),
			});
			if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
			this.cookie = login.headers
				.getSetCookie()
				.map((cookie) => cookie.split(';')[0])
				.join('; ');
		}
		const method = body === undefined ? 'GET' : 'POST';
		const send = () =>
			fetch(`${this.url}${route}`, {
				method,
				headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		// n8n may close a kept-alive connection just as the next request reuses it; a GET is asked again.
		const response = await send().catch((error: Error) => (method === 'GET' ? send() : Promise.reject(error)));
		if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
		return (await response.json()) as T;
	}

	/** Saves a new credential in the owner's personal project, as the editor does; returns its id. */
	async createCredential(name: string, type: string, data: Record<string, unknown>): Promise<string> {
		return (await this.call<{ data: { id: string } }>('/rest/credentials', { name, type, data })).data.id;
	}

	/** Saves a new workflow, as the editor's Save does; returns its id. */
	async createWorkflow(workflow: Record<string, unknown>): Promise<string> {
		return (await this.call<{ data: { id: string } }>('/rest/workflows', workflow)).data.id;
	}

	/**
	 * Runs a saved workflow from one of its triggers, as the editor's Execute Workflow button does,
	 * and waits until the run ended.
	 */
	async runManually(workflowId: string, trigger: string, timeoutMs = 180_000): Promise<FinishedRun> {
		const { data } = await this.call<{ data: { executionId?: string } }>(`/rest/workflows/${workflowId}/run`, {
			triggerToStartFrom: { name: trigger },
		});
		if (!data.executionId) throw new Error(`n8n started no run of ${workflowId}: ${JSON.stringify(data)}`);
		const flatted = require(require.resolve('flatted', { paths: [this.n8nDir] })) as { parse: (text: string) => ExecutionOutput['data'] };
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const { data: execution } = await this.call<{ data: { status: string; data: string } }>(`/rest/executions/${data.executionId}`);
			if (!['new', 'running'].includes(execution.status)) {
				return { id: data.executionId, status: execution.status, output: { status: execution.status, data: flatted.parse(execution.data) } };
			}
			if (Date.now() > deadline) throw new Error(`Run ${data.executionId} of ${workflowId} did not end in ${timeoutMs} ms`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}
}

export interface FinishedRun {
	id: string;
	status: string;
	/** Shaped like `n8n execute --rawOutput`'s, so the same readers apply. */
	output: ExecutionOutput;
}

export interface Owner {
	email: string;
	password: string;
}

export interface DataTableSummary {
	id: string;
	name: string;
	columns: { name: string; type: string }[];
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	startedAt?: string;
	stoppedAt?: string;
}

export interface ExecutionOutput {
	data?: { resultData?: { runData?: Record<string, { data?: { main?: { json: Record<string, unknown> }[][] }; error?: { message?: string } }[]>; error?: { message?: string } } };
	status?: string;
}
