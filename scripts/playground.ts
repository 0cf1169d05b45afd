/**
 * A real n8n to try the package in without a Five9 or Assembled account: the cached n8n of the
 * end-to-end test with this package installed from its build, the local Five9 and Assembled
 * servers, credentials already pointing at them, and every template imported. Prints the editor
 * URL and the login; Ctrl-C stops everything it started.
 *
 *   npm run playground
 *
 * Unlike production: the vendors are local stand-ins with made-up data, the credentials hold test
 * keys, n8n keeps its data in a temporary folder that is deleted on exit, and nothing is activated.
 */
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { N8nInstance, ROOT, provision } from '../test/e2e/n8n';

const OWNER = { email: 'playground@example.com', password: 'Playground-Passw0rd!' };
const ASSEMBLED_KEY = 'sk_live_playground_key_0001';
const CTI = { trustToken: 'playground-trust-token-0123456789abcdef', apiKey: 'playground-cti-api-key' };

interface WorkflowFile {
	id: string;
	name: string;
	nodes: { name: string; parameters: Record<string, unknown> }[];
	[key: string]: unknown;
}

/** Points a template's files folder at the one this n8n may use, as a user would set it. */
function useFolder(workflow: WorkflowFile, folder: string) {
	const configuration = workflow.nodes.find((node) => node.name === 'Configuration');
	const assignments = (configuration?.parameters.assignments as { assignments?: { name: string; value: unknown }[] } | undefined)?.assignments;
	const filesFolder = assignments?.find((assignment) => assignment.name === 'filesFolder');
	if (filesFolder) filesFolder.value = folder;
}

async function main() {
	console.log('Preparing n8n (the first time installs it, which takes several minutes)…');
	const n8n = new N8nInstance(provision());
	const { AssembledMock, Five9Mock } = await import('../test/harness/index');
	const assembled = await new AssembledMock({ validKeys: [ASSEMBLED_KEY] }).start();
	const five9 = await new Five9Mock({ runningPolls: 1 }).start();
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the local servers…');
		// Waits until every n8n process (and its task runner) has ended; each runs under a guard that
		// also ends it if this process is killed before it gets here.
		await n8n.stop();
		await assembled.stop();
		await five9.stop();
		console.log('Stopped.');
		process.exit(code);
	};
	// Ctrl-C, `kill`, and a closed terminal.
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(0));
	try {
		n8n.installPackage();
		for (const sample of readdirSync(path.join(ROOT, 'workflows', 'samples'))) {
			copyFileSync(path.join(ROOT, 'workflows', 'samples', sample), path.join(n8n.filesFolder, sample));
		}
		await n8n.importCredentials([
			{ id: 'assembledCred1', name: 'Assembled account', type: 'assembledApi', data: { apiKey: ASSEMBLED_KEY, baseUrl: assembled.url, apiVersion: '2019-06-20' } },
			{ id: 'five9Cred1', name: 'Five9 account', type: 'five9Api', data: five9.credentials() },
			{ id: 'five9CtiCred1', name: 'Five9 CTI account', type: 'five9CtiApi', data: CTI },
		]);
		const files = readdirSync(path.join(ROOT, 'workflows')).filter((file) => file.endsWith('.json'));
		const workflows = files.map((file) => {
			const workflow = JSON.parse(readFileSync(path.join(ROOT, 'workflows', file), 'utf8')) as WorkflowFile;
			useFolder(workflow, n8n.filesFolder);
			return { ...workflow, active: false };
		});
		await n8n.importWorkflows(workflows);
		const url = await n8n.startServer(OWNER);
		console.log('');
		console.log(`n8n with n8n-nodes-five9-assembled: ${url}`);
		console.log(`  login            ${OWNER.email} / ${OWNER.password}`);
		console.log(`  workflows        ${files.length} templates, credentials set for the local servers`);
		console.log(`  local Five9      ${five9.url} (user ${String(five9.credentials().username)})`);
		console.log(`  local Assembled  ${assembled.url} (key ${ASSEMBLED_KEY})`);
		console.log(`  files folder     ${n8n.filesFolder} (samples copied there)`);
		console.log(`  n8n user folder  ${n8n.userFolder} (deleted on exit)`);
		console.log('Ctrl-C stops everything.');
	} catch (error) {
		console.error(error);
		await stop(1);
	}
}

void main();
