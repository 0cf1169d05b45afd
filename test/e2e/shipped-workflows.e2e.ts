/**
 * End to end in a real n8n: the packed package installed into n8n's nodes folder, credentials and
 * every shipped workflow imported with n8n's CLI, each workflow run headless with `n8n execute`,
 * and the outcome read from the local vendor servers. Then the editor is opened in headless
 * Chromium and every node must show its own icon.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { AssembledMock } from '../mocks/assembled';
import { Five9Mock } from '../mocks/five9';
import { N8nInstance, ROOT, provision, type ExecutionOutput } from './n8n';

const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name as string;
const ASSEMBLED_KEY = 'sk_live_e2e_key_5f2b9c';
const SCREENSHOTS = path.join(ROOT, 'test-results', 'e2e');

interface Context {
	n8n: N8nInstance;
	assembled: AssembledMock;
	five9: Five9Mock;
}

interface Case {
	/** Edits a user makes after importing (Configuration node values). */
	configure?: (workflow: WorkflowFile, context: Context) => void;
	before?: (context: Context) => void;
	check: (output: ExecutionOutput, context: Context) => void;
}

interface WorkflowFile {
	id: string;
	name: string;
	nodes: { name: string; type: string; parameters: Record<string, unknown> }[];
	[key: string]: unknown;
}

function setConfiguration(workflow: WorkflowFile, values: Record<string, unknown>) {
	const node = workflow.nodes.find((n) => n.name === 'Configuration');
	if (!node) throw new Error(`${workflow.name} has no Configuration node`);
	const assignments = (node.parameters.assignments as { assignments: { name: string; value: unknown }[] }).assignments;
	for (const [name, value] of Object.entries(values)) {
		const assignment = assignments.find((a) => a.name === name);
		if (!assignment) throw new Error(`Configuration has no ${name}`);
		assignment.value = value;
	}
}

const runData = (output: ExecutionOutput, node: string, index = 0) =>
	output.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[index]?.map((item) => item.json) ?? [];

const filesIn = (folder: string) => (existsSync(folder) ? readdirSync(folder) : []);
const five9Folder = ({ n8n }: Context) => path.join(n8n.filesFolder, 'five9');
/** An empty output folder for one workflow's files. */
const freshFive9Folder = (context: Context) => {
	rmSync(five9Folder(context), { recursive: true, force: true });
	mkdirSync(five9Folder(context), { recursive: true });
	return five9Folder(context);
};
const reportRuns = ({ five9 }: Context) => five9.calls('runReport').length;

const CASES: Record<string, Case> = {
	'qa-scores-file-to-assembled.json': {
		configure: (workflow) =>
			setConfiguration(workflow, { filePath: path.join(ROOT, 'workflows/samples/qa-scores.csv'), dryRun: false }),
		check: (output, { assembled }) => {
			expect([...assembled.store.keys()].sort()).toEqual(['qa-file-EV-1001', 'qa-file-EV-1002', 'qa-file-EV-1003']);
			expect(assembled.duplicateReceipts).toBe(0);
			expect(runData(output, 'Push QA Scores', 1)).toHaveLength(4);
		},
	},
	'five9-agent-states.json': {
		configure: (workflow, context) => setConfiguration(workflow, { outputFolder: freshFive9Folder(context) }),
		check: (_output, context) => {
			expect(context.five9.calls('getStatistics').length).toBeGreaterThan(0);
			const file = path.join(five9Folder(context), 'agent-states-latest.csv');
			const lines = readFileSync(file, 'utf8').trim().split('\n');
			expect(lines.length - 1).toBe(context.five9.agents.length);
		},
	},
	'five9-call-log-to-table.json': {
		configure: (workflow, context) => setConfiguration(workflow, { outputFolder: freshFive9Folder(context) }),
		check: (_output, context) => {
			expect(reportRuns(context)).toBeGreaterThan(0);
			expect(filesIn(five9Folder(context)).filter((name) => name.startsWith('call-log'))).toHaveLength(1);
		},
	},
	'five9-resync-recent-days.json': {
		configure: (workflow, context) => setConfiguration(workflow, { outputFolder: freshFive9Folder(context) }),
		check: (_output, context) => {
			expect(reportRuns(context)).toBeGreaterThan(0);
			expect(filesIn(five9Folder(context)).some((name) => name.startsWith('call-log'))).toBe(true);
		},
	},
	'five9-call-log-backfill.json': {
		configure: (workflow, context) =>
			setConfiguration(workflow, { outputFolder: freshFive9Folder(context), from: '2026-10-01', to: '2026-10-31', daysPerRun: 3 }),
		check: (_output, context) => {
			// One run reads `daysPerRun` days, one report run and one file each.
			expect(reportRuns(context)).toBe(3);
			expect(filesIn(five9Folder(context)).filter((name) => name.startsWith('call-log-2026-10-0'))).toHaveLength(3);
		},
	},
	'aqm-to-assembled-scorecard.json': {
		check: (output, { assembled }) => {
			const read = runData(output, 'Evaluations of the Last Day');
			expect(read.length).toBeGreaterThan(0);
			const unmatched = runData(output, 'Unmatched Agents')[0];
			expect(unmatched.unmatched_agents).toEqual(['Temp Agent']);
			expect(assembled.store.size).toBe(read.length - Number(unmatched.scores_not_sent));
			expect(assembled.duplicateReceipts).toBe(0);
		},
	},
	'aqm-backfill.json': {
		configure: (workflow) => setConfiguration(workflow, { from: '2026-11-02', to: '2026-11-04', daysPerRun: 31 }),
		check: (output, context) => {
			expect(reportRuns(context)).toBe(2);
			const sent = runData(output, 'Push to Agent Scorecard').length;
			expect(sent).toBeGreaterThan(0);
			expect(context.assembled.store.size).toBe(sent);
			expect(runData(output, 'Mark Days Done')[0].windowsSaved).toBe(2);
		},
	},
	'aqm-csv-import.json': {
		configure: (workflow) => setConfiguration(workflow, { filePath: path.join(ROOT, 'workflows/samples/aqm-evaluations.csv') }),
		check: (output, { assembled }) => {
			expect(runData(output, 'Rows to Fix')).toHaveLength(2);
			expect(assembled.store.size).toBe(runData(output, 'Scores Sent').length);
			expect(assembled.store.size).toBeGreaterThan(0);
		},
	},
	'low-score-coaching.json': {
		check: (output, { assembled }) => {
			const shown = runData(output, 'Coaching Scheduled');
			expect(shown.length).toBeGreaterThan(0);
			expect(shown.every((item) => item.status === 'dryRun')).toBe(true);
			expect(assembled.activities.size).toBe(0);
		},
	},
	'five9-call-ended-to-assembled.json': {
		configure: (workflow, { n8n }) => {
			const logFile = path.join(n8n.filesFolder, 'five9-interactions.jsonl');
			writeFileSync(logFile, '');
			setConfiguration(workflow, { logFile });
		},
		check: (_output, { n8n, assembled }) => {
			const lines = readFileSync(path.join(n8n.filesFolder, 'five9-interactions.jsonl'), 'utf8').trim().split('\n');
			expect(lines).toHaveLength(1);
			const record = JSON.parse(lines[0]);
			expect(record.event_name).toBe('CallEnded');
			expect(assembled.countRequests({ path: '/v0/people' })).toBeGreaterThan(0);
		},
	},
};

const workflowFiles = readdirSync(path.join(ROOT, 'workflows')).filter((file) => file.endsWith('.json'));
let context: Context;

beforeAll(async () => {
	const provisioned = provision();
	const n8n = new N8nInstance(provisioned);
	const assembled = await new AssembledMock({ validKeys: [ASSEMBLED_KEY] }).start();
	const five9 = await new Five9Mock({ runningPolls: 1 }).start();
	context = { n8n, assembled, five9 };
	const installed = n8n.installPackage();
	expect(existsSync(path.join(installed, 'dist'))).toBe(true);
	await n8n.importCredentials([
		{ id: 'assembledCred1', name: 'Assembled account', type: 'assembledApi', data: { apiKey: ASSEMBLED_KEY, baseUrl: assembled.url, apiVersion: '2019-06-20' } },
		{ id: 'five9CtiCred1', name: 'Five9 CTI events', type: 'five9CtiApi', data: { trustToken: 'e2e-trust-token-0123456789abcdef', apiKey: '' } },
		{ id: 'five9Cred1', name: 'Five9 account', type: 'five9Api', data: five9.credentials() },
	]);
}, 30 * 60_000);

afterAll(async () => {
	await context?.n8n.stop();
	await context?.assembled.stop();
	await context?.five9.stop();
});

test('every shipped workflow has an end-to-end expectation', () => {
	expect(workflowFiles.filter((file) => !CASES[file])).toEqual([]);
});

describe.each(workflowFiles.filter((file) => CASES[file]))('%s', (file) => {
	test('runs headless in n8n with the installed package', async () => {
		const workflow = JSON.parse(readFileSync(path.join(ROOT, 'workflows', file), 'utf8')) as WorkflowFile;
		context.assembled.clear();
		context.five9.clear();
		CASES[file].configure?.(workflow, context);
		await context.n8n.importWorkflow({ ...workflow, active: false });
		const result = await context.n8n.execute(workflow.id);
		if (result.code !== 0) throw new Error(`n8n execute failed (${result.code}):\n${result.output.slice(-4000)}`);
		try {
			expect(result.data?.data?.resultData?.error).toBeUndefined();
			CASES[file].check(result.data!, context);
		} catch (error) {
			(error as Error).message += `\n--- n8n output ---\n${result.output.slice(-6000)}`;
			throw error;
		}
	}, 5 * 60_000);
});

test('the editor shows every node of a shipped workflow with its own icon', async () => {
	const chromium = '/usr/bin/chromium';
	if (!existsSync(chromium)) throw new Error('Debian chromium is not installed (provision.sh installs it as root)');
	const owner = { email: 'e2e-owner@example.com', password: 'E2e-owner-Passw0rd!' };
	const url = await context.n8n.startServer(owner);
	const { chromium: browserType } = require(require.resolve('playwright-core', { paths: [context.n8n.provisioned.n8nDir] }));
	const browser = await browserType.launch({
		executablePath: chromium,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	try {
		const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
		const login = await page.context().request.post(`${url}/rest/login`, { data: { emailOrLdapLoginId: owner.email, password: owner.password } });
		expect(login.status()).toBe(200);
		const file = SHOWCASE_WORKFLOW;
		const workflow = JSON.parse(readFileSync(path.join(ROOT, 'workflows', file), 'utf8')) as WorkflowFile;
		await page.goto(`${url}/workflow/${workflow.id}`);
		await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
		await page.waitForLoadState('networkidle');
		const expected = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote').length;
		const nodes = page.locator('[data-test-id="canvas-node"]');
		expect(await nodes.count()).toBe(expected);
		const text = await page.locator('body').innerText();
		expect(text).not.toMatch(/Install this node|node is not currently installed|Unrecognized node type/i);
		// Our nodes' icons are served by n8n from the installed package.
		const iconSources: string[] = await page.$$eval('[data-test-id="canvas-node"] img', (images: { src: string; complete: boolean; naturalWidth: number }[]) =>
			images.map((image) => image.src),
		);
		const ours = workflow.nodes.filter((node) => node.type.startsWith(`${PACKAGE}.`)).length;
		expect(iconSources.filter((src) => src.includes(`/icons/${PACKAGE}/`)).length).toBe(ours);
		const loaded: boolean[] = await page.$$eval('[data-test-id="canvas-node"] img', (images: { src: string; complete: boolean; naturalWidth: number }[]) =>
			images.map((image) => image.complete && image.naturalWidth > 0),
		);
		expect(loaded.every(Boolean)).toBe(true);
		mkdirSync(SCREENSHOTS, { recursive: true });
		const shot = path.join(SCREENSHOTS, `${path.basename(file, '.json')}.png`);
		await page.screenshot({ path: shot });
		if (process.env.UPDATE_README_SCREENSHOT === '1') copyFileSync(shot, path.join(ROOT, 'docs', 'images', 'editor.png'));
	} finally {
		await browser.close();
	}
}, 5 * 60_000);

/** The workflow the README screenshot shows. */
const SHOWCASE_WORKFLOW = 'aqm-to-assembled-scorecard.json';
