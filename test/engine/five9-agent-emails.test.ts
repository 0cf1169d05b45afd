/**
 * "Fill Agent Emails From Five9": evaluations without an agent email get it from Five9's user list
 * (docs/five9.md, "Directory"), through the Five9 node (report and file sources) and the Five9
 * Evaluation Trigger, against the local Five9 server. Expected emails come from the mock's own
 * directory and the evaluation feed, not from the node.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { IDataObject, INode, INodeCredentialDescription, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { AssembledMock, makePeople } from '../mocks/assembled';
import { AQM_REPORT, agentsFor, aqmReport, evaluationRow, evaluationsBetween, type EvaluationFeed, type MockEvaluation } from '../mocks/evaluations';
import { Five9Mock } from '../mocks/five9';
import { defaultReports, five9Timestamp } from '../mocks/five9-data';
import { configure, loadTypes, pollTrigger, readWorkflow, runWorkflow, type WorkflowJson } from '../harness/engine';
import { FIVE9_CREDENTIAL_REF, FIVE9_TYPE, NODE } from '../harness/five9';
import { singleNodeWorkflow } from '../harness/single-node';
import { rowsInto } from '../harness/workflows';

/** An agent Five9 has never heard of, whose user name is no email: nothing can fill it. */
const STRANGER = { userUID: '3999998', userName: 'night.shift.7', fullName: 'Night Shift Seven' };
const DAY = 86_400_000;
const HOUR = 3_600_000;
const FROM = Date.parse('2026-11-02T08:00:00Z');
const TO = FROM + 2 * DAY;

let five9: Five9Mock;
let scratch: string;

beforeAll(() => {
	scratch = mkdtempSync(path.join(tmpdir(), 'agent-emails-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => five9?.stop());

async function startFive9(feed: EvaluationFeed) {
	const reports = { ...defaultReports({ callSpacingSeconds: 600, digitalSpacingSeconds: 3600 }), [AQM_REPORT]: aqmReport(feed) };
	five9 = await new Five9Mock({ runningPolls: 0, reports }).start();
}

/** The email an evaluation should end up with: its user name if that is one, else Five9's record. */
function expectedEmail(evaluation: MockEvaluation): string | null {
	const name = evaluation.agent.userName;
	if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(name)) return name.toLowerCase();
	return five9.directory.users.find((user) => user.userName === name)?.email?.toLowerCase() ?? null;
}

const directoryCalls = () => five9.calls('getUsersGeneralInfo').length;

function evaluationNode(parameters: IDataObject = {}): INodeParameters {
	return {
		resource: 'evaluation',
		operation: 'getMany',
		source: 'report',
		start: new Date(FROM).toISOString(),
		end: new Date(TO).toISOString(),
		...parameters,
	} as INodeParameters;
}

async function runNode(parameters: INodeParameters, items = 1) {
	const node = { type: FIVE9_TYPE, parameters, credentials: FIVE9_CREDENTIAL_REF };
	// Several input items: the node runs once per item.
	const json =
		items > 1
			? rowsInto(Array.from({ length: items }, (_, i) => ({ i })), { ...node, parameters: parameters as IDataObject }, NODE)
			: singleNodeWorkflow(node);
	return await runWorkflow(json, { credentials: { five9Api: five9.credentials() } });
}

const feedWithStranger: EvaluationFeed = { agents: [...agentsFor(makePeople(12)), STRANGER], everyMs: 20 * 60_000 };

describe('Evaluation → Get Many, report source', () => {
	test('fills missing emails by Five9 user name with one getUsersGeneralInfo; the stranger keeps none', async () => {
		await startFive9(feedWithStranger);
		const run = await runNode(evaluationNode({ fillAgentEmails: true }));
		expect(run.error).toBeUndefined();
		const items = run.json(NODE);
		const expected = evaluationsBetween(feedWithStranger, FROM, TO);
		expect(items.map((e) => e.evaluation_id)).toEqual(expected.map((e) => e.id));
		items.forEach((item, i) => expect(item.agent_email).toBe(expectedEmail(expected[i])));
		// The feed has agents whose Five9 user name is not an email, and the stranger.
		const filled = expected.filter((e) => !e.agent.userName.includes('@') && expectedEmail(e));
		expect(filled.length).toBeGreaterThan(0);
		expect(items.filter((e) => e.agent_name === STRANGER.fullName).length).toBeGreaterThan(0);
		expect(items.filter((e) => e.agent_name === STRANGER.fullName).every((e) => e.agent_email === null)).toBe(true);
		expect(directoryCalls()).toBe(1);
		expect(five9.calls('getUsersGeneralInfo')[0].params).toEqual({ userNamePattern: '.*' });
		// Both calendar days in one report run: the feed's rows are far below the row cap.
		expect(five9.calls('runReport').map((r) => [Date.parse(r.params['criteria.time.start']), Date.parse(r.params['criteria.time.end'])])).toEqual([[FROM, TO]]);
		const hints = run.nodeRun(NODE).hints ?? [];
		expect(hints).toEqual([
			expect.objectContaining({ message: `${filled.length} agent emails were filled from the Five9 user list`, location: 'outputPane' }),
			expect.objectContaining({ message: expect.stringContaining(STRANGER.fullName), type: 'warning' }),
		]);
	});

	test('Filters → Agent keeps that agent’s evaluations only, emails filled as without the filter', async () => {
		await startFive9(feedWithStranger);
		const expected = evaluationsBetween(feedWithStranger, FROM, TO);
		const agent = expected.find((e) => !e.agent.userName.includes('@') && expectedEmail(e))!.agent;
		const run = await runNode(evaluationNode({ fillAgentEmails: true, filters: { agent: { __rl: true, mode: 'list', value: agent.userName } } }));
		expect(run.error).toBeUndefined();
		const items = run.json(NODE);
		const own = expected.filter((e) => e.agent.userName === agent.userName);
		expect(own.length).toBeGreaterThan(0);
		expect(items.map((e) => e.evaluation_id)).toEqual(own.map((e) => e.id));
		items.forEach((item, i) => expect(item.agent_email).toBe(expectedEmail(own[i])));
	});

	test('several input items still read the user list once', async () => {
		await startFive9(feedWithStranger);
		const run = await runNode(evaluationNode({ fillAgentEmails: true }), 3);
		expect(run.error).toBeUndefined();
		expect(run.json(NODE)).toHaveLength(3 * evaluationsBetween(feedWithStranger, FROM, TO).length);
		expect(directoryCalls()).toBe(1);
	});

	test('off (the default): no user list is read, and emails stay as the report has them', async () => {
		await startFive9(feedWithStranger);
		const run = await runNode(evaluationNode());
		expect(run.error).toBeUndefined();
		expect(directoryCalls()).toBe(0);
		const numeric = run.json(NODE).filter((e) => !String(e.agent_username).includes('@'));
		expect(numeric.length).toBeGreaterThan(0);
		expect(numeric.every((e) => e.agent_email === null)).toBe(true);
		expect(run.nodeRun(NODE).hints ?? []).toEqual([]);
	});

	test('by Five9 user ID when the report has no user name', async () => {
		// A report without the AGENT column: only AGENT ID names the agent.
		const feed: EvaluationFeed = { agents: agentsFor(makePeople(12)).slice(0, 3), everyMs: 4 * HOUR };
		await startFive9(feed);
		const run = await runNode(evaluationNode({ fillAgentEmails: true, columns: { agent_username: 'NO SUCH COLUMN' } }));
		expect(run.error).toBeUndefined();
		const items = run.json(NODE);
		expect(items.length).toBeGreaterThan(0);
		for (const item of items) {
			const user = five9.directory.users.find((u) => u.id === item.agent_five9_id)!;
			expect(item.agent_username).toBeNull();
			expect(item.agent_email).toBe(user.email!.toLowerCase());
		}
	});

	test('a failing user list fails the run with Five9’s fault named', async () => {
		await startFive9(feedWithStranger);
		five9.inject({ operation: 'getUsersGeneralInfo', fault: 'AccessDisallowedFault' });
		const run = await runNode(evaluationNode({ fillAgentEmails: true }));
		expect(run.nodeError(NODE)!.message).toMatch(/AccessDisallowedFault/);
	});
});

describe('Evaluation → Get Many, file source', () => {
	function fileWorkflow(file: string, fill: boolean): WorkflowJson {
		const five9Node: INode = {
			id: 'f',
			name: NODE,
			type: FIVE9_TYPE,
			typeVersion: 1,
			position: [440, 0],
			parameters: { resource: 'evaluation', operation: 'getMany', source: 'file', fillAgentEmails: fill, options: { fileTimeZone: 'America/Los_Angeles' } },
			// With filling off, a file needs no Five9 login: the test gives none then.
			...(fill ? { credentials: FIVE9_CREDENTIAL_REF } : {}),
		};
		return {
			name: 'file',
			nodes: [
				{ id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: 'r', name: 'Read', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1, position: [220, 0], parameters: { operation: 'read', fileSelector: file, options: {} } },
				five9Node,
			],
			connections: {
				Start: { main: [[{ node: 'Read', type: 'main' as never, index: 0 }]] },
				Read: { main: [[{ node: NODE, type: 'main' as never, index: 0 }]] },
			},
		};
	}

	test('an export file: emails filled from Five9 when asked, no Five9 login needed otherwise', async () => {
		await startFive9(feedWithStranger);
		const evaluations = evaluationsBetween(feedWithStranger, FROM, FROM + DAY);
		const rows = evaluations.map((e) => evaluationRow(e, (ms) => five9Timestamp(ms, 'America/Los_Angeles')));
		const header = Object.keys(rows[0]);
		const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
		const file = path.join(scratch, 'aqm-export.csv');
		writeFileSync(file, [header.join(','), ...rows.map((row) => header.map((h) => quote(row[h])).join(','))].join('\n'));

		const filled = await runWorkflow(fileWorkflow(file, true), { credentials: { five9Api: five9.credentials() } });
		expect(filled.error).toBeUndefined();
		expect(filled.json(NODE).map((e) => e.agent_email)).toEqual(evaluations.map(expectedEmail));
		expect(directoryCalls()).toBe(1);

		five9.requests.length = 0;
		const plain = await runWorkflow(fileWorkflow(file, false), { credentials: {} });
		expect(plain.error).toBeUndefined();
		expect(five9.requests).toHaveLength(0);
		expect(plain.json(NODE).filter((e) => e.agent_email === null).length).toBeGreaterThan(0);
	});

	test('the node asks for a Five9 credential exactly where it uses one', async () => {
		const { nodeTypes } = await loadTypes();
		const type = nodeTypes.getByNameAndVersion(FIVE9_TYPE, 1);
		const shown = (parameters: IDataObject) => {
			const node = { name: 'n', type: FIVE9_TYPE, typeVersion: 1, position: [0, 0], parameters } as unknown as INode;
			// As n8n does: the parameters with their defaults, then each credential's display rules.
			const values = NodeHelpers.getNodeParameters(type.description.properties, parameters as INodeParameters, true, false, node, type.description)!;
			return (type.description.credentials as INodeCredentialDescription[])
				.filter((credential) => NodeHelpers.displayParameter(values, credential, node, type.description))
				.map((credential) => credential.name);
		};
		const evaluation = { resource: 'evaluation', operation: 'getMany' };
		expect(shown({ ...evaluation, source: 'report' })).toEqual(['five9Api']);
		expect(shown({ ...evaluation, source: 'report', fillAgentEmails: true })).toEqual(['five9Api']);
		expect(shown({ ...evaluation, source: 'file' })).toEqual([]);
		expect(shown({ ...evaluation, source: 'file', fillAgentEmails: true })).toEqual(['five9Api']);
		expect(shown({ ...evaluation, source: 'api' })).toEqual(['five9EvaluationsApi']);
		expect(shown({ resource: 'report', operation: 'saveCheckpoint' })).toEqual([]);
		expect(shown({ resource: 'user', operation: 'getMany' })).toEqual(['five9Api']);
	});
});

describe('downstream', () => {
	const ASSEMBLED_KEY = 'sk_live_agent_emails_51d0';
	let assembled: AssembledMock;
	afterEach(() => assembled?.stop());

	test('the scorecard template: filled agents land by email, the stranger is reported by name', async () => {
		const started = Date.now();
		const feed: EvaluationFeed = { ...feedWithStranger, everyMs: HOUR / 2 };
		await startFive9(feed);
		assembled = await new AssembledMock({ validKeys: [ASSEMBLED_KEY], rateLimit: false }).start();
		const json = configure(readWorkflow('aqm-to-assembled-scorecard.json'), 'Evaluations of the Last Day', (parameters) => {
			parameters.fillAgentEmails = true;
		});
		const run = await runWorkflow(json, {
			credentials: { five9Api: five9.credentials(), assembledApi: { apiKey: ASSEMBLED_KEY, baseUrl: assembled.url } },
		});
		expect(run.status).toBe('success');
		expect(directoryCalls()).toBe(1);
		const read = run.json('Evaluations of the Last Day');
		const expected = evaluationsBetween(feed, started - DAY, Date.now());
		for (const evaluation of read) {
			const source = expected.find((e) => e.id === evaluation.evaluation_id)!;
			expect(evaluation.agent_email).toBe(expectedEmail(source));
		}
		// Agents whose Five9 user name is not an email arrive with the email Five9 knows.
		const filled = read.filter((e) => !String(e.agent_username).includes('@') && e.agent_email);
		expect(filled.length).toBeGreaterThan(0);
		for (const e of filled) expect(assembled.store.get(`five9-aqm-${e.evaluation_id}`)?.agent_email).toBe(e.agent_email);
		const [summary] = run.json('Problems Summary');
		expect((summary.unknown_agents as string[]).sort()).toEqual([STRANGER.fullName, 'Temp Agent'].sort());
	});
});

describe('Five9 Evaluation Trigger', () => {
	/** Only agents whose Five9 user name is no email, and the stranger: every evaluation needs the lookup. */
	const numericFeed = (everyMs: number): EvaluationFeed => ({
		agents: [...agentsFor(makePeople(12)).filter((agent) => !agent.userName.includes('@')), STRANGER],
		everyMs,
	});

	function triggerWorkflow(options: IDataObject, fill = true): WorkflowJson {
		return {
			name: 'trigger',
			nodes: [
				{
					id: 'trigger',
					name: 'New Evaluations',
					type: 'n8n-nodes-five9-assembled.five9EvaluationTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: { source: 'report', fillAgentEmails: fill, options },
					credentials: FIVE9_CREDENTIAL_REF,
				} as INode,
			],
			connections: {},
		};
	}

	test('each poll that emits reads the user list once; a poll with nothing new reads nothing', async () => {
		const feed = numericFeed(HOUR);
		await startFive9(feed);
		const staticData: IDataObject = {};
		const poll = () => pollTrigger(triggerWorkflow({ backfillDays: 1 }), 'New Evaluations', { credentials: { five9Api: five9.credentials() }, staticData });
		const started = Date.now();
		const first = await poll();
		const items = (first.result?.[0] ?? []).map((item) => item.json);
		expect(items.length).toBeGreaterThanOrEqual(evaluationsBetween(feed, started - DAY, started).length - 1);
		// The backfill reaches one overlap further back than the day.
		const all = evaluationsBetween(feed, started - DAY - HOUR, Date.now());
		for (const item of items) expect(item.agent_email).toBe(expectedEmail(all.find((e) => e.id === item.evaluation_id)!));
		expect(items.some((item) => item.agent_name === STRANGER.fullName && item.agent_email === null)).toBe(true);
		expect(directoryCalls()).toBe(1);
		await first.finish?.({ status: 'success', data: { resultData: { runData: {} } } } as never);

		const second = await poll();
		expect(second.result).toBeNull();
		expect(directoryCalls()).toBe(1);
	});

	test('new evaluations in a later poll: one more read; off, none at all', async () => {
		const feed = numericFeed(1500);
		await startFive9(feed);
		const staticData: IDataObject = {};
		const credentials = { five9Api: five9.credentials() };
		const poll = (fill: boolean) => pollTrigger(triggerWorkflow({}, fill), 'New Evaluations', { credentials, staticData });
		expect((await poll(true)).result).toBeNull();
		await new Promise((resolve) => setTimeout(resolve, 3200));
		const second = await poll(true);
		const emitted = (second.result?.[0] ?? []).map((item) => item.json);
		expect(emitted.length).toBeGreaterThan(0);
		expect(directoryCalls()).toBe(1);
		await second.finish?.({ status: 'success', data: { resultData: { runData: {} } } } as never);

		await new Promise((resolve) => setTimeout(resolve, 3200));
		const third = await poll(false);
		expect((third.result?.[0] ?? []).length).toBeGreaterThan(0);
		expect(directoryCalls()).toBe(1);
		expect((third.result?.[0] ?? []).every((item) => item.json.agent_email === null)).toBe(true);
	});

	test('Source stays a visible parameter: each source shows its own credential, neither takes Source over', async () => {
		const { nodeTypes } = await loadTypes();
		const { description } = nodeTypes.getByNameAndVersion('n8n-nodes-five9-assembled.five9EvaluationTrigger', 1);
		const credentials = description.credentials as INodeCredentialDescription[];
		const source = description.properties.find((p) => p.name === 'source')!;
		// n8n's editor moves a parameter into the credential area when every one of its options
		// appears in a credential's `show` rules for it.
		const shownFor = credentials.flatMap((c) => (c.displayOptions?.show?.source ?? []) as string[]);
		expect((source.options as Array<{ value: string }>).every((option) => shownFor.includes(option.value))).toBe(false);
		const node = { name: 'n', type: description.name, typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
		const shown = (parameters: IDataObject) => {
			const values = NodeHelpers.getNodeParameters(description.properties, parameters as INodeParameters, true, false, node, description)!;
			return credentials.filter((c) => NodeHelpers.displayParameter(values, c, node, description)).map((c) => c.name);
		};
		expect(shown({})).toEqual(['five9Api']);
		expect(shown({ source: 'report', fillAgentEmails: true })).toEqual(['five9Api']);
		expect(shown({ source: 'api' })).toEqual(['five9EvaluationsApi']);
	});

	test('a manual test run fills emails too', async () => {
		const feed = numericFeed(HOUR);
		await startFive9(feed);
		const { result } = await pollTrigger(triggerWorkflow({ manualLimit: 4 }), 'New Evaluations', {
			credentials: { five9Api: five9.credentials() },
			mode: 'manual',
		});
		const items = (result?.[0] ?? []).map((item) => item.json);
		expect(items).toHaveLength(4);
		const all = evaluationsBetween(feed, Date.now() - DAY - HOUR, Date.now());
		for (const item of items) expect(item.agent_email).toBe(expectedEmail(all.find((e) => e.id === item.evaluation_id)!));
		expect(directoryCalls()).toBe(1);
	});
});
