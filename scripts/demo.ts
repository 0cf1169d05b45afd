/**
 * `npm run demo`: the flagship pipeline end to end. A local Five9 server serves an AQM evaluation
 * report, a local Assembled server receives scores; the shipped scorecard workflow runs through
 * n8n's engine twice — the second poll finds nothing new and pushes nothing — and the outcome is
 * printed from what the Assembled server stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const folder = mkdtempSync(path.join(tmpdir(), 'five9-assembled-demo-'));
process.env.N8N_USER_FOLDER = folder;
process.env.N8N_LOG_LEVEL = 'silent';

async function main() {
	const { AssembledMock, Five9Mock, configure, pollAndRun, readWorkflow } = await import('../test/harness');

	const five9 = await new Five9Mock({ runningPolls: 1 }).start();
	const assembled = await new AssembledMock().start();
	const started = Date.now();
	try {
		console.log(`Local Five9 (SOAP) on ${five9.url}, local Assembled API on ${assembled.url}`);
		// As a user would on first activation: include the last day of evaluations.
		const workflow = configure(readWorkflow('aqm-to-assembled-scorecard.json'), 'New Evaluations', (parameters) => {
			(parameters.options as Record<string, unknown>).backfillDays = 1;
		});
		console.log(`Workflow "${workflow.name}" through the n8n engine\n`);
		const credentials = {
			five9Api: five9.credentials(),
			assembledApi: { apiKey: 'sk_live_demo_key', baseUrl: assembled.url },
		};
		const staticData = {};
		let evaluationsRead = 0;
		let unmatched: string[] = [];
		for (const round of [1, 2]) {
			// As n8n does while the workflow is active: poll, run with what the trigger emitted, report back.
			const { poll, run } = await pollAndRun(workflow, 'New Evaluations', { credentials, staticData });
			const items = poll.result?.[0] ?? [];
			evaluationsRead += items.length;
			if (!run) {
				console.log(`run ${round}: the trigger found no new evaluation; nothing to push`);
				continue;
			}
			const sent = run.ran('Scores Sent') ? run.json('Scores Sent').length : 0;
			const summary = run.ran('Problems Summary') ? run.json('Problems Summary')[0] : undefined;
			unmatched = (summary?.unknown_agents as string[] | undefined) ?? [];
			console.log(`run ${round}: ${items.length} new evaluations, ${sent} scores sent, ${summary?.unknown_agent_scores ?? 0} held back (unknown agents) — ${run.status}`);
		}
		console.log('');
		console.log(`evaluations read            ${evaluationsRead}`);
		console.log(`scores stored in Assembled  ${assembled.store.size}`);
		console.log(`unmatched agents            ${unmatched.length ? unmatched.join(', ') : 'none'}`);
		console.log(`duplicates                  ${assembled.duplicateReceipts}`);
		console.log(`Five9 report runs           ${five9.calls('runReport').length}`);
		console.log(`Assembled requests          ${assembled.requests.length}`);
		console.log(`time                        ${((Date.now() - started) / 1000).toFixed(2)} s`);
		const [sample] = assembled.store.values();
		if (sample) console.log(`\nOne stored score: ${JSON.stringify(sample)}`);
	} finally {
		await five9.stop();
		await assembled.stop();
		rmSync(folder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
