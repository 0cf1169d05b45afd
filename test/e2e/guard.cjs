/**
 * Runs one command (n8n, Redis, Postgres) in a process group of its own and ends the whole group
 * (n8n and its task runner, Postgres and its backends) when asked to (SIGTERM, SIGINT, SIGHUP; at
 * once with SIGKILL on SIGUSR2) or when whoever started it is gone: its stdin is a pipe from that
 * process, which the system closes however that process ends, even by SIGKILL.
 * Exits with the command's exit code once nothing of the group is left.
 *
 *   node guard.cjs <graceMs> <command> [args…]
 */
const { spawn } = require('node:child_process');

const [grace, command, ...args] = process.argv.slice(2);
const graceMs = Number(grace);
// detached: the command leads a new process group, so one signal reaches everything it starts.
const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
// Its output passes through here: once whoever reads it is gone, the output is dropped, where n8n
// itself would fail writing its shutdown log to a closed pipe and hang until killed.
for (const [from, to] of [
	[child.stdout, process.stdout],
	[child.stderr, process.stderr],
]) {
	let open = true;
	to.on('error', () => (open = false));
	from.on('data', (chunk) => open && to.write(chunk));
}

const signalGroup = (signal) => {
	try {
		process.kill(-child.pid, signal);
		return true;
	} catch {
		return false;
	}
};

let ending = false;
function end() {
	if (ending) return;
	ending = true;
	signalGroup('SIGTERM');
	setTimeout(() => signalGroup('SIGKILL'), graceMs).unref();
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, end);
// A crash on request: the group gets no chance to shut down, as under an OOM kill.
process.on('SIGUSR2', () => {
	ending = true;
	signalGroup('SIGKILL');
});
process.stdin.on('end', end);
process.stdin.on('error', end);
process.stdin.resume();

child.on('error', (error) => {
	console.error(`guard: cannot start ${command}: ${error.message}`);
	process.exit(127);
});

child.on('exit', async (code, signal) => {
	// What the command left behind (a task runner whose parent died first) goes with it.
	signalGroup('SIGKILL');
	// Until the group is empty; bounded, since an orphan's zombie may never be reaped here.
	for (let waited = 0; waited < 5000 && signalGroup(0); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
	process.exit(code ?? 128 + (require('node:os').constants.signals[signal] ?? 0));
});
