/**
 * Pushes N QA scores (default 100,000) through the Assembled node, run by n8n's engine, to the local
 * Assembled server enforcing 300 requests/min with bursts of 20. Prints the wall time against the
 * rate-limit floor for the same request count, measured in this run.
 *
 *   npx tsx bench/qa-push.ts [count] [mapping: custom|auto]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const folder = mkdtempSync(path.join(tmpdir(), 'qa-push-bench-'));
process.env.N8N_USER_FOLDER = folder;
process.env.N8N_LOG_LEVEL = 'silent';

async function main() {
	const { AssembledMock, assembledNode, rowsInto, runWorkflow, scoreRows } = await import('../test/harness');

	const count = Number(process.argv[2] ?? 100_000);
	const perMinute = 300;
	const burst = 20;
	const mock = await new AssembledMock({ rateLimit: { perMinute, burst } }).start();
	try {
		const rows = scoreRows(count, mock.people, 'bench');
		const workflow = rowsInto(
			rows,
			// No error output: n8n's engine routes error-output items with Array.shift, quadratic at 100k items.
			assembledNode({ resource: 'qaScore', operation: 'createMany', source: 'custom', options: { dryRun: process.env.BENCH_DRY_RUN === '1' } }),
		);
		const started = process.hrtime.bigint();
		const run = await runWorkflow(workflow, { credentials: { assembledApi: { apiKey: 'sk_live_bench', baseUrl: mock.url } } });
		const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
		const nodeRun = run.nodeRun('Node Under Test');
		const pushSeconds = (nodeRun.executionTime ?? 0) / 1000;
		const requests = mock.countRequests({ path: '/v0/qa_scores/bulk' });
		// The fastest any client can go: the burst at once, then one request per 60/perMinute s.
		const floorSeconds = Math.max(0, requests - burst) * (60 / perMinute);
		const failed = run.status === 'success' ? 0 : count;
		console.log(`scores                 ${count}`);
		console.log(`requests               ${requests}`);
		console.log(`wall time (workflow)   ${wallSeconds.toFixed(2)} s`);
		console.log(`node time (push)       ${pushSeconds.toFixed(2)} s`);
		console.log(`rate-limit floor       ${floorSeconds.toFixed(2)} s  (${requests} requests, ${perMinute}/min, burst ${burst})`);
		console.log(`ratio node/floor       ${(pushSeconds / floorSeconds).toFixed(3)}  (target <= 1.05)`);
		console.log(`ratio workflow/floor   ${(wallSeconds / floorSeconds).toFixed(3)}`);
		console.log(`429s received          ${mock.countRequests({ status: 429 })}  (target 0)`);
		console.log(`scores stored          ${mock.store.size}`);
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
