/**
 * The local servers' hostile modes: leaky error answers that reflect the request and its credentials,
 * dripped and cut-off answers, and a streamed huge CSV. Plain Node clients, so only the mocks are tested.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

import { AssembledMock, makePeople } from '../mocks/assembled';
import { Five9Mock, MOCK_PASSWORD, MOCK_USER } from '../mocks/five9';
import { Five9QualityMock } from '../mocks/five9-quality';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

/** Written out here rather than imported, so the test does not share the mock's encoder. */
const htmlEscape = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const xmlUnescape = (text: string) =>
	text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#13;/g, '\r').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Every form of a Basic pair the echo promises. */
function expectBasicEcho(text: string, user: string, password: string) {
	const pair = `${user}:${password}`;
	expect(text).toContain(pair);
	expect(text).toContain(encodeURIComponent(user));
	expect(text).toContain(encodeURIComponent(password));
	expect(text).toContain(encodeURIComponent(pair));
	expect(text).toContain(htmlEscape(pair));
	expect(text).toContain(JSON.stringify(pair).slice(1, -1));
	expect(text).toContain(Buffer.from(pair, 'utf8').toString('base64'));
	expect(text).toContain(`Authorization: ${basic(user, password)}`);
}

interface RawAnswer {
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
	/** The answer's body ended normally (not cut off, not still running). */
	complete: boolean;
	error?: string;
}

/** One request with Node's http client; gives up after `waitMs` and reports what arrived until then. */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; waitMs?: number } = {}) {
	return new Promise<RawAnswer & { firstByteAfterMs?: number; headersAfterMs?: number }>((resolve) => {
		const started = Date.now();
		const chunks: Buffer[] = [];
		let answer: (RawAnswer & { firstByteAfterMs?: number; headersAfterMs?: number }) | undefined;
		let timer: NodeJS.Timeout | undefined;
		const finish = (complete: boolean, error?: string) => {
			if (timer) clearTimeout(timer);
			resolve({ ...(answer ?? { status: 0, headers: {} }), body: Buffer.concat(chunks), complete, error });
		};
		const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
			answer = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.alloc(0), complete: false, headersAfterMs: Date.now() - started };
			res.on('data', (chunk: Buffer) => {
				answer!.firstByteAfterMs ??= Date.now() - started;
				chunks.push(chunk);
			});
			res.on('end', () => finish(true));
			res.on('aborted', () => finish(false, 'aborted'));
			res.on('error', (error) => finish(false, error.message));
		});
		req.on('error', (error) => finish(false, error.message));
		if (options.waitMs !== undefined) {
			timer = setTimeout(() => {
				finish(false, 'gave up');
				req.destroy();
			}, options.waitMs);
		}
		req.end(options.body);
	});
}

describe('AssembledMock', () => {
	const KEY = 'sk_live_m0ck&<key>"q\'';
	let mock: AssembledMock;
	afterEach(() => mock?.stop());

	const call = (path: string, init: { method?: string; key?: string; body?: string; headers?: Record<string, string> } = {}) =>
		fetch(`${mock.url}${path}`, {
			method: init.method ?? 'GET',
			redirect: 'manual',
			headers: { Authorization: basic(init.key ?? KEY, ''), 'Content-Type': 'application/json', ...init.headers },
			body: init.body,
		});

	test('off by default: error answers are exactly as before', async () => {
		mock = await new AssembledMock().start();
		const answer = await call('/v0/people', { key: 'nope' });
		expect(answer.status).toBe(401);
		expect(await answer.text()).toBe('{"error":{"message":"Invalid API key provided","type":"invalid_request_error"}}');
		expect(answer.headers.get('x-debug-echo')).toBeNull();
		const missing = await call('/v0/nothing');
		expect(await missing.json()).toEqual({ error: { message: 'No route for GET /v0/nothing', type: 'invalid_request_error' } });
	});

	test('leaky: every error answer reflects the request line, headers, body and each encoding of the key', async () => {
		mock = await new AssembledMock({ leaky: true }).start();
		const body = '{"scores":[{"imported_id":"x"}]}';
		const answer = await call('/v0/qa_scores/bulk?dry=1', { method: 'POST', body, key: `bad_${KEY}` });
		expect(answer.status).toBe(401);
		const payload = (await answer.json()) as { error: { message: string } };
		const message = payload.error.message;
		expect(message.startsWith('Invalid API key provided\n')).toBe(true);
		expect(message).toContain('POST /v0/qa_scores/bulk?dry=1');
		expect(message).toContain(body);
		expectBasicEcho(message, `bad_${KEY}`, '');
		// The order is request line, headers, body, credentials.
		expect(message.indexOf('POST /v0')).toBeLessThan(message.indexOf('Authorization: Basic'));
		expect(message.indexOf('Authorization: Basic')).toBeLessThan(message.indexOf(body));
		expect(message.indexOf(body)).toBeLessThan(message.lastIndexOf(`bad_${KEY}:`));

		// 404, a validation 400, and the limiter's 429 too.
		expect(((await (await call('/v0/nothing')).json()) as { error: { message: string } }).error.message).toContain(`${KEY}:`);
		const invalid = await call('/v0/qa_scores/bulk', { method: 'POST', body: '{"scores":[]}' });
		expect(invalid.status).toBe(400);
		expect(await invalid.text()).toContain(htmlEscape(`${KEY}:`));
		const activities = await call('/v0/activities');
		expect(activities.status).toBe(400);
		expect(((await activities.json()) as { error: { message: string } }).error.message).toMatch(/^start_time and end_time are required\nGET \/v0\/activities /);
		mock.inject({ status: 503 });
		const scripted = await call('/v0/people');
		expect(scripted.status).toBe(503);
		expectBasicEcho(((await scripted.json()) as { error: { message: string } }).error.message, KEY, '');
	});

	test('leaky in each error style; the empty style carries the echo in X-Debug-Echo', async () => {
		mock = await new AssembledMock({ leaky: true }).start();
		for (const style of ['string', 'text', 'empty'] as const) {
			mock.options.errorStyle = style;
			const answer = await call('/v0/people', { key: 'nope' });
			const text = await answer.text();
			if (style === 'string') expectBasicEcho((JSON.parse(text) as { error: string }).error, 'nope', '');
			if (style === 'text') expectBasicEcho(text, 'nope', '');
			if (style === 'empty') expect(text).toBe('');
			const header = answer.headers.get('x-debug-echo') ?? '';
			expect(header).not.toMatch(/[\r\n]/);
			expect(header).toContain(' | ');
			expectBasicEcho(header, 'nope', '');
		}
	});

	test('leaky switches on and off between requests', async () => {
		mock = await new AssembledMock().start();
		expect(await (await call('/v0/people', { key: 'nope' })).text()).not.toContain('nope');
		mock.leaky = true;
		expect(await (await call('/v0/people', { key: 'nope' })).text()).toContain('nope:');
		mock.leaky = false;
		expect(await (await call('/v0/people', { key: 'nope' })).text()).not.toContain('nope');
	});

	test('html fault: an HTML page with the echo in <pre> and the key alone in <b>', async () => {
		mock = await new AssembledMock({ leaky: true }).start();
		mock.inject({ html: true, status: 502 });
		const answer = await call('/v0/people');
		expect(answer.status).toBe(502);
		expect(answer.headers.get('content-type')).toBe('text/html');
		const page = await answer.text();
		expect(page).toMatch(/<pre>GET \/v0\/people HTTP\/1\.1\n/);
		expect(page).toContain(`<b>${KEY}</b>`);
		expectBasicEcho(page, KEY, '');
		expect(mock.requests[0]).toMatchObject({ status: 502, fault: 'html' });
		// Not leaky: the same fault is a plain page.
		mock.leaky = false;
		mock.inject({ html: true });
		const plain = await call('/v0/people');
		expect(plain.status).toBe(500);
		expect(await plain.text()).not.toContain(KEY);
	});

	test('redirect fault: Location back to the URL with ?echo=, echo in the HTML body', async () => {
		mock = await new AssembledMock({ leaky: true }).start();
		mock.inject({ redirect: true, status: 307 });
		const answer = await call('/v0/people?limit=5');
		expect(answer.status).toBe(307);
		const location = new URL(answer.headers.get('location') ?? '');
		expect(`${location.origin}${location.pathname}`).toBe(`${mock.url}/v0/people`);
		expect(location.searchParams.get('limit')).toBe('5');
		expectBasicEcho(location.searchParams.get('echo') ?? '', KEY, '');
		expectBasicEcho(await answer.text(), KEY, '');
		expect(mock.requests[0]).toMatchObject({ status: 307, fault: 'redirect' });
		mock.leaky = false;
		mock.inject({ redirect: true });
		const plain = await call('/v0/people');
		expect(plain.status).toBe(302);
		expect(plain.headers.get('location')).toBe(`${mock.url}/v0/people`);
	});

	const scores = (people = makePeople(12)) => [
		{ imported_id: 'a-1', agent_email: people[0].email, ticket_created_at: 1710000000, score: 80 },
		{ imported_id: 'a-2', agent_email: 'ghost@example.com', ticket_created_at: 1710000000, score: 90 },
	];

	test('partial + leaky: a 200 whose per-item errors reflect the request', async () => {
		mock = await new AssembledMock({ leaky: true, qaMode: 'partial', strictAgents: true }).start();
		const answer = await call('/v0/qa_scores/bulk', { method: 'POST', body: JSON.stringify({ scores: scores(mock.people) }) });
		expect(answer.status).toBe(200);
		const payload = (await answer.json()) as { errors: { index: number; error: string }[] };
		expect(payload.errors).toHaveLength(1);
		expect(payload.errors[0].index).toBe(1);
		expectBasicEcho(payload.errors[0].error, KEY, '');
		expect(mock.store.size).toBe(1);
	});

	test('partial-all: every score comes back as an error and nothing is stored; leaky appends the echo', async () => {
		mock = await new AssembledMock({ qaMode: 'partial-all' }).start();
		const body = JSON.stringify({ scores: scores(mock.people) });
		const payload = (await (await call('/v0/qa_scores/bulk', { method: 'POST', body })).json()) as {
			scores: unknown[];
			errors: { index: number; imported_id: string; error: string }[];
		};
		expect(payload.scores).toEqual([]);
		expect(payload.errors.map((e) => [e.index, e.imported_id])).toEqual([[0, 'a-1'], [1, 'a-2']]);
		expect(payload.errors[0].error).toBe('score a-1 was not imported');
		expect(mock.store.size).toBe(0);
		expect(mock.receipts.size).toBe(0);
		mock.leaky = true;
		const leaked = (await (await call('/v0/qa_scores/bulk', { method: 'POST', body })).json()) as { errors: { error: string }[] };
		for (const error of leaked.errors) expectBasicEcho(error.error, KEY, '');
		expect(mock.store.size).toBe(0);
	});

	test('drip: headers at once, then a byte per interval, never ending', async () => {
		mock = await new AssembledMock().start();
		mock.inject({ drip: { intervalMs: 40 } });
		const answer = await raw(`${mock.url}/v0/people`, { headers: { Authorization: basic(KEY, '') }, waitMs: 600 });
		expect(answer.status).toBe(200);
		expect(answer.headersAfterMs).toBeLessThan(300);
		expect(answer.complete).toBe(false);
		expect(answer.body.length).toBeGreaterThanOrEqual(5);
		expect(answer.body.length).toBeLessThanOrEqual(20);
		expect(answer.body.toString()).toMatch(/^\{ +$/);
		expect(mock.requests[0]).toMatchObject({ status: 200, fault: 'drip' });
	});

	test('drip with totalMs ends with the whole, valid answer', async () => {
		mock = await new AssembledMock().start();
		mock.inject({ drip: { intervalMs: 20, totalMs: 200 } });
		const started = Date.now();
		const answer = await raw(`${mock.url}/v0/people?limit=2`, { headers: { Authorization: basic(KEY, '') }, waitMs: 3000 });
		expect(answer.complete).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		expect(Object.keys((JSON.parse(answer.body.toString()) as { people: object }).people)).toHaveLength(2);
	});

	test('cutOff: the status and headers of the people page, its first bytes, then a closed socket', async () => {
		mock = await new AssembledMock().start();
		mock.inject({ cutOff: { afterBytes: 100 } });
		const answer = await raw(`${mock.url}/v0/people`, { headers: { Authorization: basic(KEY, '') }, waitMs: 3000 });
		expect(answer.status).toBe(200);
		expect(answer.complete).toBe(false);
		expect(answer.error).not.toBe('gave up');
		expect(Number(answer.headers['content-length'])).toBeGreaterThan(1000);
		expect(answer.body.length).toBe(100);
		expect(answer.body.toString()).toMatch(/^\{"people":\{/);
		expect(mock.requests[0]).toMatchObject({ status: 200, fault: 'cutOff' });
		// The next request is answered normally.
		const next = await raw(`${mock.url}/v0/people`, { headers: { Authorization: basic(KEY, '') } });
		expect(next.complete).toBe(true);
	});

	test('cutOff after 0 bytes: headers only, then a closed socket', async () => {
		mock = await new AssembledMock().start();
		mock.inject({ cutOff: { afterBytes: 0 } });
		const answer = await raw(`${mock.url}/v0/people`, { headers: { Authorization: basic(KEY, '') }, waitMs: 3000 });
		expect(answer.status).toBe(200);
		expect(answer.complete).toBe(false);
		expect(answer.error).not.toBe('gave up');
		expect(answer.body.length).toBe(0);
	});
});

describe('Five9Mock', () => {
	let mock: Five9Mock;
	afterEach(() => mock?.stop());

	const ADMIN = '/wsadmin/v13/AdminWebService';
	const envelope = (inner: string) =>
		`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ser="http://service.admin.ws.five9.com/"><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;
	const RUN_REPORT = envelope(
		'<ser:runReport><folderName>Call Log Reports</folderName><reportName>Call Log</reportName><criteria><time><start>2024-03-09T00:00:00-08:00</start><end>2024-03-10T00:00:00-08:00</end></time></criteria></ser:runReport>',
	);
	const soap = (body: string, options: { password?: string; waitMs?: number; path?: string } = {}) =>
		raw(`${mock.url}${options.path ?? ADMIN}`, {
			method: 'POST',
			headers: { Authorization: basic(MOCK_USER, options.password ?? MOCK_PASSWORD), 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
			body,
			waitMs: options.waitMs,
		});
	const runIdentifier = async () => {
		const answer = await soap(RUN_REPORT);
		return xmlUnescape(/<return>(.*?)<\/return>/.exec(answer.body.toString())![1]);
	};

	test('off by default: faults and pages carry no echo', async () => {
		mock = await new Five9Mock({ runningPolls: 0 }).start();
		mock.inject({ fault: 'ServerFault' });
		const fault = (await soap(envelope('<ser:getVCCConfiguration/>'))).body.toString();
		expect(fault).toContain('<faultstring>Scripted ServerFault</faultstring>');
		expect(fault).not.toContain(MOCK_USER);
		const page = await soap(envelope('<ser:getVCCConfiguration/>'), { password: 'wrong' });
		expect(page.status).toBe(401);
		expect(page.body.toString()).not.toContain('wrong');
		expect(page.body.toString()).toMatch(/^<!doctype html>.*HTTP Status 401.*<\/html>$/);
	});

	test('leaky SOAP faults: faultstring and <message> hold the echo, XML-escaped', async () => {
		mock = await new Five9Mock({ runningPolls: 0, leaky: true }).start();
		mock.inject({ operation: 'getVCCConfiguration', fault: 'AccessDisallowedFault' });
		const request = envelope('<ser:getVCCConfiguration/>');
		const xml = (await soap(request)).body.toString();
		const faultstring = xmlUnescape(/<faultstring>([\s\S]*?)<\/faultstring>/.exec(xml)![1]);
		const message = xmlUnescape(/<message>([\s\S]*?)<\/message>/.exec(xml)![1]);
		for (const text of [faultstring, message]) {
			expect(text.startsWith('Scripted AccessDisallowedFault\n')).toBe(true);
			expect(text).toContain(`POST ${ADMIN} HTTP/1.1`);
			expect(text).toContain(request);
			expectBasicEcho(text, MOCK_USER, MOCK_PASSWORD);
		}
		// Escaped correctly: the raw password never appears unescaped in the XML.
		expect(xml).not.toContain(MOCK_PASSWORD);
		// The operation's own faults too.
		const unknown = (await soap(envelope('<ser:isReportRunning><identifier>nope</identifier><timeout>1</timeout></ser:isReportRunning>'))).body.toString();
		expect(xmlUnescape(unknown)).toContain(`${MOCK_USER}:${MOCK_PASSWORD}`);
	});

	test('leaky HTML pages: 401, 404 and scripted statuses hold the echo with the password alone in <b>', async () => {
		mock = await new Five9Mock({ runningPolls: 0, leaky: true }).start();
		const wrong = 'Wr0ng&<pa:ss>';
		const page401 = (await soap(envelope('<ser:getVCCConfiguration/>'), { password: wrong })).body.toString();
		expect(page401).toContain('HTTP Status 401');
		expect(page401).toContain(`<b>${wrong}</b>`);
		expect(page401).toContain(`<pre>POST ${ADMIN} HTTP/1.1\n`);
		expectBasicEcho(page401, MOCK_USER, wrong);
		const page404 = (await soap('x', { path: '/nowhere' })).body.toString();
		expect(page404).toContain(`<b>${MOCK_PASSWORD}</b>`);
		mock.inject({ status: 503, retryAfter: 2 });
		const scripted = await soap(envelope('<ser:getVCCConfiguration/>'));
		expect(scripted.status).toBe(503);
		expect(scripted.headers['retry-after']).toBe('2');
		expectBasicEcho(scripted.body.toString(), MOCK_USER, MOCK_PASSWORD);
	});

	test('redirect fault: Location back with ?echo= when leaky', async () => {
		mock = await new Five9Mock({ runningPolls: 0, leaky: true }).start();
		mock.inject({ operation: 'runReport', redirect: true, status: 301 });
		const answer = await soap(RUN_REPORT);
		expect(answer.status).toBe(301);
		const location = new URL(String(answer.headers.location));
		expect(location.pathname).toBe(ADMIN);
		expectBasicEcho(location.searchParams.get('echo') ?? '', MOCK_USER, MOCK_PASSWORD);
		expectBasicEcho(answer.body.toString(), MOCK_USER, MOCK_PASSWORD);
		expect(mock.calls('runReport')[0]).toMatchObject({ status: 301, fault: 'redirect' });
	});

	test('drip: isReportRunning sends its headers, then a byte at a time, and never ends', async () => {
		mock = await new Five9Mock({ runningPolls: 0 }).start();
		const identifier = await runIdentifier();
		mock.inject({ operation: 'isReportRunning', drip: { intervalMs: 40 } });
		const answer = await soap(envelope(`<ser:isReportRunning><identifier>${identifier}</identifier><timeout>1</timeout></ser:isReportRunning>`), { waitMs: 600 });
		expect(answer.status).toBe(200);
		expect(answer.complete).toBe(false);
		expect(answer.body.length).toBeGreaterThanOrEqual(5);
		expect(answer.body.length).toBeLessThanOrEqual(60);
		expect("<?xml version='1.0' encoding='UTF-8'?>".startsWith(answer.body.toString().trimEnd())).toBe(true);
		expect(mock.calls('isReportRunning')[0]).toMatchObject({ status: 200, fault: 'drip' });
		// The client gave up, so the user may send again.
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect((await soap(envelope('<ser:getVCCConfiguration/>'))).status).toBe(200);
	});

	test('drip with totalMs ends with the whole envelope', async () => {
		mock = await new Five9Mock({ runningPolls: 0 }).start();
		mock.inject({ operation: 'runReport', drip: { intervalMs: 10, totalMs: 150 } });
		const answer = await soap(RUN_REPORT, { waitMs: 3000 });
		expect(answer.complete).toBe(true);
		expect(answer.body.toString()).toMatch(/<return>[^<]+<\/return>.*<\/env:Envelope>$/);
	});

	test.each(['runReport', 'isReportRunning', 'getReportResultCsv'])('cutOff: %s sends the first bytes of its real answer, then closes', async (operation) => {
		mock = await new Five9Mock({ runningPolls: 0 }).start();
		const identifier = operation === 'runReport' ? '' : await runIdentifier();
		const request =
			operation === 'runReport'
				? RUN_REPORT
				: envelope(`<ser:${operation}><identifier>${identifier}</identifier>${operation === 'isReportRunning' ? '<timeout>1</timeout>' : ''}</ser:${operation}>`);
		const whole = await soap(request);
		expect(whole.complete).toBe(true);
		mock.inject({ operation, cutOff: { afterBytes: 120 } });
		const cut = await soap(request, { waitMs: 3000 });
		expect(cut.status).toBe(200);
		expect(cut.complete).toBe(false);
		expect(cut.error).not.toBe('gave up');
		expect(cut.body.length).toBe(120);
		expect(Number(cut.headers['content-length'])).toBeGreaterThan(120);
		if (operation !== 'runReport') expect(Number(cut.headers['content-length'])).toBe(whole.body.length);
		expect(whole.body.subarray(0, 120).toString()).toBe(cut.body.toString());
		expect(mock.calls(operation).at(-1)).toMatchObject({ status: 200, fault: 'cutOff' });
	});

	test('huge CSV: 200 MB streamed without the mock holding it', async () => {
		const bytes = 200 * 1024 * 1024;
		mock = await new Five9Mock({ runningPolls: 0, hugeCsvBytes: bytes }).start();
		const identifier = await runIdentifier();
		global.gc?.();
		const before = process.memoryUsage().rss;
		let peak = before;
		let received = 0;
		let head = '';
		let tail = '';
		await new Promise<void>((resolve, reject) => {
			const req = httpRequest(`${mock.url}${ADMIN}`, {
				method: 'POST',
				agent: false,
				headers: { Authorization: basic(MOCK_USER, MOCK_PASSWORD), 'Content-Type': 'text/xml; charset=utf-8' },
			}, (res) => {
				expect(res.statusCode).toBe(200);
				res.on('data', (chunk: Buffer) => {
					if (head.length < 300) head += chunk.toString();
					received += chunk.length;
					tail = (tail + chunk.toString('latin1', Math.max(0, chunk.length - 200))).slice(-200);
					if (received % (16 << 20) < chunk.length) peak = Math.max(peak, process.memoryUsage().rss);
				});
				res.on('end', resolve);
				res.on('error', reject);
			});
			req.on('error', reject);
			req.end(envelope(`<ser:getReportResultCsv><identifier>${identifier}</identifier></ser:getReportResultCsv>`));
		});
		peak = Math.max(peak, process.memoryUsage().rss);
		expect(received).toBeGreaterThanOrEqual(bytes);
		expect(received).toBeLessThan(bytes + 4096);
		expect(head).toMatch(/^<\?xml.*<ns2:getReportResultCsvResponse [^>]*><return>CALL ID,TIMESTAMP,AGENT\n1000000001,2024\/03\/10 00:00:01,agent01@acme\.example\n1000000002,/);
		expect(tail).toMatch(/@acme\.example\n<\/return><\/ns2:getReportResultCsvResponse><\/env:Body><\/env:Envelope>$/);
		expect(peak - before).toBeLessThan(bytes * 0.6);
		expect(mock.calls('getReportResultCsv')[0]).toMatchObject({ status: 200, fault: 'huge' });
	}, 20_000);

	test('huge CSV as a fault, abandoned by the client: generation stops and the user is free again', async () => {
		mock = await new Five9Mock({ runningPolls: 0 }).start();
		const identifier = await runIdentifier();
		mock.inject({ operation: 'getReportResultCsv', hugeCsvBytes: 10 * 1024 * 1024 * 1024 });
		let received = 0;
		await new Promise<void>((resolve) => {
			const req = httpRequest(`${mock.url}${ADMIN}`, {
				method: 'POST',
				agent: false,
				headers: { Authorization: basic(MOCK_USER, MOCK_PASSWORD), 'Content-Type': 'text/xml; charset=utf-8' },
			}, (res) => {
				res.on('data', (chunk: Buffer) => {
					received += chunk.length;
					if (received > 3 << 20) {
						req.destroy();
						resolve();
					}
				});
			});
			req.on('error', () => resolve());
			req.end(envelope(`<ser:getReportResultCsv><identifier>${identifier}</identifier></ser:getReportResultCsv>`));
		});
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect((await soap(envelope('<ser:getVCCConfiguration/>'))).status).toBe(200);
		// Without the fault the CSV is the report's own again.
		const csv = (await soap(envelope(`<ser:getReportResultCsv><identifier>${identifier}</identifier></ser:getReportResultCsv>`))).body.toString();
		expect(csv).toContain('<return>CALL ID,TIMESTAMP,CAMPAIGN,');
	});
});

describe('Five9QualityMock', () => {
	let mock: Five9QualityMock;
	afterEach(() => mock?.stop());

	const token = (key: string, secret: string, grant = 'client_credentials') =>
		fetch(`${mock.url}/oauth2/v1/token`, {
			method: 'POST',
			headers: { Authorization: basic(key, secret), 'Content-Type': 'application/x-www-form-urlencoded' },
			body: `grant_type=${grant}`,
		});
	const messageOf = async (answer: Response) => ((await answer.json()) as { details: { message: string }[] }).details[0].message;

	test('off by default: plain messages', async () => {
		mock = await new Five9QualityMock({ feed: { agents: [], everyMs: 3_600_000 } }).start();
		expect(await messageOf(await token('consumer-key', 'wrong'))).toBe('Client authentication failed');
	});

	test('leaky: token 401 and 400 reflect the consumer key and secret, evaluations the bearer token', async () => {
		mock = await new Five9QualityMock({ feed: { agents: [], everyMs: 3_600_000 }, leaky: true, consumerSecret: 'c0nsumer&<secret>' }).start();
		const denied = await token('consumer-key', 'wr0ng&<secret>');
		expect(denied.status).toBe(401);
		const message = await messageOf(denied);
		expect(message.startsWith('Client authentication failed\n')).toBe(true);
		expect(message).toContain('grant_type=client_credentials');
		expectBasicEcho(message, 'consumer-key', 'wr0ng&<secret>');

		const badGrant = await token('consumer-key', 'c0nsumer&<secret>', 'password');
		expect(badGrant.status).toBe(400);
		expectBasicEcho(await messageOf(badGrant), 'consumer-key', 'c0nsumer&<secret>');

		const issued = ((await (await token('consumer-key', 'c0nsumer&<secret>')).json()) as { access_token: string }).access_token;
		const forbidden = await fetch(`${mock.url}/quality/v1/domains/999/evaluations`, { headers: { Authorization: `Bearer ${issued}` } });
		expect(forbidden.status).toBe(403);
		const text = await messageOf(forbidden);
		expect(text).toContain(`Authorization: Bearer ${issued}`);
		expect(text).toContain(`bearer raw: ${issued}`);
		expect(text).toContain('GET /quality/v1/domains/999/evaluations HTTP/1.1');

		mock.leaky = false;
		expect(await messageOf(await token('consumer-key', 'wrong'))).toBe('Client authentication failed');
	});
});
