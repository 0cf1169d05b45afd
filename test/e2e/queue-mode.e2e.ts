/**
 * End to end in n8n's queue mode: one main, two workers, Redis and Postgres (test/e2e/queue.ts),
 * with the packed package installed once in the user folder they share. Credentials and workflows
 * are created through main's REST API; manual runs are offloaded to the workers, and each worker's
 * log tells which one ran an execution. One cluster serves every test of this file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { AssembledMock, makePeople } from '../mocks/assembled';
import { ROOT, provision, type ExecutionOutput } from './n8n';
import { QueueCluster } from './queue';

const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name as string;
const OWNER = { email: 'e2e-owner@example.com', password: 'E2e-owner-Passw0rd!' };
const ASSEMBLED_KEY = 'sk_live_e2e_queue_key_8d2e41';
const MANUAL_TRIGGER = { id: 'manual', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

interface NewNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

/** A workflow as the editor saves a new one: a Manual Trigger, then the given nodes in a row. */
function newWorkflow(name: string, nodes: NewNode[]) {
	const chain = [MANUAL_TRIGGER, ...nodes.map((node, index) => ({ id: `node${index}`, position: [240 * (index + 1), 0], ...node }))];
	const connections = Object.fromEntries(chain.slice(0, -1).map((node, index) => [node.name, { main: [[{ node: chain[index + 1].name, type: 'main', index: 0 }]] }]));
	return { name, nodes: chain, connections, settings: { executionOrder: 'v1' } };
}

const runData = (output: ExecutionOutput, node: string, index = 0) =>
	output.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[index]?.map((item) => item.json) ?? [];

let cluster: QueueCluster;
let assembled: AssembledMock;
let assembledCredential: Record<string, { id: string; name: string }>;

/** Runs a check and, when it fails, adds the end of every n8n log to its message. */
async function withLogs<T>(check: () => Promise<T>): Promise<T> {
	try {
		return await check();
	} catch (error) {
		(error as Error).message += `\n${cluster.logTail()}`;
		throw error;
	}
}

beforeAll(async () => {
	cluster = new QueueCluster(provision());
	assembled = await new AssembledMock({ validKeys: [ASSEMBLED_KEY] }).start();
	cluster.n8n.installPackage();
	const timings = await cluster.start(OWNER);
	// CI time matters: the log shows what the cluster cost.
	console.log(`queue mode ready in ${timings.total} ms: ${JSON.stringify(timings)}`);
	const name = 'Assembled account';
	const id = await cluster.rest.createCredential(name, 'assembledApi', { apiKey: ASSEMBLED_KEY, baseUrl: assembled.url, apiVersion: '2019-06-20' });
	assembledCredential = { assembledApi: { id, name } };
}, 10 * 60_000);

afterAll(async () => {
	await cluster?.stop();
	await assembled?.stop();
});

describe('queue mode: main and two workers', () => {
	beforeEach(() => assembled.clear());

	test('a manual run of an Assembled node runs on a worker, not on main, each of two times', async () => {
		await withLogs(async () => {
			const id = await cluster.rest.createWorkflow(
				newWorkflow('Queue smoke: Assembled people', [
					{ name: 'Assembled', type: `${PACKAGE}.assembled`, typeVersion: 1.1, parameters: { resource: 'person', operation: 'getMany', returnAll: true }, credentials: assembledCredential },
				]),
			);
			const people = makePeople(12).filter((person) => !person.deleted);
			const ran: string[] = [];
			for (const round of [1, 2]) {
				const run = await cluster.rest.runManually(id, 'Manual Trigger');
				expect({ round, status: run.status, error: run.output.data?.resultData?.error }).toEqual({ round, status: 'success', error: undefined });
				expect(runData(run.output, 'Assembled').map((person) => person.id).sort()).toEqual(people.map((person) => person.id).sort());
				// Main put it on the queue; a worker took it from there.
				expect(cluster.log('main')).toMatch(new RegExp(`Enqueued execution ${run.id} \\(job`));
				const worker = await cluster.workerOf(run.id);
				expect(cluster.workerNames).toContain(worker);
				ran.push(worker!);
			}
			expect(assembled.requests.filter((request) => request.path === '/v0/people' && request.status === 200).length).toBeGreaterThanOrEqual(2);
			console.log(`queue smoke: runs went to ${ran.join(', ')}`);
		});
	}, 5 * 60_000);
});
