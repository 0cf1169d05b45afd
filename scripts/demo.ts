/**
 * `npm run demo`: starts the local Assembled server, runs the shipped
 * "QA scores from a CSV file to Assembled" workflow through n8n's engine, and prints what landed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const folder = mkdtempSync(path.join(tmpdir(), 'five9-assembled-demo-'));
process.env.N8N_USER_FOLDER = folder;
process.env.N8N_LOG_LEVEL = 'silent';
process.env.N8N_RESTRICT_FILE_ACCESS_TO = path.join(root, 'workflows/samples');

async function main() {
	const { AssembledMock } = await import('../test/mocks/assembled');
	const { configure, readWorkflow, runWorkflow } = await import('../test/harness/engine');

	const assembled = await new AssembledMock().start();
	try {
		const sample = path.join(root, 'workflows/samples/qa-scores.csv');
		const workflow = configure(readWorkflow('qa-scores-file-to-assembled.json'), 'Configuration', (parameters) => {
			const assignments = (parameters.assignments as { assignments: { name: string; value: unknown }[] }).assignments;
			assignments.find((a) => a.name === 'filePath')!.value = sample;
		});
		console.log(`Local Assembled API on ${assembled.url}`);
		console.log(`Running "${workflow.name}" on ${path.relative(root, sample)} through the n8n engine…\n`);
		const started = Date.now();
		const run = await runWorkflow(workflow, {
			credentials: { assembledApi: { apiKey: 'sk_live_demo_key', baseUrl: assembled.url } },
		});
		const seconds = ((Date.now() - started) / 1000).toFixed(2);
		const pushed = run.json('Push QA Scores', 0);
		const toFix = run.json('Push QA Scores', 1);
		const count = (status: string) => pushed.filter((item) => item.status === status).length;
		console.log(`workflow status      ${run.status}`);
		console.log(`items in             ${pushed.length + toFix.length}`);
		console.log(`sent                 ${count('sent')}`);
		console.log(`duplicates skipped   ${count('duplicate')}`);
		console.log(`invalid              ${toFix.length}`);
		for (const item of toFix) console.log(`  - ${String(item.imported_id)}: ${String(item.error)}`);
		console.log(`requests made        ${assembled.requests.length}`);
		console.log(`scores stored        ${assembled.store.size}`);
		console.log(`time                 ${seconds} s`);
		console.log('\nStored in Assembled:');
		for (const score of assembled.store.values()) {
			console.log(`  ${score.imported_id}  ${score.agent_email}  ${score.score}/${score.max_score ?? 100}  ticket_created_at=${score.ticket_created_at}`);
		}
		if (run.status !== 'success') process.exitCode = 1;
	} finally {
		await assembled.stop();
		rmSync(folder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
