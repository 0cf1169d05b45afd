/**
 * Pushes N conversations (default 50,000) through Conversation → Create Many, run by n8n's engine,
 * to the local Assembled server enforcing 300 requests/min with bursts of 20. Agents are given by
 * email, as the Five9 call-log template gives them, so the run also reads Assembled People once.
 * Prints the wall time against the rate-limit floor for the same request count, measured in this
 * run, and what the server received: 429s, conversations lost and stored twice.
 *
 *   npx tsx bench/conversations-push.ts [count] [batch size]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const folder = mkdtempSync(path.join(tmpdir(), 'conversations-push-bench-'));
process.env.N8N_USER_FOLDER = folder;
process.env.N8N_LOG_LEVEL = 'silent';

async function main() {
	const { AssembledMock, assembledNode, rowsInto, runWorkflow } = await import('../test/harness');
	const { extraReceipts, ingestOf } = await import('../test/mocks/assembled-ingest');

	const count = Number(process.argv[2] ?? 50_000);
	const batchSize = process.argv[3] ? Number(process.argv[3]) : undefined;
	const perMinute = 300;
	const burst = 20;
	const mock = await new AssembledMock({ rateLimit: { perMinute, burst } }).start();
	try {
		const agents = mock.people.filter((person) => !person.deleted && person.email);
		const start = Date.UTC(2026, 2, 2, 8) / 1000;
		const rows = Array.from({ length: count }, (_, n) => {
			const created = start + n * 7;
			const abandoned = n % 9 === 4;
			return {
				import_id: `five9-call-${300000000000000 + n}`,
				created_at: new Date(created * 1000).toISOString(),
				channel: 'phone',
				status: abandoned ? 'abandoned' : 'solved',
				agent_email: abandoned ? '' : agents[n % agents.length].email,
				handle_time: abandoned ? 0 : 60 + (n % 900),
				first_responded_at: abandoned ? null : created + 20,
				solved_at: abandoned ? null : created + 80 + (n % 900),
				tags: ['Support Inbound', n % 2 ? 'Inbound' : 'Outbound'],
			};
		});
		const workflow = rowsInto(
			rows,
			// No error output: n8n's engine routes error-output items with Array.shift, quadratic at this size.
			{
				...assembledNode({
					resource: 'conversation',
					operation: 'createMany',
					channel: '={{ $json.channel }}',
					status: '={{ $json.status }}',
					options: { dryRun: process.env.BENCH_DRY_RUN === '1' },
					advanced: batchSize ? { batchSize } : {},
				}),
				typeVersion: 1.1,
			},
		);
		const started = process.hrtime.bigint();
		const startedAt = Date.now();
		const run = await runWorkflow(workflow, { credentials: { assembledApi: { apiKey: 'sk_live_bench', baseUrl: mock.url } } });
		const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
		const nodeRun = run.nodeRun('Node Under Test');
		const pushSeconds = (nodeRun.executionTime ?? 0) / 1000;
		const store = ingestOf(mock);
		const bulkRequests = mock.countRequests({ path: '/v0/conversations/bulk' });
		// Every request counts against the limit, the people page included.
		const requests = mock.requests.length;
		// The fastest any client can go: the burst at once, then one request per 60/perMinute s.
		const floorSeconds = Math.max(0, requests - burst) * (60 / perMinute);
		// Reading and validating every item comes before the first request; then the pacing alone.
		const firstAt = mock.requests[0]?.at ?? startedAt;
		const lastAt = mock.requests[mock.requests.length - 1]?.at ?? startedAt;
		const outputs = run.json('Node Under Test');
		const sent = outputs.filter((item) => item.status === 'sent').length;
		const lost = count - store.conversations.size;
		console.log(`conversations          ${count}`);
		console.log(`requests               ${requests}  (${bulkRequests} bulk, ${requests - bulkRequests} people)`);
		console.log(`wall time (workflow)   ${wallSeconds.toFixed(2)} s`);
		console.log(`node time (push)       ${pushSeconds.toFixed(2)} s`);
		console.log(`rate-limit floor       ${floorSeconds.toFixed(2)} s  (${requests} requests, ${perMinute}/min, burst ${burst})`);
		console.log(`ratio node/floor       ${(pushSeconds / floorSeconds).toFixed(3)}  (target <= 1.05)`);
		console.log(`ratio workflow/floor   ${(wallSeconds / floorSeconds).toFixed(3)}`);
		console.log(`first request after    ${((firstAt - startedAt) / 1000).toFixed(2)} s  (engine start, reading and validating the items)`);
		console.log(`first to last request  ${((lastAt - firstAt) / 1000).toFixed(2)} s  (ratio to floor ${((lastAt - firstAt) / 1000 / floorSeconds).toFixed(3)})`);
		console.log(`429s received          ${mock.countRequests({ status: 429 })}  (target 0)`);
		console.log(`items sent             ${sent}`);
		console.log(`conversations stored   ${store.conversations.size}`);
		console.log(`lost                   ${lost}  (target 0)`);
		console.log(`duplicated             ${extraReceipts(store.conversationReceipts)}  (target 0)`);
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
