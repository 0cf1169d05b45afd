/**
 * Pushes N QA scores (default 100,000) through the Assembled node, run by n8n's engine, to the local
 * Assembled server enforcing 300 requests/min with bursts of 20. Prints the node's time against the
 * rate-limit floor for the same request count, measured in this run, where the time beyond the
 * floor goes (before the first request, after the last one left), and what the server received.
 *
 *   npx tsx bench/qa-push.ts [count] [mode]
 *
 * Modes, by what the node does with an invalid item:
 * - `continue` (default): On Error → Continue. Invalid items are reported whatever is sent, so a
 *   batch leaves as soon as it is read and checked: the run should take the floor.
 * - `stop`: no error output. Nothing may be sent while an item is invalid, so every item is checked
 *   before the first request.
 * - `errorOutput`: On Error → Continue (using error output). As `continue` for the node, but n8n's
 *   engine then routes the output items one `Array.shift` at a time (quadratic: seconds at 100,000
 *   items), and that is counted in the node's time too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const folder = mkdtempSync(path.join(tmpdir(), 'qa-push-bench-'));
process.env.N8N_USER_FOLDER = folder;
process.env.N8N_LOG_LEVEL = 'silent';

const MODES = {
	continue: 'continueRegularOutput',
	stop: undefined,
	errorOutput: 'continueErrorOutput',
} as const;

async function main() {
	const { AssembledMock, assembledNode, rowsInto, runWorkflow, scoreRows } = await import('../test/harness');

	const count = Number(process.argv[2] ?? 100_000);
	const mode = (process.argv[3] ?? 'continue') as keyof typeof MODES;
	if (!(mode in MODES)) throw new Error(`mode must be one of ${Object.keys(MODES).join(', ')}`);
	const perMinute = 300;
	const burst = 20;
	const mock = await new AssembledMock({ rateLimit: { perMinute, burst } }).start();
	try {
		const rows = scoreRows(count, mock.people, 'bench');
		const workflow = rowsInto(
			rows,
			assembledNode(
				{ resource: 'qaScore', operation: 'createMany', source: 'custom', options: { dryRun: process.env.BENCH_DRY_RUN === '1' } },
				MODES[mode],
			),
		);
		const started = process.hrtime.bigint();
		const run = await runWorkflow(workflow, { credentials: { assembledApi: { apiKey: 'sk_live_bench', baseUrl: mock.url } } });
		const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
		const nodeRun = run.nodeRun('Node Under Test');
		const pushSeconds = (nodeRun.executionTime ?? 0) / 1000;
		const bulk = mock.requests.filter((request) => request.path === '/v0/qa_scores/bulk');
		const requests = bulk.length;
		// The fastest any client can go: the burst at once, then one request per 60/perMinute s.
		const floorSeconds = Math.max(0, requests - burst) * (60 / perMinute);
		// Where the node's time beyond the floor goes: before the first request, and after the last one left.
		const nodeStart = nodeRun.startTime ?? 0;
		const lead = requests ? (bulk[0].at - nodeStart) / 1000 : 0;
		const tail = requests ? (nodeStart + (nodeRun.executionTime ?? 0) - bulk[requests - 1].at) / 1000 : 0;
		const outputs = run.status === 'success' ? (nodeRun.data?.main ?? []).flat().filter((item) => item !== null) : [];
		const failed = run.status === 'success' ? outputs.filter((item) => item.json.error !== undefined).length : count;
		console.log(`mode                   ${mode}  (node On Error: ${MODES[mode] ?? 'stop workflow'})`);
		console.log(`scores                 ${count}`);
		console.log(`requests               ${requests}`);
		console.log(`wall time (workflow)   ${wallSeconds.toFixed(2)} s`);
		console.log(`node time (push)       ${pushSeconds.toFixed(2)} s`);
		console.log(`rate-limit floor       ${floorSeconds.toFixed(2)} s  (${requests} requests, ${perMinute}/min, burst ${burst})`);
		console.log(`first request after    ${lead.toFixed(2)} s  (node start → first request)`);
		console.log(`after last request     ${tail.toFixed(2)} s  (last request sent → node done)`);
		console.log(`ratio node/floor       ${(pushSeconds / floorSeconds).toFixed(3)}  (target <= 1.02)`);
		console.log(`ratio workflow/floor   ${(wallSeconds / floorSeconds).toFixed(3)}`);
		console.log(`429s received          ${mock.countRequests({ status: 429 })}  (target 0)`);
		console.log(`scores stored          ${mock.store.size}  (lost: ${count - mock.store.size})`);
		console.log(`duplicates             ${mock.duplicateReceipts}`);
		console.log(`items failed           ${failed}`);
		console.log(`run status             ${run.status}`);
	} finally {
		await mock.stop();
		rmSync(folder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
