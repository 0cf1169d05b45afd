/**
 * `npm run playground` as a user runs it: started as a terminal job (a process group of its own),
 * used through n8n's REST API with the URL and login it prints, then stopped with Ctrl-C (SIGINT to
 * the whole job), after which nothing it started may be left: no process, no open port, no n8n
 * user folder. It starts its own n8n, so it has a file of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';

import { N8nRest, ROOT, provision, type ExecutionOutput } from './n8n';

interface Printed {
	url: string;
	email: string;
	password: string;
	five9Url: string;
	assembledUrl: string;
	userFolder: string;
}

/** What the playground prints once n8n is up; undefined until all of it is there. */
function printed(output: string): Printed | undefined {
	const find = (pattern: RegExp) => pattern.exec(output)?.slice(1);
	const url = find(/n8n with n8n-nodes-five9-assembled: (http:\/\/\S+)/);
	const login = find(/login\s+(\S+@\S+) \/ (\S+)/);
	const five9 = find(/local Five9\s+(http:\/\/\S+)/);
	const assembled = find(/local Assembled\s+(http:\/\/\S+)/);
	const userFolder = find(/n8n user folder\s+(\S+)/);
	if (!url || !login || !five9 || !assembled || !userFolder || !output.includes('Ctrl-C stops everything')) return undefined;
	return { url: url[0], email: login[0], password: login[1], five9Url: five9[0], assembledUrl: assembled[0], userFolder: userFolder[0] };
}

/** Live (not zombie) processes, from /proc: the end-to-end test runs on Linux only. */
function liveProcesses(): { pid: number; pgid: number; environ: string; cmdline: string }[] {
	const found = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			// "pid (command) state ppid pgrp …"; the command may hold spaces and parentheses.
			const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (state === 'Z' || state === 'X') continue;
			found.push({
				pid: Number(entry),
				pgid: Number(pgrp),
				environ: readFileSync(`/proc/${entry}/environ`, 'utf8'),
				cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '),
			});
		} catch {
			// ended while being read
		}
	}
	return found;
}

async function portOpen(url: string): Promise<boolean> {
	const { hostname, port } = new URL(url);
	return await new Promise((resolve) => {
		const socket = connect({ host: hostname, port: Number(port) });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** Whether a child process has ended, or ends within the time given. */
async function exitWithin(child: ChildProcess, ms: number): Promise<boolean> {
	if (child.exitCode !== null || child.signalCode !== null) return true;
	return await new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), ms);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}

const runData = (output: ExecutionOutput, node: string, index = 0) =>
	output.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[index]?.map((item) => item.json) ?? [];

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, log: () => string): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}\n--- playground output ---\n${log().slice(-6000)}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

test('npm run playground: the templates and credentials are there, a template runs, Ctrl-C leaves nothing running', async () => {
	// The cache is made ready first, so the playground's start below is a warm one.
	const { n8nDir } = provision();
	const env: NodeJS.ProcessEnv = { ...process.env };
	delete env.NODE_ENV;
	for (const key of Object.keys(env)) if (key.startsWith('JEST_')) delete env[key];
	// detached: a process group of its own, like a job a shell runs in a terminal.
	const job = spawn('npm', ['run', 'playground'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	job.stdout.on('data', (chunk) => (output += chunk));
	job.stderr.on('data', (chunk) => (output += chunk));
	const log = () => output;
	let shown: Printed;
	let stopped = false;
	try {
		shown = await waitFor('the playground to print its URL', () => printed(output), 15 * 60_000, log);
		const api = new N8nRest(shown.url, { email: shown.email, password: shown.password }, n8nDir);

		// Every template, under its own id and name.
		const templates = readdirSync(path.join(ROOT, 'workflows'))
			.filter((file) => file.endsWith('.json'))
			.map((file) => JSON.parse(readFileSync(path.join(ROOT, 'workflows', file), 'utf8')) as { id: string; name: string; nodes: { credentials?: Record<string, { id: string }> }[] });
		const { data: workflows } = await api.call<{ data: { id: string; name: string; active: boolean }[] }>('/rest/workflows');
		const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
		expect(workflows.map(({ id, name }) => ({ id, name })).sort(byId)).toEqual(templates.map(({ id, name }) => ({ id, name })).sort(byId));
		expect(workflows.every((workflow) => !workflow.active)).toBe(true);

		// Every credential a template names, under that id and type, except mail: there is no local mail server.
		const { data: credentials } = await api.call<{ data: { id: string; name: string; type: string }[] }>('/rest/credentials');
		const named = new Map(templates.flatMap((t) => t.nodes.flatMap((node) => Object.entries(node.credentials ?? {}).map(([type, { id }]) => [id, type] as const))));
		named.delete('smtpCred1');
		expect(credentials.map(({ id, type }) => [id, type]).sort()).toEqual([...named].sort());

		// The scorecard's Test Run path through the REST API: evaluations from the local Five9, scores
		// to the local Assembled, the one agent Assembled does not know reported.
		const run = await api.runManually('aqmScorecard0001', 'Test Run');
		expect(run.status).toBe('success');
		const read = runData(run.output, 'Evaluations of the Last Day');
		expect(read.length).toBeGreaterThan(0);
		const sent = runData(run.output, 'Scores Sent');
		const temp = read.filter((evaluation) => evaluation.agent_name === 'Temp Agent');
		expect(sent).toHaveLength(read.length - temp.length);
		expect(sent.every((item) => item.status === 'sent' && item.httpStatus === 200)).toBe(true);
		expect(runData(run.output, 'Problems Summary')[0]?.unknown_agents).toEqual(temp.length ? ['Temp Agent'] : []);
	} finally {
		// Ctrl-C in a terminal: SIGINT to every process of the job at once.
		if (job.pid !== undefined && job.exitCode === null) process.kill(-job.pid, 'SIGINT');
		stopped = await exitWithin(job, 90_000);
		// Only if it hangs: its n8n guards end n8n once their parent is gone.
		if (!stopped && job.pid !== undefined) process.kill(-job.pid, 'SIGKILL');
	}

	expect({ stoppedWithin90s: stopped, said: output.includes('Stopped.') }).toEqual({ stoppedWithin90s: true, said: true });
	const left = liveProcesses().filter((p) => p.pgid === job.pid || p.environ.split('\0').includes(`N8N_USER_FOLDER=${shown.userFolder}`));
	expect(left.map((p) => `${p.pid} ${p.cmdline}`)).toEqual([]);
	for (const url of [shown.url, shown.five9Url, shown.assembledUrl]) expect({ url, open: await portOpen(url) }).toEqual({ url, open: false });
	expect(existsSync(shown.userFolder)).toBe(false);
}, 25 * 60_000);

test('a guarded command and all it started end when whoever started it is killed, SIGKILL after the grace time', async () => {
	const mark = `GUARD_TEST_${process.pid}_${Date.now()}`;
	// Ignores SIGTERM, as a hung n8n would, and starts a child of its own, as n8n starts its task runner.
	const command = "require('node:child_process').spawn('sleep', ['300'], { stdio: 'ignore' }); process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)";
	const starter = `const guard = require('node:child_process').spawn(process.execPath, [${JSON.stringify(path.join(__dirname, 'guard.cjs'))}, '1000', process.execPath, '-e', ${JSON.stringify(command)}], { stdio: ['pipe', 'inherit', 'inherit'] }); setInterval(() => {}, 1000)`;
	const parent = spawn(process.execPath, ['-e', starter], { env: { ...process.env, [mark]: '1' }, stdio: 'ignore' });
	const marked = () => liveProcesses().filter((p) => p.pid !== parent.pid && p.environ.split('\0').includes(`${mark}=1`));
	const log = () => marked().map((p) => `${p.pid} ${p.cmdline}`).join('\n');
	// The guard, the command and its child.
	await waitFor('the guarded command and its child', () => (marked().length === 3 ? true : undefined), 30_000, log);
	parent.kill('SIGKILL');
	await exitWithin(parent, 5000);
	await waitFor('nothing of the guarded command left', () => (marked().length === 0 ? true : undefined), 15_000, log);
}, 60_000);
