/** QA Score → Create Many options and failure modes, through n8n's engine against the local Assembled server. */
import type { IDataObject } from 'n8n-workflow';

import { AssembledMock, type ErrorStyle } from '../mocks/assembled';
import { runWorkflow } from '../harness/engine';
import { assembledNode, rowsInto } from '../harness/workflows';
import { scoreRows } from '../fixtures/scores';

const API_KEY = 'sk_live_qa_tests_91b2';
let mock: AssembledMock;

afterEach(() => mock?.stop());

async function start(options: ConstructorParameters<typeof AssembledMock>[0] = {}) {
	mock = await new AssembledMock(options).start();
	return mock;
}

const credentials = () => ({ assembledApi: { apiKey: API_KEY, baseUrl: mock.url } });

function qaNode(options: IDataObject = {}, extra: IDataObject = {}, onError: 'continueErrorOutput' | undefined = 'continueErrorOutput') {
	return assembledNode({ resource: 'qaScore', operation: 'createMany', source: 'custom', options: { retryDelayMs: 20, ...options }, ...extra }, onError);
}

test('the limiter keeps 25 requests under 300/min with burst 20: no 429 at all', async () => {
	await start();
	const rows = scoreRows(2500, mock.people);
	const run = await runWorkflow(rowsInto(rows, qaNode({}, { batchSize: 100 })), { credentials: credentials() });
	expect(run.status).toBe('success');
	expect(mock.countRequests({ path: '/v0/qa_scores/bulk', status: 200 })).toBe(25);
	expect(mock.countRequests({ status: 429 })).toBe(0);
	expect(mock.store.size).toBe(2500);
	// The 21st request cannot leave before a token refills: the limiter, not luck, kept the pace.
	const times = mock.requests.map((r) => r.at);
	expect(times[20] - times[0]).toBeGreaterThanOrEqual(150);
});

test('429 without Retry-After backs off and still stores every score once', async () => {
	await start({ retryAfter: null });
	mock.schedule('/v0/qa_scores/bulk', { 1: { status: 429, retryAfter: null }, 2: { status: 429, retryAfter: null } });
	const rows = scoreRows(10, mock.people);
	const run = await runWorkflow(rowsInto(rows, qaNode()), { credentials: credentials() });
	expect(run.status).toBe('success');
	expect(mock.countRequests({ path: '/v0/qa_scores/bulk' })).toBe(3);
	expect(mock.store.size).toBe(10);
});

test('a response lost to the timeout is retried; Assembled keeps one score per imported_id', async () => {
	await start();
	mock.schedule('/v0/qa_scores/bulk', { 1: { delayMs: 1500, processFirst: true } });
	const rows = scoreRows(5, mock.people);
	const run = await runWorkflow(rowsInto(rows, qaNode({ timeoutMs: 400 })), { credentials: credentials() });
	expect(run.status).toBe('success');
	expect(run.json('Node Under Test').every((item) => item.status === 'sent')).toBe(true);
	expect(mock.store.size).toBe(5);
	expect(mock.countRequests({ path: '/v0/qa_scores/bulk' })).toBe(2);
});

test('retries are bounded: a server that keeps failing sends the batch to the error output', async () => {
	await start();
	mock.inject({ status: 503, times: 10, retryAfter: 0 });
	const rows = scoreRows(3, mock.people);
	const run = await runWorkflow(rowsInto(rows, qaNode({ maxRetries: 2 })), { credentials: credentials() });
	const failed = run.json('Node Under Test', 1);
	expect(failed).toHaveLength(3);
	expect(failed[0].error).toMatch(/Assembled had a server error \(503\)/);
	expect(failed[0].error).toMatch(/Gave up after 2 retries/);
	expect(mock.requests).toHaveLength(3);
});

test('a rejected batch is split until only the item at fault fails', async () => {
	await start({ strictAgents: true });
	const rows = scoreRows(10, mock.people);
	rows[6].agent_email = 'nobody@example.com';
	const run = await runWorkflow(rowsInto(rows, qaNode()), { credentials: credentials() });
	const sent = run.json('Node Under Test', 0);
	const failed = run.json('Node Under Test', 1);
	expect(sent).toHaveLength(9);
	expect(failed).toHaveLength(1);
	expect(failed[0].imported_id).toBe(rows[6].imported_id);
	expect(failed[0].error).toMatch(/unknown agent nobody@example.com/);
	expect(mock.store.size).toBe(9);
	expect(mock.store.has(String(rows[6].imported_id))).toBe(false);
});

test('per-item errors in a 200 response fail only those items', async () => {
	await start({ strictAgents: true, qaMode: 'partial' });
	const rows = scoreRows(4, mock.people);
	rows[1].agent_email = 'ghost@example.com';
	const run = await runWorkflow(rowsInto(rows, qaNode()), { credentials: credentials() });
	expect(run.json('Node Under Test', 0).map((item) => item.imported_id)).toEqual([rows[0], rows[2], rows[3]].map((r) => r.imported_id));
	const failed = run.json('Node Under Test', 1);
	expect(failed.map((item) => item.imported_id)).toEqual([rows[1].imported_id]);
	expect(failed[0].error).toMatch(/agent not found/);
});

test.each<[ErrorStyle, RegExp]>([
	['object', /Assembled rejected the request \(400\): scores\[0\]: unknown agent/],
	['string', /Assembled rejected the request \(400\): scores\[0\]: unknown agent/],
	['text', /Assembled rejected the request \(400\): scores\[0\]: unknown agent/],
	['empty', /Assembled rejected the request \(400\): HTTP 400 with no explanation/],
])('a 400 with a %s error body becomes a readable message', async (errorStyle, expected) => {
	await start({ strictAgents: true, errorStyle });
	const rows = scoreRows(1, mock.people);
	rows[0].agent_email = 'ghost@example.com';
	const run = await runWorkflow(rowsInto(rows, qaNode()), { credentials: credentials() });
	const failed = run.json('Node Under Test', 1);
	expect(failed).toHaveLength(1);
	expect(failed[0].error).toMatch(expected);
	expect((failed[0].details as IDataObject).httpCode).toBe('400');
});

test('without an error output, an invalid item stops the node before anything is sent, naming the item', async () => {
	await start();
	const rows = scoreRows(5, mock.people);
	rows[3].score = 'excellent';
	const run = await runWorkflow(rowsInto(rows, qaNode({}, {}, 'stopWorkflow' as never)), { credentials: credentials() });
	expect(run.status).toBe('error');
	const error = run.nodeError('Node Under Test')!;
	expect(error.message).toMatch(/^Item 3: score must be a number, got "excellent"/);
	expect(mock.requests).toHaveLength(0);
});

test('without an error output, a bad key fails the node with the credential message and no secret', async () => {
	await start({ validKeys: ['sk_live_other'] });
	const run = await runWorkflow(rowsInto(scoreRows(2, mock.people), qaNode({}, {}, 'stopWorkflow' as never)), { credentials: credentials() });
	expect(run.status).toBe('error');
	const error = run.nodeError('Node Under Test') as unknown as { message: string; httpCode: string; description: string };
	expect(error.message).toBe('The API key was rejected by Assembled (401)');
	expect(error.httpCode).toBe('401');
	expect(error.description).toMatch(/Settings → API/);
	expect(JSON.stringify(run.run)).not.toContain(API_KEY);
});

test('agents given only by Five9 id are matched through People, fetched once; unknown ids are reported', async () => {
	await start({ people: undefined });
	const numeric = mock.people.find((p) => /^\d+$/.test(p.platforms.five9) && !p.deleted)!;
	const username = mock.people.find((p) => p.platforms.five9.includes('@') && !p.deleted)!;
	const rows = scoreRows(3, mock.people);
	rows[0] = { ...rows[0], agent_email: '', agent_platform_id: numeric.platforms.five9 };
	rows[1] = { ...rows[1], agent_email: null, agent_platform_id: username.platforms.five9.toUpperCase() };
	rows[2] = { ...rows[2], agent_email: undefined, agent_platform_id: '999999' };
	const run = await runWorkflow(rowsInto(rows, qaNode()), { credentials: credentials() });
	expect(mock.store.get(String(rows[0].imported_id))?.agent_email).toBe(numeric.email);
	expect(mock.store.get(String(rows[1].imported_id))?.agent_email).toBe(username.email);
	expect(mock.store.get(String(rows[0].imported_id))?.agent_platform_id).toBe(numeric.platforms.five9);
	const failed = run.json('Node Under Test', 1);
	expect(failed).toHaveLength(1);
	expect(failed[0].error).toMatch(/no agent in Assembled People has five9 id or imported id "999999"/);
	expect(mock.countRequests({ path: '/v0/people' })).toBe(1);
});

test('input count equals output count across every status', async () => {
	await start();
	const rows: IDataObject[] = scoreRows(20, mock.people);
	rows[2].score = -1;
	rows[5] = { ...rows[4] };
	rows[9].ticket_created_at = '2026-02-30T10:00:00Z';
	const run = await runWorkflow(rowsInto(rows, qaNode({}, { batchSize: 7 })), { credentials: credentials() });
	const ok = run.json('Node Under Test', 0);
	const bad = run.json('Node Under Test', 1);
	expect(ok.length + bad.length).toBe(rows.length);
	// Identical copies: the later item is the one sent, the earlier reported as its duplicate.
	expect(ok.filter((i) => i.status === 'duplicate').map((i) => i.duplicateOf)).toEqual([5]);
	expect(bad.map((i) => (i.details as IDataObject).itemIndex).sort()).toEqual([2, 9]);
	expect(mock.requests.map((r) => r.scoreCount)).toEqual([7, 7, 3]);
	for (const item of run.items('Node Under Test', 0)) expect(item.pairedItem).toBeDefined();
});

test('within one input the newest copy of an imported_id is sent, by graded time then position; older copies are superseded', async () => {
	await start();
	const rows: IDataObject[] = scoreRows(6, mock.people);
	const base = Date.UTC(2026, 10, 20, 12) / 1000;
	// Item 0 graded last (the edit), item 1 an older grading of the same evaluation, later in the input.
	rows[0] = { ...rows[0], imported_id: 'eval-X', score: 45, graded_at: base + 3600 };
	rows[1] = { ...rows[1], imported_id: 'eval-X', score: 100, graded_at: base };
	// Same graded time: the later item wins.
	rows[2] = { ...rows[2], imported_id: 'eval-Y', score: 10, graded_at: base };
	rows[3] = { ...rows[3], imported_id: 'eval-Y', score: 20, graded_at: base };
	const run = await runWorkflow(rowsInto(rows, qaNode()), { credentials: credentials() });
	expect(mock.store.get('eval-X')?.score).toBe(45);
	expect(mock.store.get('eval-Y')?.score).toBe(20);
	expect(mock.duplicateReceipts).toBe(0);
	const ok = run.json('Node Under Test', 0);
	expect(ok[1]).toMatchObject({ status: 'superseded', supersededBy: 0 });
	expect(ok[2]).toMatchObject({ status: 'superseded', supersededBy: 3 });
	expect(ok).toHaveLength(6);
});

test('batches leaving while items are still read: the newest valid copy of an id wins across the whole input', async () => {
	await start();
	const rows: IDataObject[] = scoreRows(40, mock.people);
	const base = Date.UTC(2026, 10, 20, 12) / 1000;
	const copy = (at: number, of: number, graded: number, change: IDataObject = {}) => {
		rows[at] = { ...rows[at], imported_id: rows[of].imported_id, graded_at: graded, ...change };
	};
	rows[2].graded_at = base;
	copy(37, 2, base + 60, { score: -1 }); // newer, but invalid: the copy in the first batch is sent
	rows[3].graded_at = base;
	copy(31, 3, base + 60, { score: 7 }); // newer and valid, in the last batch: it is sent, the first one not
	rows[4].graded_at = base;
	copy(22, 4, base + 60, { agent_email: '', agent_platform_id: '999999' }); // newer, agent unknown
	copy(9, 12, Number(rows[12].graded_at), { score: Number(rows[12].score) + 1 }); // same time: the later item wins
	const broken = new Set([37, 22]);
	const run = await runWorkflow(rowsInto(rows, qaNode({}, { batchSize: 5 })), { credentials: credentials() });

	// What Assembled should hold, worked out from the rows: of each id, the valid copy graded last, then the later one.
	const winner = new Map<string, number>();
	rows.forEach((row, index) => {
		if (broken.has(index)) return;
		const id = String(row.imported_id);
		const current = winner.get(id);
		if (current === undefined || Number(row.graded_at) >= Number(rows[current].graded_at)) winner.set(id, index);
	});
	const kept = [...winner.values()].sort((a, b) => a - b);
	expect([...mock.store.keys()]).toEqual(kept.map((index) => String(rows[index].imported_id)));
	for (const index of kept) expect(mock.store.get(String(rows[index].imported_id))?.score).toBe(rows[index].score);
	expect(mock.requests.filter((r) => r.path === '/v0/qa_scores/bulk').map((r) => r.scoreCount)).toEqual(
		Array.from({ length: Math.ceil(kept.length / 5) }, (_, i) => Math.min(5, kept.length - i * 5)),
	);
	expect(mock.duplicateReceipts).toBe(0);
	const ok = run.json('Node Under Test', 0);
	const bad = run.json('Node Under Test', 1);
	expect(ok.length + bad.length).toBe(rows.length);
	expect(bad.map((item) => (item.details as IDataObject).itemIndex).sort()).toEqual([...broken].sort());
});

test('with "Only Agents Known to Assembled", an unknown email is matched by Five9 id or reported by name', async () => {
	await start();
	const known = mock.people.find((p) => /^\d+$/.test(p.platforms.five9) && !p.deleted)!;
	const rows = scoreRows(3, mock.people);
	// Five9 username differs from the Assembled email, but the Five9 id is on the person.
	rows[0] = { ...rows[0], agent_email: 'old.address@example.com', agent_platform_id: known.platforms.five9 };
	rows[1] = { ...rows[1], agent_email: 'stranger@example.com', agent_name: 'Sam Stranger' };
	const run = await runWorkflow(rowsInto(rows, qaNode({ verifyAgents: true })), { credentials: credentials() });
	expect(mock.store.get(String(rows[0].imported_id))?.agent_email).toBe(known.email);
	expect(mock.store.has(String(rows[2].imported_id))).toBe(true);
	const failed = run.json('Node Under Test', 1);
	expect(failed.map((f) => f.imported_id)).toEqual([rows[1].imported_id]);
	expect(failed[0].error).toBe('no agent in Assembled People has the email "stranger@example.com" (Sam Stranger)');
	expect(mock.countRequests({ path: '/v0/people' })).toBe(1);
});

describe('execution hints in the output pane', () => {
	const hintsOf = (run: Awaited<ReturnType<typeof runWorkflow>>) => (run.nodeRun('Node Under Test').hints ?? []).map((hint) => hint.message);

	test('a dry run says nothing was sent, and how much would be', async () => {
		await start();
		const run = await runWorkflow(rowsInto(scoreRows(5, mock.people), qaNode({ dryRun: true }, { batchSize: 2 })), { credentials: credentials() });
		expect(mock.countRequests({ method: 'POST' })).toBe(0);
		expect(hintsOf(run)).toEqual(['Dry run: nothing was sent to Assembled. 5 scores in 3 batches would be sent; turn off "Dry Run" to send them.']);
		expect(run.nodeRun('Node Under Test').hints?.[0]).toMatchObject({ location: 'outputPane' });
	});

	test('unmatched agents are counted', async () => {
		await start();
		const rows = scoreRows(4, mock.people);
		rows[1] = { ...rows[1], agent_email: 'stranger@example.com' };
		rows[3] = { ...rows[3], agent_email: 'other.stranger@example.com' };
		const run = await runWorkflow(rowsInto(rows, qaNode({ verifyAgents: true })), { credentials: credentials() });
		expect(run.json('Node Under Test', 1)).toHaveLength(2);
		expect(hintsOf(run)).toEqual([
			'2 scores not sent: no agent in Assembled People matched (see the error output). Add the agents in Assembled, or check their email and Five9 ID there.',
		]);
	});

	test('superseded and duplicate copies are counted; a clean run has no hint', async () => {
		await start();
		const rows: IDataObject[] = scoreRows(6, mock.people);
		rows[1] = { ...rows[1], imported_id: rows[0].imported_id, graded_at: Number(rows[0].graded_at) - 60 };
		rows[3] = { ...rows[2] };
		const run = await runWorkflow(rowsInto(rows, qaNode()), { credentials: credentials() });
		expect(run.json('Node Under Test').map((item) => item.status)).toEqual(['sent', 'superseded', 'duplicate', 'sent', 'sent', 'sent']);
		expect(hintsOf(run)).toEqual([
			'An imported_id came more than once: 1 item superseded by a newer copy and 1 identical duplicate. Only the newest copy of each was sent.',
		]);
		mock.clear();
		const clean = await runWorkflow(rowsInto(scoreRows(3, mock.people), qaNode()), { credentials: credentials() });
		expect(hintsOf(clean)).toEqual([]);
	});
});

describe('Input Format default', () => {
	const evaluationRows = () =>
		mock.people
			.filter((p) => !p.deleted)
			.slice(0, 2)
			.map((p, i) => ({
				evaluation_id: `ev-${i + 1}`,
				agent_email: p.email,
				agent_username: p.platforms.five9,
				agent_name: `${p.first_name} ${p.last_name}`,
				score: 80 + i,
				max_score: 100,
				evaluator: 'qa.lead@example.com',
				evaluated_at: '2026-11-20T10:00:00Z',
				interaction_started_at: '2026-11-19T15:00:00Z',
			}));
	const withoutSource = (typeVersion: number) => ({
		...assembledNode({ resource: 'qaScore', operation: 'createMany', options: { dryRun: true } }, 'continueErrorOutput'),
		typeVersion,
	});

	test('a new node (version 1.1) reads Five9 evaluation items without being told', async () => {
		await start();
		const run = await runWorkflow(rowsInto(evaluationRows(), withoutSource(1.1)), { credentials: credentials() });
		expect(run.json('Node Under Test', 1)).toEqual([]);
		expect(run.json('Node Under Test', 0).map((item) => item.imported_id)).toEqual(['five9-aqm-ev-1', 'five9-aqm-ev-2']);
	});

	test('a saved version-1 node without the field keeps Custom Mapping', async () => {
		await start();
		const run = await runWorkflow(rowsInto(evaluationRows(), withoutSource(1)), { credentials: credentials() });
		// Custom Mapping reads imported_id, which these items lack.
		expect(run.json('Node Under Test', 0)).toEqual([]);
		expect(run.json('Node Under Test', 1).map((item) => item.error)).toEqual([
			expect.stringMatching(/imported_id/),
			expect.stringMatching(/imported_id/),
		]);
	});
});

describe('developer settings under Advanced (version 1.1)', () => {
	const qaNode11 = (advanced: IDataObject, onError: 'continueErrorOutput' | 'stopWorkflow' = 'continueErrorOutput') => ({
		...assembledNode({ resource: 'qaScore', operation: 'createMany', source: 'custom', advanced }, onError),
		typeVersion: 1.1,
	});

	test('Batch Size and retries set under Advanced are used', async () => {
		await start();
		const rows = scoreRows(20, mock.people);
		const run = await runWorkflow(rowsInto(rows, qaNode11({ batchSize: 7, maxRetries: 1, retryDelayMs: 20 })), { credentials: credentials() });
		expect(run.json('Node Under Test', 1)).toEqual([]);
		expect(mock.requests.filter((r) => r.path === '/v0/qa_scores/bulk').map((r) => r.scoreCount)).toEqual([7, 7, 6]);
		expect(mock.store.size).toBe(20);
	});

	test('Max Retries under Advanced bounds the retries', async () => {
		await start();
		mock.inject({ status: 503, times: 10, retryAfter: 0 });
		const run = await runWorkflow(rowsInto(scoreRows(3, mock.people), qaNode11({ batchSize: 7, maxRetries: 1, retryDelayMs: 20 })), {
			credentials: credentials(),
		});
		const failed = run.json('Node Under Test', 1);
		expect(failed).toHaveLength(3);
		expect(failed[0].error).toMatch(/Gave up after 1 retr/);
		expect(mock.requests).toHaveLength(2);
	});

	test('a Batch Size beyond what Assembled accepts stops the node, as in version 1', async () => {
		await start();
		const run = await runWorkflow(rowsInto(scoreRows(2, mock.people), qaNode11({ batchSize: 1001 }, 'stopWorkflow')), { credentials: credentials() });
		expect(run.status).toBe('error');
		expect(run.nodeError('Node Under Test')!.message).toMatch(/Batch Size must be a whole number from 1 to 1000/);
		expect(mock.requests).toHaveLength(0);
	});

	// Bounded retries in version 1 ("retries are bounded") and its Batch Size ("input count equals output count") are tested above.
	test('a version-1 node still reads Batch Size and Max Retries where it saved them', async () => {
		await start();
		mock.inject({ status: 503, times: 1, retryAfter: 0 });
		const rows = scoreRows(10, mock.people);
		const run = await runWorkflow(rowsInto(rows, qaNode({ maxRetries: 1 }, { batchSize: 4 })), { credentials: credentials() });
		expect(run.json('Node Under Test', 1)).toEqual([]);
		// The 503 is answered before the body is read; its one retry is the first batch of 4.
		expect(mock.requests.filter((r) => r.path === '/v0/qa_scores/bulk').map((r) => [r.status, r.scoreCount])).toEqual([
			[503, undefined],
			[200, 4],
			[200, 4],
			[200, 2],
		]);
		expect(mock.store.size).toBe(10);
	});
});
