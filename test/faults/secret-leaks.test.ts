/**
 * No secret survives into a run: the nodes run against servers that echo every request — headers,
 * body and the decoded credentials in raw, URL, HTML, JSON and base64 forms — in every kind of
 * answer, and everything the run leaves behind (items on every output, node errors with all their
 * fields, the run's error) is searched for every form of every secret. Each case also proves the
 * echo reached the node: the mock answered leakily, and where the node quotes the server, a
 * harmless part of the echo (the request line) is in the run.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';

import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { AssembledMock, makePeople, type AssembledMockOptions, type ErrorStyle, type Fault } from '../mocks/assembled';
import { Five9Mock, MOCK_USER, type Five9Fault } from '../mocks/five9';
import { Five9QualityMock } from '../mocks/five9-quality';
import { requestCredentials } from '../mocks/http';
import { agentsFor } from '../mocks/evaluations';
import { CREDENTIAL_LINES, FrontEchoServer, type CredentialLine, type Exchange } from '../mocks/front-echo';
import { pollTrigger, runWorkflow, type WorkflowJson, type WorkflowRun } from '../harness/engine';
import { singleNodeWorkflow } from '../harness/single-node';
import { assembledNode, rowsInto } from '../harness/workflows';
import { basicPairForms, findSecrets, formsOf, runTexts, type Secret } from '../harness/leak-scan';
import { FIVE9_CREDENTIAL_REF, FIVE9_TYPE, NODE, callLogRun } from '../harness/five9';
import { scoreRows } from '../fixtures/scores';

// Each secret starts and ends with a nonce that survives URL, HTML and JSON escaping, so even a
// piece of a secret is found; in between, every character a careless escaper gets wrong.
const TRICKY = ' <&"\'>ü ß:x=';
// A Basic user name cannot hold a colon (the API key is the user name).
const ASSEMBLED_KEY = `sk_live_Qz7Wm4Rt${TRICKY.replace(':', '')}Kd3Hy8Vb`;
const ASSEMBLED_TEST_KEY = `sk_test_Tg6Lp2Ns${TRICKY.replace(':', '')}Fw9Jc5Xe`;
const FIVE9_PASSWORD = `Pw4Nq8Lx${TRICKY}Ra2Mz7Qe`;
const FIVE9_WRONG_PASSWORD = `Wr6Bt3Yh${TRICKY}Op1Ku4Sd`;
const CONSUMER_KEY = 'consumer-key-n8n';
const CONSUMER_SECRET = `Cs5Hv2Jp${TRICKY}Ex8Gn1Wq`;
const WRONG_CONSUMER_SECRET = `Ws3Dk9Ua${TRICKY}Iv7Rb2Lt`;
const USERINFO = { user: 'urlus3r', password: 'pa55w0rdX9' };

const nonces = (secret: string) => [secret.replace(/^sk_(live|test)_/, '').slice(0, 8), secret.slice(-8)];

/** A secret in every form; `pair` is the Basic pair it travels in. */
function secretsFor(name: string, secret: string, pair?: [user: string, password: string]): Secret[] {
	const list: Secret[] = [
		{ name, forms: formsOf(secret) },
		{ name: `${name} (a piece)`, forms: nonces(secret) },
	];
	if (pair) list.push({ name: `${name} as a Basic pair`, forms: basicPairForms(...pair) });
	return list;
}
// The API key is the Basic user name, with an empty password.
const keySecrets = (key: string) => secretsFor('API key', key, [key, '']);
const five9Secrets = (password: string) => secretsFor('Five9 password', password, [MOCK_USER, password]);
const consumerSecrets = (name: string, secret: string) => secretsFor(name, secret, [CONSUMER_KEY, secret]);

const userinfoSecrets = (): Secret[] => [
	{ name: 'URL password', forms: formsOf(USERINFO.password) },
	{ name: 'URL user info', forms: [...formsOf(`${USERINFO.user}:${USERINFO.password}`), ...basicPairForms(USERINFO.user, USERINFO.password)] },
];

/** Fails with every hit listed, so a leak names its form and where it was. */
function expectNoSecrets(texts: string[], secrets: Secret[]) {
	const hits = findSecrets(texts, secrets);
	expect(hits).toEqual([]);
}

const includesAny = (texts: string[], marker: string) => texts.some((text) => text.includes(marker));

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

test('the scanner finds every credential line of a real echo (so a clean run means something)', async () => {
	// Plain text, so the lines are as the echo writes them.
	const mock = await new AssembledMock({ leaky: true, validKeys: ['sk_live_other'], errorStyle: 'text' }).start();
	try {
		const answer = await fetch(`${mock.url}/v0/people`, {
			headers: { Authorization: `Basic ${Buffer.from(`${ASSEMBLED_KEY}:`, 'utf8').toString('base64')}` },
		});
		const lines = (await answer.text()).split('\n').filter((line) => /^(basic |Authorization)/.test(line));
		expect(lines.length).toBe(CREDENTIAL_LINES.length);
		for (const line of lines) expect([line, findSecrets([line], keySecrets(ASSEMBLED_KEY)).length > 0]).toEqual([line, true]);
		// And the echo in the header, as one latin1 line.
		expect(findSecrets([answer.headers.get('x-debug-echo') ?? ''], keySecrets(ASSEMBLED_KEY)).length).toBeGreaterThan(0);
	} finally {
		await mock.stop();
	}
});

describe('Assembled: QA Score → Create Many against a leaky server', () => {
	let mock: AssembledMock;
	afterEach(() => mock?.stop());

	const BULK = '/v0/qa_scores/bulk';
	/** The request line as the echo writes it: in the run only if the server's words are. */
	const REQUEST_LINE = `${BULK} HTTP/1.1`;
	const bulkOnly = (req: { path: string }) => req.path === BULK;

	interface QaCase {
		mock?: AssembledMockOptions;
		fault?: Fault;
		key?: string;
		/** Row 2 names an agent Assembled does not know. */
		badAgent?: boolean;
		options?: IDataObject;
		status: number;
		/** Where the server's words are part of the node's message: the echo's request line is in the run. */
		marker?: string;
	}

	async function runQa(c: QaCase, onError: INode['onError'] = 'continueErrorOutput') {
		mock = await new AssembledMock({ leaky: true, ...c.mock }).start();
		if (c.fault) mock.inject({ match: bulkOnly, ...c.fault });
		const rows = scoreRows(4, mock.people, 'leak');
		if (c.badAgent) rows[2].agent_email = 'ghost@example.com';
		const key = c.key ?? ASSEMBLED_KEY;
		const run = await runWorkflow(
			rowsInto(rows, assembledNode({ resource: 'qaScore', operation: 'createMany', source: 'custom', options: { maxRetries: 1, retryDelayMs: 10, ...c.options } }, onError)),
			{ credentials: { assembledApi: { apiKey: key, baseUrl: mock.url } } },
		);
		const texts = runTexts(run);
		// The server did answer this kind, with the echo.
		expect(mock.requests.some((r) => r.path === BULK && r.status === c.status)).toBe(true);
		if (onError === 'continueErrorOutput') expect(run.items(NODE, 1).length).toBeGreaterThan(0);
		else expect(run.error).toBeDefined();
		expectNoSecrets(texts, keySecrets(key));
		if (c.marker) expect(includesAny(texts, c.marker)).toBe(true);
		return { run, texts };
	}

	const styled: Array<[string, (style: ErrorStyle) => QaCase]> = [
		['400 (an unknown agent)', (style) => ({ mock: { strictAgents: true, errorStyle: style }, badAgent: true, status: 400, marker: style === 'empty' ? undefined : REQUEST_LINE })],
		// The 401 message is the node's own: nothing of the server's is quoted.
		['401 (key rejected)', (style) => ({ mock: { errorStyle: style, validKeys: ['sk_live_someone_else'] }, status: 401 })],
		['403 (a test key)', (style) => ({ mock: { errorStyle: style }, key: ASSEMBLED_TEST_KEY, status: 403, marker: style === 'empty' ? undefined : REQUEST_LINE })],
		['404', (style) => ({ mock: { errorStyle: style }, fault: { status: 404, times: 20 }, status: 404, marker: style === 'empty' ? undefined : REQUEST_LINE })],
		// "Kept answering too many requests" quotes nothing either.
		['429 past the retries', (style) => ({ mock: { errorStyle: style }, fault: { status: 429, retryAfter: 0, times: 20 }, status: 429 })],
		['500 past the retries', (style) => ({ mock: { errorStyle: style }, fault: { status: 500, times: 20 }, status: 500, marker: style === 'empty' ? undefined : REQUEST_LINE })],
	];
	const styles: ErrorStyle[] = ['object', 'string', 'text', 'empty'];
	test.each(styles.flatMap((style) => styled.map(([name, make]) => [`${name}, ${style} error body`, make(style)] as const)))('%s', async (_name, c) => {
		await runQa(c);
	});

	test.each<[string, QaCase]>([
		['an HTML error page (502)', { fault: { html: true, status: 502, times: 20 }, status: 502, marker: REQUEST_LINE }],
		['an HTML page on a 400', { fault: { html: true, status: 400, times: 20 }, status: 400, marker: REQUEST_LINE }],
		// The Location carries the echo URL-encoded in its query; the message names where it pointed, without it.
		['a 302 redirect', { fault: { redirect: true, times: 20 }, status: 302, marker: `${BULK})` }],
		['a 307 redirect', { fault: { redirect: true, status: 307, times: 20 }, status: 307, marker: `${BULK})` }],
		['a 200 with per-item errors', { mock: { strictAgents: true, qaMode: 'partial' }, badAgent: true, status: 200, marker: REQUEST_LINE }],
		['a 200 where every item failed', { mock: { qaMode: 'partial-all' }, status: 200, marker: REQUEST_LINE }],
		['a 503 body that is not JSON', { fault: { status: 503, body: 'upstream down', times: 20 }, status: 503, marker: REQUEST_LINE }],
	])('%s', async (_name, c) => {
		await runQa(c);
	});

	test.each<[string, QaCase]>([
		['400, node stops', { mock: { strictAgents: true }, badAgent: true, status: 400, marker: REQUEST_LINE }],
		['401, node stops', { mock: { validKeys: ['sk_live_someone_else'] }, status: 401 }],
		['500, node stops', { fault: { status: 500, times: 20 }, status: 500, marker: REQUEST_LINE }],
		['HTML page, node stops', { fault: { html: true, times: 20 }, status: 500, marker: REQUEST_LINE }],
		['redirect, node stops', { fault: { redirect: true, times: 20 }, status: 302, marker: `${BULK})` }],
		['per-item errors, node stops', { mock: { strictAgents: true, qaMode: 'partial' }, badAgent: true, status: 200, marker: REQUEST_LINE }],
	])('%s', async (_name, c) => {
		await runQa(c, 'stopWorkflow' as never);
	});

	test('Person → Get of an unknown id: the 404 quotes the server, the key stays out', async () => {
		mock = await new AssembledMock({ leaky: true }).start();
		const run = await runWorkflow(
			rowsInto([{ id: 'x' }], assembledNode({ resource: 'person', operation: 'get', personId: 'no-such-person-7Jq2', options: { maxRetries: 0 } }, 'continueErrorOutput')),
			{ credentials: { assembledApi: { apiKey: ASSEMBLED_KEY, baseUrl: mock.url } } },
		);
		expect(mock.requests.some((r) => r.status === 404)).toBe(true);
		const texts = runTexts(run);
		expectNoSecrets(texts, keySecrets(ASSEMBLED_KEY));
		expect(includesAny(texts, '/v0/people/no-such-person-7Jq2 HTTP/1.1')).toBe(true);
	});

	test('a Base URL with user info: neither the user info nor the key appears, whatever the server echoes', async () => {
		mock = await new AssembledMock({ leaky: true }).start();
		mock.inject({ status: 500, times: 20 });
		const baseUrl = mock.url.replace('http://', `http://${USERINFO.user}:${USERINFO.password}@`);
		const run = await runWorkflow(
			rowsInto(scoreRows(2, mock.people), assembledNode({ resource: 'qaScore', operation: 'createMany', source: 'custom', options: { maxRetries: 0 } }, 'continueErrorOutput')),
			{ credentials: { assembledApi: { apiKey: ASSEMBLED_KEY, baseUrl } } },
		);
		expect(mock.requests.length).toBeGreaterThan(0);
		const texts = runTexts(run);
		expectNoSecrets(texts, [...keySecrets(ASSEMBLED_KEY), ...userinfoSecrets()]);
		expect(includesAny(texts, REQUEST_LINE)).toBe(true);
	});

	test('a Base URL with user info to a closed port: the network error does not repeat the URL', async () => {
		const port = await closedPort();
		for (const onError of ['continueErrorOutput', 'stopWorkflow'] as const) {
			const run = await runWorkflow(
				rowsInto(scoreRows(2, makePeople(4)), assembledNode({ resource: 'qaScore', operation: 'createMany', source: 'custom', options: { maxRetries: 0 } }, onError as never)),
				{ credentials: { assembledApi: { apiKey: ASSEMBLED_KEY, baseUrl: `http://${USERINFO.user}:${USERINFO.password}@127.0.0.1:${port}` } } },
			);
			const texts = runTexts(run);
			expect(includesAny(texts, 'Could not reach Assembled')).toBe(true);
			expectNoSecrets(texts, [...keySecrets(ASSEMBLED_KEY), ...userinfoSecrets()]);
		}
	});
});

describe('Five9 SOAP against a leaky server', () => {
	let mock: Five9Mock;
	beforeEach(async () => {
		mock = await new Five9Mock({ leaky: true, runningPolls: 0, callSpacingSeconds: 3600, users: { [MOCK_USER]: FIVE9_PASSWORD } }).start();
	});
	afterEach(() => mock.stop());

	const ADMIN_LINE = 'AdminWebService HTTP/1.1';

	interface Five9Case {
		fault?: Five9Fault;
		parameters?: IDataObject;
		password?: string;
		/** What the mock recorded for the request that failed. */
		recorded: { status?: number; fault?: string };
		marker?: string;
	}

	async function runCase(c: Five9Case, onError?: INode['onError']) {
		if (c.fault) mock.inject({ times: 20, ...c.fault });
		const password = c.password ?? FIVE9_PASSWORD;
		const workflow = singleNodeWorkflow({
			type: FIVE9_TYPE,
			parameters: callLogRun({ end: '2024-03-10', ...c.parameters }, { maxRetries: 1, retryDelayMs: 10 }),
			credentials: FIVE9_CREDENTIAL_REF,
			onError,
		});
		const run = await runWorkflow(workflow, { credentials: { five9Api: mock.credentials({ password }) } });
		expect(mock.requests.some((r) => (c.recorded.status === undefined || r.status === c.recorded.status) && (c.recorded.fault === undefined || r.fault === c.recorded.fault))).toBe(true);
		const texts = runTexts(run);
		if (onError === 'continueErrorOutput') expect(run.items(NODE, 1).length).toBeGreaterThan(0);
		else expect(run.error).toBeDefined();
		expectNoSecrets(texts, five9Secrets(password));
		if (c.marker) expect(includesAny(texts, c.marker)).toBe(true);
	}

	const cases: Array<[string, Five9Case]> = [
		['ReportNotFoundFault (a wrong report name)', { parameters: { reportName: 'No Such Report' }, recorded: { fault: 'ReportNotFoundFault' }, marker: ADMIN_LINE }],
		['AccessDisallowedFault on runReport', { fault: { operation: 'runReport', fault: 'AccessDisallowedFault' }, recorded: { fault: 'AccessDisallowedFault' }, marker: ADMIN_LINE }],
		['ServerFault past the retries', { fault: { operation: 'getReportResultCsv', fault: 'ServerFault' }, recorded: { fault: 'ServerFault' }, marker: ADMIN_LINE }],
		['UnknownIdentifierFault on isReportRunning', { fault: { operation: 'isReportRunning', fault: 'UnknownIdentifierFault' }, recorded: { fault: 'UnknownIdentifierFault' }, marker: ADMIN_LINE }],
		// The login message is the node's own: the server's 401 page is not quoted.
		['the 401 page of a wrong password', { password: FIVE9_WRONG_PASSWORD, recorded: { status: 401 } }],
		['an HTML 500 page', { fault: { operation: 'runReport', status: 500 }, recorded: { status: 500 }, marker: ADMIN_LINE }],
		['an HTML 503 page', { fault: { operation: 'runReport', status: 503, retryAfter: 0 }, recorded: { status: 503 } }],
		['an HTML 418 page', { fault: { operation: 'runReport', status: 418 }, recorded: { status: 418 }, marker: ADMIN_LINE }],
		['an HTML 404 page', { fault: { operation: 'runReport', status: 404 }, recorded: { status: 404 } }],
		['an HTML 403 page', { fault: { operation: 'runReport', status: 403 }, recorded: { status: 403 } }],
		['a 302 redirect', { fault: { operation: 'runReport', redirect: true }, recorded: { fault: 'redirect' }, marker: 'AdminWebService) to runReport' }],
		['a 301 redirect on getReportResultCsv', { fault: { operation: 'getReportResultCsv', redirect: true, status: 301 }, recorded: { status: 301 }, marker: 'AdminWebService) to getReportResultCsv' }],
		['a 200 that is not SOAP', { fault: { operation: 'getReportResultCsv', body: 'garbage, not a SOAP envelope' }, recorded: { status: 200 } }],
	];

	test.each(cases)('%s, node stops', async (_name, c) => {
		await runCase(c);
	});

	test.each(cases.filter(([name]) => /NotFound|401|500 page|302/.test(name)))('%s, error output', async (_name, c) => {
		await runCase(c, 'continueErrorOutput');
	});

	test('a custom Base URL with user info: neither it nor the password appears', async () => {
		mock.inject({ operation: 'runReport', fault: 'AccessDisallowedFault' });
		const baseUrl = mock.url.replace('http://', `http://${USERINFO.user}:${USERINFO.password}@`);
		const workflow = singleNodeWorkflow({ type: FIVE9_TYPE, parameters: callLogRun({ end: '2024-03-10' }, { maxRetries: 0 }) as INodeParameters, credentials: FIVE9_CREDENTIAL_REF });
		const run = await runWorkflow(workflow, { credentials: { five9Api: mock.credentials({ password: FIVE9_PASSWORD, baseUrl }) } });
		expect(mock.requests.length).toBeGreaterThan(0);
		const texts = runTexts(run);
		expectNoSecrets(texts, [...five9Secrets(FIVE9_PASSWORD), ...userinfoSecrets()]);
		expect(includesAny(texts, ADMIN_LINE)).toBe(true);
	});

	test('a custom Base URL with user info to a closed port', async () => {
		const port = await closedPort();
		const workflow = singleNodeWorkflow({ type: FIVE9_TYPE, parameters: callLogRun({ end: '2024-03-10' }, { maxRetries: 0 }) as INodeParameters, credentials: FIVE9_CREDENTIAL_REF });
		const run = await runWorkflow(workflow, {
			credentials: { five9Api: mock.credentials({ password: FIVE9_PASSWORD, baseUrl: `http://${USERINFO.user}:${USERINFO.password}@127.0.0.1:${port}` }) },
		});
		const texts = runTexts(run);
		expect(includesAny(texts, 'Could not reach Five9')).toBe(true);
		expectNoSecrets(texts, [...five9Secrets(FIVE9_PASSWORD), ...userinfoSecrets()]);
	});
});

describe('Five9 evaluations API (OAuth client credentials) against a leaky server', () => {
	let api: Five9QualityMock;
	beforeEach(async () => {
		api = await new Five9QualityMock({
			feed: { agents: agentsFor(makePeople(6)), everyMs: 3_600_000 },
			leaky: true,
			consumerKey: CONSUMER_KEY,
			consumerSecret: CONSUMER_SECRET,
		}).start();
	});
	afterEach(() => api.stop());

	const EVALUATIONS_TYPE = 'n8n-nodes-five9-assembled.five9';
	const evaluationWorkflow = (onError?: INode['onError']): WorkflowJson =>
		singleNodeWorkflow({
			type: EVALUATIONS_TYPE,
			parameters: { resource: 'evaluation', operation: 'getMany', source: 'api', start: '2026-01-05T00:00:00Z', end: '2026-01-06T00:00:00Z' },
			credentials: { five9EvaluationsApi: { id: 'evalApi', name: 'Evaluations API' } },
			onError,
		});
	const credentials = (overrides: IDataObject = {}) => ({
		five9EvaluationsApi: { baseUrl: api.url, domainId: api.domainId, consumerKey: CONSUMER_KEY, consumerSecret: CONSUMER_SECRET, ...overrides },
	});
	/** The bearer tokens the server issued during the run: secrets as much as the consumer secret. */
	const tokenSecrets = (): Secret[] => [...api.tokens].map((token) => ({ name: 'bearer token', forms: [token, ...formsOf(token), Buffer.from(token).toString('base64')] }));

	async function run(overrides: IDataObject, onError?: INode['onError']): Promise<{ run: WorkflowRun; texts: string[] }> {
		const result = await runWorkflow(evaluationWorkflow(onError), { credentials: credentials(overrides) });
		if (onError) expect(result.items(NODE, 1).length).toBeGreaterThan(0);
		else expect(result.error).toBeDefined();
		return { run: result, texts: runTexts(result) };
	}

	test.each([undefined, 'continueErrorOutput'] as const)('the token request refused (a wrong consumer secret), onError %s', async (onError) => {
		const { texts } = await run({ consumerSecret: WRONG_CONSUMER_SECRET }, onError);
		expect(api.tokenRequests).toBeGreaterThan(0);
		expect(api.requests.some((r) => r.path === '/oauth2/v1/token' && r.status === 401)).toBe(true);
		// The secret the node sent is the credential's secret, even though it is the wrong one.
		expectNoSecrets(texts, [
			...consumerSecrets('consumer secret', WRONG_CONSUMER_SECRET),
			...consumerSecrets('the server’s consumer secret', CONSUMER_SECRET),
		]);
	});

	test('the Evaluation Trigger polling with a wrong consumer secret throws nothing secret', async () => {
		const workflow: WorkflowJson = {
			name: 'evaluation trigger',
			nodes: [
				{
					id: 'trigger',
					name: 'Five9 Evaluation Trigger',
					type: 'n8n-nodes-five9-assembled.five9EvaluationTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: { source: 'api', options: { backfillDays: 1 } },
					credentials: { five9EvaluationsApi: { id: 'evalApi', name: 'Evaluations API' } },
				} as INode,
			],
			connections: {},
		};
		let thrown: unknown;
		try {
			await pollTrigger(workflow, 'Five9 Evaluation Trigger', { credentials: credentials({ consumerSecret: WRONG_CONSUMER_SECRET }), staticData: {} });
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeDefined();
		expect(api.requests.some((r) => r.path === '/oauth2/v1/token' && r.status === 401)).toBe(true);
		expectNoSecrets(runTexts(undefined, thrown), consumerSecrets('consumer secret', WRONG_CONSUMER_SECRET));
	});

	test.each([
		['500 past the retries', { status: 500, count: 100, retryAfter: 0 }, 500, true],
		['429 past the retries', { status: 429, count: 100, retryAfter: 0 }, 429, false],
		['403 (scripted)', { status: 403, count: 1 }, 403, true],
	] as const)('evaluations endpoint: %s', async (_name, failNext, status, quoted) => {
		for (const onError of [undefined, 'continueErrorOutput'] as const) {
			api.failNext = { ...failNext };
			const { texts } = await run({}, onError);
			expect(api.requests.some((r) => r.path.endsWith('/evaluations') && r.status === status)).toBe(true);
			expect(api.tokens.size).toBeGreaterThan(0);
			expectNoSecrets(texts, [...consumerSecrets('consumer secret', CONSUMER_SECRET), ...tokenSecrets()]);
			if (quoted) expect(includesAny(texts, `/quality/v1/domains/${api.domainId}/evaluations?`)).toBe(true);
		}
	});

	test('evaluations endpoint: 403 for a domain the key may not read', async () => {
		const { texts } = await run({ domainId: 'other-domain-4Kf8' }, 'continueErrorOutput');
		expect(api.requests.some((r) => r.status === 403)).toBe(true);
		expectNoSecrets(texts, [...consumerSecrets('consumer secret', CONSUMER_SECRET), ...tokenSecrets()]);
		expect(includesAny(texts, 'GET /quality/v1/domains/other-domain-4Kf8/evaluations?')).toBe(true);
	});

	test('a Base URL with user info: the refused token request repeats neither it nor the secret', async () => {
		const baseUrl = api.url.replace('http://', `http://${USERINFO.user}:${USERINFO.password}@`);
		const { texts } = await run({ baseUrl, consumerSecret: WRONG_CONSUMER_SECRET }, 'continueErrorOutput');
		expect(api.requests.some((r) => r.path === '/oauth2/v1/token' && r.status === 401)).toBe(true);
		expectNoSecrets(texts, [...consumerSecrets('consumer secret', WRONG_CONSUMER_SECRET), ...userinfoSecrets()]);
	});
});

/**
 * The same servers' words with one credential line first, so that line falls inside what the node
 * quotes. START proves the words reached the run; END, where asserted, that the whole line did.
 */
describe('credential lines first in the server’s words', () => {
	const START = 'ECHOSTART';
	const END = 'ECHOEND';
	const framed = (exchange: Exchange) => `${START} ${exchange.words.split('\n')[0]} ${END}\n${exchange.requestLine}`;
	const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	const basicLines: CredentialLine[] = [...CREDENTIAL_LINES, 'html page: '];

	let server: FrontEchoServer;
	afterEach(() => server?.stop());

	type Shape = (exchange: Exchange, server: FrontEchoServer) => void;

	/** `start`/`end`: the run must hold the words' first / last marker (the node quotes them, whole). */
	type Quoted = { start: boolean; end: boolean };
	const WHOLE: Quoted = { start: true, end: true };
	// A Location is named without its query, so the echo in it is never quoted.
	const redirectEcho: Shape = (x, s) => x.send(302, 'text/html', '', { Location: `${s.url}${x.path}?echo=${encodeURIComponent(framed(x))}#${encodeURIComponent(framed(x))}` });
	const assembledShapes: Array<[string, Shape, Quoted]> = [
		['a JSON 400', (x) => x.send(400, 'application/json', JSON.stringify({ error: { message: framed(x), type: 'invalid_request_error' } })), WHOLE],
		['a text 500', (x) => x.send(500, 'text/plain', framed(x)), WHOLE],
		['an HTML 502 page', (x) => x.send(502, 'text/html', `<html><body><h1>502</h1><pre>${framed(x)}</pre></body></html>`), WHOLE],
		['a 403 with a string error', (x) => x.send(403, 'application/json', JSON.stringify({ error: framed(x) })), WHOLE],
		['a 200 with per-item errors', (x) => x.send(200, 'application/json', JSON.stringify({ scores: [], errors: [{ index: 0, error: framed(x) }] })), WHOLE],
		['a 302 whose Location carries the echo', redirectEcho, { start: false, end: false }],
	];

	test.each(assembledShapes.flatMap(([name, shape, expect]) => basicLines.map((line) => [`Assembled, ${name}: "${line.trim()}" first`, shape, expect, line] as const)))(
		'%s',
		async (_name, shape, expected, line) => {
			server = await new FrontEchoServer((x) => shape(x, server)).start();
			server.line = line;
			const run = await runWorkflow(
				rowsInto(scoreRows(1, makePeople(4)), assembledNode({ resource: 'qaScore', operation: 'createMany', source: 'custom', options: { maxRetries: 0 } }, 'continueErrorOutput')),
				{ credentials: { assembledApi: { apiKey: ASSEMBLED_KEY, baseUrl: server.url } } },
			);
			expect(server.requests.length).toBeGreaterThan(0);
			const texts = runTexts(run);
			expectNoSecrets(texts, keySecrets(ASSEMBLED_KEY));
			expect(includesAny(texts, START)).toBe(expected.start);
			if (expected.end) expect(includesAny(texts, END)).toBe(true);
			if (!expected.start) expect(includesAny(texts, `(moved to ${server.url}/v0/qa_scores/bulk)`)).toBe(true);
		},
	);

	const soapFault = (text: string) =>
		`<?xml version='1.0' encoding='UTF-8'?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body><env:Fault><faultcode>env:Server</faultcode><faultstring>${xml(text)}</faultstring><detail><ns1:AccessDisallowedFault xmlns:ns1="http://service.admin.ws.five9.com/"><message>${xml(text)}</message></ns1:AccessDisallowedFault></detail></env:Fault></env:Body></env:Envelope>`;
	const five9Shapes: Array<[string, Shape, Quoted]> = [
		['a SOAP fault', (x) => x.send(500, 'text/xml; charset=utf-8', soapFault(framed(x))), WHOLE],
		// Five9 pages are quoted up to 200 characters: the URL-encoded line (user, password and pair) is longer.
		['an HTML 500 page', (x) => x.send(500, 'text/html', `<html><body><h1>HTTP Status 500</h1>${framed(x)}</body></html>`), { start: true, end: false }],
		['a 302 whose Location carries the echo', redirectEcho, { start: false, end: false }],
	];

	test.each(five9Shapes.flatMap(([name, shape, expect]) => basicLines.map((line) => [`Five9, ${name}: "${line.trim()}" first`, shape, expect, line] as const)))(
		'%s',
		async (_name, shape, expected, line) => {
			server = await new FrontEchoServer((x) => shape(x, server)).start();
			server.line = line;
			const workflow = singleNodeWorkflow({ type: FIVE9_TYPE, parameters: callLogRun({ end: '2024-03-10' }, { maxRetries: 0 }) as INodeParameters, credentials: FIVE9_CREDENTIAL_REF });
			const run = await runWorkflow(workflow, {
				credentials: { five9Api: { username: MOCK_USER, password: FIVE9_PASSWORD, dataCenter: 'custom', baseUrl: server.url, reportTimeZone: '' } },
			});
			expect(server.requests.length).toBeGreaterThan(0);
			const texts = runTexts(run);
			expectNoSecrets(texts, five9Secrets(FIVE9_PASSWORD));
			expect(includesAny(texts, START)).toBe(expected.start);
			if (expected.end) expect(includesAny(texts, END)).toBe(true);
			if (!expected.start) expect(includesAny(texts, `(moved to ${server.url}/wsadmin/v13/AdminWebService) to runReport`)).toBe(true);
		},
	);

	/** The evaluations API: a token for the right pair unless `refuseTokens`; `fail` shapes every other answer. */
	function qualityServer(fail: (x: Exchange) => void, tokens: Set<string>, refuseTokens = false) {
		return new FrontEchoServer((x) => {
			const credentials = requestCredentials(x.req);
			const good = credentials?.kind === 'basic' && credentials.user === CONSUMER_KEY && credentials.password === CONSUMER_SECRET;
			if (x.path !== '/oauth2/v1/token' || !good || refuseTokens) return fail(x);
			const token = randomUUID();
			tokens.add(token);
			x.send(200, 'application/json', JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }));
		});
	}
	const qualityError = (status: number) => (x: Exchange) => x.send(status, 'application/json', JSON.stringify({ traceId: 't-1', details: [{ code: 'E', message: framed(x) }] }));
	const evaluationNode = () =>
		singleNodeWorkflow({
			type: FIVE9_TYPE,
			parameters: { resource: 'evaluation', operation: 'getMany', source: 'api', start: '2026-01-05T00:00:00Z', end: '2026-01-06T00:00:00Z' },
			credentials: { five9EvaluationsApi: { id: 'evalApi', name: 'Evaluations API' } },
			onError: 'continueErrorOutput',
		});

	test.each(basicLines)('evaluations API, the token request answered 400: "%s" first', async (line) => {
		const tokens = new Set<string>();
		server = await qualityServer(qualityError(400), tokens, true).start();
		server.line = line;
		const run = await runWorkflow(evaluationNode(), {
			credentials: { five9EvaluationsApi: { baseUrl: server.url, domainId: '130736', consumerKey: CONSUMER_KEY, consumerSecret: CONSUMER_SECRET } },
		});
		expect(server.requests.some((r) => r.path === '/oauth2/v1/token' && r.status === 400)).toBe(true);
		const texts = runTexts(run);
		expectNoSecrets(texts, consumerSecrets('consumer secret', CONSUMER_SECRET));
		expect(includesAny(texts, START)).toBe(true);
		expect(includesAny(texts, END)).toBe(true);
	});

	test.each([
		[500, 'Authorization: '],
		[500, 'bearer raw: '],
		[500, 'html page: '],
		[403, 'Authorization: '],
		[403, 'bearer raw: '],
		[400, 'bearer raw: '],
	] as const)('evaluations API, the evaluations request answered %i: "%s" first', async (status, line) => {
		const tokens = new Set<string>();
		server = await qualityServer((x) => (status === 500 ? x.send(500, 'application/json', JSON.stringify({ traceId: 't', details: [{ code: 'E', message: framed(x) }] }), { 'Retry-After': '0' }) : qualityError(status)(x)), tokens).start();
		server.line = line;
		const run = await runWorkflow(evaluationNode(), {
			credentials: { five9EvaluationsApi: { baseUrl: server.url, domainId: '130736', consumerKey: CONSUMER_KEY, consumerSecret: CONSUMER_SECRET } },
		});
		expect(tokens.size).toBeGreaterThan(0);
		expect(server.requests.some((r) => r.path.endsWith('/evaluations') && r.status === status)).toBe(true);
		const texts = runTexts(run);
		const tokenForms: Secret[] = [...tokens].map((token) => ({ name: 'bearer token', forms: formsOf(token) }));
		expectNoSecrets(texts, [...consumerSecrets('consumer secret', CONSUMER_SECRET), ...tokenForms]);
		expect(includesAny(texts, START)).toBe(true);
		expect(includesAny(texts, END)).toBe(true);
	});
});
