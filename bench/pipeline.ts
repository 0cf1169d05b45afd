/**
 * 10,000 AQM evaluations from the local Five9 server to the local Assembled server through the
 * shipped scorecard workflow (its Test Run path: one day of the evaluation report, pushed), run by
 * n8n's engine. Prints wall time against the Assembled rate-limit floor for the requests made.
 * With 1,000 scores per request the 10 requests fit in Assembled's burst (floor 0 s), so the run is
 * repeated with 100 per request, where pacing dominates.
 *
 *   npx tsx bench/pipeline.ts [evaluations]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const folder = mkdtempSync(path.join(tmpdir(), 'pipeline-bench-'));
process.env.N8N_USER_FOLDER = folder;
process.env.N8N_LOG_LEVEL = 'silent';

async function main() {
	const { AQM_REPORT, AssembledMock, Five9Mock, agentsFor, aqmReport, defaultReports, makePeople, readWorkflow, runWorkflow } = await import('../test/harness');

	const count = Number(process.argv[2] ?? 10_000);
	const perMinute = 300;
	const burst = 20;
	const feed = { agents: agentsFor(makePeople(12)), everyMs: Math.floor(86_400_000 / count) };
	const five9 = await new Five9Mock({
		runningPolls: 1,
		reports: { ...defaultReports({ callSpacingSeconds: 600, digitalSpacingSeconds: 3600 }), [AQM_REPORT]: aqmReport(feed) },
	}).start();
	try {
		for (const batchSize of [1000, 100]) {
			const assembled = await new AssembledMock({ rateLimit: { perMinute, burst } }).start();
			try {
				const workflow = readWorkflow('aqm-to-assembled-scorecard.json');
				const push = workflow.nodes.find((node) => node.name === 'Push to Agent Scorecard')!;
				(push.parameters as Record<string, unknown>).batchSize = batchSize;
				const started = process.hrtime.bigint();
				const run = await runWorkflow(workflow, {
					credentials: { five9Api: five9.credentials(), assembledApi: { apiKey: 'sk_live_bench', baseUrl: assembled.url } },
				});
				const wall = Number(process.hrtime.bigint() - started) / 1e9;
				const read = run.json('Evaluations of the Last Day').length;
				const pushSeconds = (run.nodeRun('Push to Agent Scorecard').executionTime ?? 0) / 1000;
				const requests = assembled.countRequests({ path: '/v0/qa_scores/bulk' });
				const floor = Math.max(0, requests - burst) * (60 / perMinute);
				const unmatched = run.ran('Problems Summary') ? Number(run.json('Problems Summary')[0].unknown_agent_scores) : 0;
				console.log(`--- ${batchSize} scores per request ---`);
				console.log(`evaluations read          ${read}`);
				console.log(`wall time (workflow)      ${wall.toFixed(2)} s`);
				console.log(`push node time            ${pushSeconds.toFixed(2)} s`);
				console.log(`Assembled requests        ${requests}  (people lookup ${assembled.countRequests({ path: '/v0/people' })})`);
				console.log(`rate-limit floor          ${floor.toFixed(2)} s  (${requests} requests, ${perMinute}/min, burst ${burst})`);
				console.log(`ratio workflow/floor      ${floor > 0 ? (wall / floor).toFixed(3) : 'n/a (within the burst)'}`);
				console.log(`ratio push/floor          ${floor > 0 ? (pushSeconds / floor).toFixed(3) : 'n/a (within the burst)'}`);
				console.log(`429s received             ${assembled.countRequests({ status: 429 })}`);
				console.log(`scores stored             ${assembled.store.size}`);
				console.log(`held back (unknown agent) ${unmatched}`);
				console.log(`duplicates                ${assembled.duplicateReceipts}`);
				console.log(`run status                ${run.status}`);
			} finally {
				await assembled.stop();
			}
		}
	} finally {
		await five9.stop();
		rmSync(folder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
