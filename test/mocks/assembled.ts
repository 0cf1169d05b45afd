/**
 * A local stand-in for the Assembled API, speaking its documented wire format
 * (docs/assembled.md, "Authentication", "Rate limit", "Collections and timestamps", "Activities",
 * "QA scores"): HTTP Basic with the API key as username, JSON bodies, id-keyed collections,
 * unix-second timestamps, and a 300/min burst-20 token bucket that answers 429.
 * Opt-in hostile modes: `leaky` error answers that reflect the request and its key; HTML, redirected,
 * dripped and cut-off answers as scripted faults; per-item errors for every score (`partial-all`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { URL } from 'node:url';

import { handleReports, reportsOf } from './assembled-reports';
import { clearPlanning, planningRoute } from './assembled-planning';
import { clearIngest, ingestRoute } from './assembled-ingest';
import { clearDirectory, directoryRoute } from './assembled-directory';
import { MockServer } from './base';
import {
	ServerBucket,
	basicAuth,
	cutOffAnswer,
	delay,
	dripAnswer,
	echoHeader,
	echoLocation,
	echoRequest,
	readBody,
	withEchoHtml,
	type DripOptions,
} from './http';

export type ErrorStyle = 'string' | 'object' | 'text' | 'empty';
/** `partial-all`: every score of a request comes back in `errors` and nothing is stored. */
export type QaMode = 'ok-empty' | 'ok-echo' | 'accepted' | 'partial' | 'partial-all';

export interface MockPerson {
	id: string;
	agent_id: string;
	first_name: string;
	last_name: string;
	email: string | null;
	imported_id: string | null;
	timezone: string;
	role: string;
	roles: string[];
	channels: string[];
	site: string | null;
	teams: string[];
	queues: string[];
	skills: string[];
	platforms: Record<string, string>;
	start_date: number | null;
	end_date: number | null;
	created_at: number;
	deleted: boolean;
	staffable: boolean;
}

export interface Fault {
	/** Only requests this matches are affected (default: every request). */
	match?: (req: { method: string; path: string }) => boolean;
	/** How many matching requests this fault answers (default 1). */
	times?: number;
	status?: number;
	retryAfter?: number | null;
	body?: string;
	/** Drop the connection without answering. */
	reset?: boolean;
	/** Answer late; with `processFirst` the request is handled before the wait (a lost response). */
	delayMs?: number;
	processFirst?: boolean;
	/** Answer `status` (default 500) with an HTML page; in leaky mode it reflects the request. */
	html?: boolean;
	/** Answer `status` (default 302) pointing back at the same URL; in leaky mode with `?echo=` and an HTML body. */
	redirect?: boolean;
	/**
	 * Send the answer's status and headers at once, then a byte per `intervalMs`; the rest after `totalMs`
	 * (default never). Shapes whatever the request would get: the route's answer, or `status`/`body`.
	 */
	drip?: DripOptions;
	/** Send the answer's status, headers and first `afterBytes` bytes, then destroy the socket. */
	cutOff?: { afterBytes: number };
}

export interface AssembledMockOptions {
	/** `false` disables the limiter. */
	rateLimit?: { perMinute: number; burst: number } | false;
	/** Seconds sent in Retry-After with a 429; `null` sends no header; 'computed' rounds up the real wait. */
	retryAfter?: number | null | 'computed';
	errorStyle?: ErrorStyle;
	qaMode?: QaMode;
	/** Reject scores whose agent_email matches nobody (whole batch, or per item in "partial" mode). */
	strictAgents?: boolean;
	people?: MockPerson[];
	/** When set, only these keys authenticate. */
	validKeys?: string[];
	maxScoresPerRequest?: number;
	maxPeoplePageSize?: number;
	/** Every answer that is not a normal success reflects the request, credentials included (see `leaky`). */
	leaky?: boolean;
	/** Teams, sites, queues or skills instead of the MOCK_ ones (e.g. many, to page a picker). */
	filters?: Partial<Record<FilterKind, Record<string, NamedFilter>>>;
}

export type FilterKind = 'teams' | 'sites' | 'queues' | 'skills';
export interface NamedFilter {
	id: string;
	name: string;
	parent_id: string | null;
}

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	status: number;
	at: number;
	apiVersion?: string;
	scoreCount?: number;
	/** Set when a scripted fault shaped the answer beyond a status. */
	fault?: 'drip' | 'cutOff' | 'html' | 'redirect';
}

export interface StoredScore {
	imported_id: string;
	agent_email: string;
	ticket_created_at: number;
	score: number;
	max_score?: number;
	[key: string]: unknown;
}

const uuid = (prefix: number, n: number) =>
	`${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const MOCK_TEAMS = {
	[uuid(0x7ea, 1)]: { id: uuid(0x7ea, 1), name: 'Tier 1', parent_id: null, created_at: 1690000000, updated_at: 1700000000 },
	[uuid(0x7ea, 2)]: { id: uuid(0x7ea, 2), name: 'Tier 2', parent_id: null, created_at: 1690000000, updated_at: 1700000000 },
	[uuid(0x7ea, 3)]: { id: uuid(0x7ea, 3), name: 'Escalations', parent_id: uuid(0x7ea, 2), created_at: 1690000000, updated_at: 1700000000 },
};
export const MOCK_SITES = {
	[uuid(0x517e, 1)]: { id: uuid(0x517e, 1), name: 'Austin', parent_id: null },
	[uuid(0x517e, 2)]: { id: uuid(0x517e, 2), name: 'Kraków', parent_id: null },
};
export const MOCK_QUEUES = {
	[uuid(0x9e, 1)]: { id: uuid(0x9e, 1), name: 'Sales Inbound', parent_id: null },
	[uuid(0x9e, 2)]: { id: uuid(0x9e, 2), name: 'Support Inbound', parent_id: null },
};
export const MOCK_SKILLS = {
	[uuid(0x5c1, 1)]: { id: uuid(0x5c1, 1), name: 'Spanish', parent_id: null },
};
export const MOCK_ACTIVITY_TYPES = {
	[uuid(0xac7, 1)]: { id: uuid(0xac7, 1), import_id: 'coaching', name: 'Coaching', short_name: 'COACH', value: 'coaching', channels: [], productive: false, timeoff: false, background_color: '#6b5bff', font_color: '#ffffff' },
	[uuid(0xac7, 2)]: { id: uuid(0xac7, 2), import_id: 'phones', name: 'Phones', short_name: 'PH', value: 'phones', channels: ['phone'], productive: true, timeoff: false, background_color: '#2d9b5a', font_color: '#ffffff' },
};

/** `count` named filters of one kind, ids in the same shape as the MOCK_ ones. */
export function makeFilters(prefix: number, count: number, name: (n: number) => string): Record<string, NamedFilter> {
	return Object.fromEntries(
		Array.from({ length: count }, (_, i) => {
			const id = uuid(prefix, i + 1);
			return [id, { id, name: name(i + 1), parent_id: null }];
		}),
	);
}

const FIRST = ['Ana', 'Jamal', 'Zoë', 'José', 'Mei', 'Olu', 'Priya', 'Sven', 'Léa', 'Tomás', 'Hana', 'Ivan'];
const LAST = ['Diaz', 'Okafor', 'Müller', 'García', 'Chen', 'Adeyemi', 'Patel', 'Larsen', 'Dubois', 'Ruiz', 'Sato', 'Petrov'];

/**
 * Deterministic people: every third has a numeric Five9 id, the others a Five9 username;
 * the last one is deleted (docs/assembled.md, "Platform ids": which kind Assembled keeps is
 * undocumented, so both occur).
 */
export function makePeople(count: number): MockPerson[] {
	const teams = Object.keys(MOCK_TEAMS);
	const sites = Object.keys(MOCK_SITES);
	const queues = Object.keys(MOCK_QUEUES);
	const people: MockPerson[] = [];
	for (let i = 1; i <= count; i++) {
		const first = FIRST[(i - 1) % FIRST.length];
		const last = LAST[Math.floor((i - 1) / FIRST.length) % LAST.length];
		const email = `${asciiSlug(first)}.${asciiSlug(last)}${i}@example.com`;
		const five9 = i % 3 === 0 ? `30000000${String(1765900 + i)}` : `agent${i}@five9.example.com`;
		people.push({
			id: uuid(0xbe0b1e, i),
			agent_id: uuid(0xa6e47, i),
			first_name: first,
			last_name: last,
			email,
			imported_id: i % 3 === 0 ? five9 : null,
			timezone: 'America/Chicago',
			role: 'standard',
			roles: [],
			channels: ['phone', 'chat'],
			site: sites[i % sites.length],
			teams: [teams[i % teams.length]],
			queues: [queues[i % queues.length]],
			skills: i % 4 === 0 ? Object.keys(MOCK_SKILLS) : [],
			platforms: { five9, api: email },
			start_date: 1704067200,
			end_date: null,
			created_at: 1703980800,
			deleted: i === count && count > 1,
			staffable: true,
		});
	}
	return people;
}

function asciiSlug(text: string): string {
	return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export class AssembledMock extends MockServer<Fault> {
	readonly requests: RecordedRequest[] = [];
	/** Scores by imported_id: a re-sent id overwrites (upsert). */
	readonly store = new Map<string, StoredScore>();
	/** How often each imported_id arrived in an accepted request. */
	readonly receipts = new Map<string, number>();
	readonly activities = new Map<string, Record<string, unknown>>();
	/** Activities created so far, for ids that stay unique when some are deleted. */
	activitySerial = 0;
	agentStates: Record<string, unknown>[] = [];
	people: MockPerson[];
	readonly filters: Record<FilterKind, Record<string, NamedFilter>>;
	/** Reflect each request in every error answer, so a test can prove the client never shows a secret. */
	leaky: boolean;
	/** Faults by ordinal (1-based) of the requests to one path. */
	private plans = new Map<string, Map<number, Fault>>();
	private ordinals = new Map<string, number>();
	private bucket?: ServerBucket;

	constructor(readonly options: AssembledMockOptions = {}) {
		super();
		this.people = options.people ?? makePeople(12);
		this.filters = { teams: MOCK_TEAMS, sites: MOCK_SITES, queues: MOCK_QUEUES, skills: MOCK_SKILLS, ...options.filters };
		this.leaky = options.leaky ?? false;
		this.resetLimiter();
	}

	/** Answers the n-th request (1-based, counting every attempt) to `path` with the given fault. */
	schedule(path: string, plan: Record<number, Fault>) {
		this.plans.set(path, new Map(Object.entries(plan).map(([n, fault]) => [Number(n), fault])));
		this.ordinals.set(path, 0);
	}

	resetLimiter() {
		const limit = this.options.rateLimit === undefined ? { perMinute: 300, burst: 20 } : this.options.rateLimit;
		this.bucket = limit ? new ServerBucket(limit.perMinute, limit.burst) : undefined;
	}

	clear() {
		this.requests.length = 0;
		this.store.clear();
		this.receipts.clear();
		this.activities.clear();
		this.activitySerial = 0;
		clearDirectory(this);
		clearIngest(this);
		clearPlanning(this);
		reportsOf(this).reset();
		this.clearFaults();
		this.plans.clear();
		this.ordinals.clear();
		this.resetLimiter();
	}

	/** Scores received more than once (a retry after a lost response, or a client bug). */
	get duplicateReceipts(): number {
		let extra = 0;
		for (const count of this.receipts.values()) extra += Math.max(0, count - 1);
		return extra;
	}

	countRequests(filter: { method?: string; path?: string | RegExp; status?: number } = {}): number {
		return this.requests.filter(
			(r) =>
				(!filter.method || r.method === filter.method) &&
				(!filter.path || (typeof filter.path === 'string' ? r.path === filter.path : filter.path.test(r.path))) &&
				(filter.status === undefined || r.status === filter.status),
		).length;
	}

	private errorBody(message: string, type = 'invalid_request_error'): { contentType: string; body: string } {
		switch (this.options.errorStyle ?? 'object') {
			case 'string':
				return { contentType: 'application/json', body: JSON.stringify({ error: message }) };
			case 'text':
				return { contentType: 'text/plain', body: message };
			case 'empty':
				return { contentType: 'application/json', body: '' };
			default:
				return { contentType: 'application/json', body: JSON.stringify({ error: { message, type } }) };
		}
	}

	protected async handle(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = (req.method ?? 'GET').toUpperCase();
		const path = url.pathname.replace(/\/+$/, '') || '/';
		const record: RecordedRequest = {
			method,
			path,
			query: Object.fromEntries(url.searchParams.entries()),
			status: 0,
			at: Date.now(),
			apiVersion: req.headers['api-version'] as string | undefined,
		};
		this.requests.push(record);
		const body = await readBody(req);

		// A drip or cutOff fault shapes whatever answer the request ends up with.
		let shape: Fault | undefined;
		const emit = async (status: number, headers: Record<string, string>, text: string) => {
			record.status = status;
			if (shape?.drip) {
				record.fault = 'drip';
				await dripAnswer(res, status, headers, text, shape.drip);
			} else if (shape?.cutOff) {
				record.fault = 'cutOff';
				await cutOffAnswer(res, status, headers, text, shape.cutOff.afterBytes);
			} else {
				res.writeHead(status, headers);
				res.end(text);
			}
		};
		const leak = (headers: Record<string, string>) => (this.leaky ? { ...headers, 'X-Debug-Echo': echoHeader(req, body) } : headers);
		const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
			if (this.leaky && status >= 400) {
				const error = (payload as { error?: { message?: unknown } } | undefined)?.error;
				if (error && typeof error.message === 'string') payload = { ...(payload as object), error: { ...error, message: `${error.message}\n${echoRequest(req, body)}` } };
				headers = leak(headers);
			}
			const text = payload === undefined ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload);
			return emit(status, { 'Content-Type': 'application/json', ...headers }, text);
		};
		const fail = (status: number, message: string, headers: Record<string, string> = {}) => {
			const { contentType, body: text } = this.errorBody(this.leaky ? `${message}\n${echoRequest(req, body)}` : message);
			return emit(status, { 'Content-Type': contentType, ...leak(headers) }, text);
		};

		// Scripted faults come first, as a flaky network or server would.
		let fault: Fault | undefined;
		const plan = this.plans.get(path);
		if (plan) {
			const ordinal = (this.ordinals.get(path) ?? 0) + 1;
			this.ordinals.set(path, ordinal);
			fault = plan.get(ordinal);
		}
		fault ??= this.takeFault((f) => !f.match || f.match({ method, path }));
		let lateResponse = 0;
		if (fault) {
			if (fault.reset) {
				record.status = -1;
				req.socket.destroy();
				return;
			}
			if (fault.delayMs && !fault.processFirst) await delay(fault.delayMs);
			if (fault.delayMs && fault.processFirst) lateResponse = fault.delayMs;
			if (fault.drip || fault.cutOff) shape = fault;
			const headers: Record<string, string> = {};
			if (fault.retryAfter !== undefined && fault.retryAfter !== null) headers['Retry-After'] = String(fault.retryAfter);
			if (fault.redirect) {
				record.fault = 'redirect';
				const page = `<html><head><title>Moved</title></head><body><h1>Moved</h1></body></html>`;
				return emit(fault.status ?? 302, { 'Content-Type': 'text/html', Location: echoLocation(req, body, this.leaky), ...headers }, this.leaky ? withEchoHtml(page, req, body) : page);
			}
			if (fault.html) {
				record.fault = 'html';
				const status = fault.status ?? 500;
				const page = `<!doctype html><html><head><title>${status} Error</title></head><body><h1>${status} Error</h1><p>The server encountered an error.</p></body></html>`;
				return emit(status, { 'Content-Type': 'text/html', ...headers }, this.leaky ? withEchoHtml(page, req, body) : page);
			}
			if (fault.body !== undefined && (fault.status || shape)) {
				// A scripted body is sent as written; in leaky mode the echo follows it.
				const text = this.leaky ? `${fault.body}\n${echoRequest(req, body)}` : fault.body;
				return emit(fault.status ?? 200, { 'Content-Type': 'application/json', ...leak(headers) }, text);
			}
			if (fault.status) {
				return fail(fault.status, fault.status === 429 ? 'Too many requests' : `Scripted failure ${fault.status}`, headers);
			}
		}

		const auth = basicAuth(req);
		if (!auth || !/^sk_(live|test)_/.test(auth.username) || auth.password !== '' ||
			(this.options.validKeys && !this.options.validKeys.includes(auth.username))) {
			return fail(401, 'Invalid API key provided', { 'WWW-Authenticate': 'Basic realm="Assembled"' });
		}
		if (auth.username.startsWith('sk_test_')) {
			return fail(403, 'Test keys cannot access this resource');
		}
		const apiVersion = req.headers['api-version'];
		if (apiVersion !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(apiVersion))) {
			return fail(400, `Invalid API-Version header: ${String(apiVersion)}`);
		}

		if (this.bucket) {
			const wait = this.bucket.take();
			if (wait > 0) {
				const retryAfter = this.options.retryAfter === undefined ? 'computed' : this.options.retryAfter;
				const headers: Record<string, string> = {};
				if (retryAfter === 'computed') headers['Retry-After'] = String(Math.max(1, Math.ceil(wait / 1000)));
				else if (retryAfter !== null) headers['Retry-After'] = String(retryAfter);
				return fail(429, 'Rate limit exceeded', headers);
			}
		}

		const respond = async (status: number, payload: unknown) => {
			if (lateResponse) await delay(lateResponse);
			return send(status, payload);
		};

		if (method === 'GET' && path === '/v0/people') return respond(...this.listPeople(url));
		const personMatch = /^\/v0\/people\/([^/]+)$/.exec(path);
		if (method === 'GET' && personMatch) {
			const person = this.people.find((p) => p.id === decodeURIComponent(personMatch[1]));
			if (!person) return fail(404, `Person ${decodeURIComponent(personMatch[1])} not found`);
			return respond(200, person);
		}
		const filterMatch = /^\/v0\/(teams|sites|queues|skills)$/.exec(path);
		if (method === 'GET' && filterMatch) {
			return respond(200, { [filterMatch[1]]: this.filters[filterMatch[1] as FilterKind] });
		}
		if (method === 'POST' && path === '/v0/qa_scores/bulk') {
			const contentType = String(req.headers['content-type'] ?? '');
			if (!contentType.includes('application/json')) return fail(400, 'Content-Type must be application/json');
			let parsed: unknown;
			try {
				parsed = JSON.parse(body.toString('utf8'));
			} catch {
				return fail(400, 'Request body is not valid JSON');
			}
			// Per-item errors are many: their echo carries a shortened body, never shortened credentials.
			const result = this.acceptScores(parsed, record, this.leaky ? echoRequest(req, body, 2048) : undefined);
			if ('error' in result) return fail(400, result.error);
			return respond(result.status, result.body);
		}
		if (method === 'GET' && path === '/v0/activity_types') return respond(200, { activity_types: MOCK_ACTIVITY_TYPES });
		if (method === 'GET' && path === '/v0/activities') return respond(...this.listActivities(url));
		if (method === 'POST' && path === '/v0/activities') {
			let parsed: Record<string, unknown>;
			try {
				parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
			} catch {
				return fail(400, 'Request body is not valid JSON');
			}
			const result = this.createActivity(parsed);
			if ('error' in result) return fail(400, result.error);
			return respond(200, result.activity);
		}
		if (method === 'GET' && path === '/v0/agents/state') return respond(...this.listAgentStates(url));
		if (path.startsWith('/v0/reports/')) return handleReports(this, { method, path, query: url.searchParams, body }, respond, (status, message) => fail(status, message));
		const planned = planningRoute(this, method, path, url, body, String(req.headers['content-type'] ?? '')); if (planned) return 'error' in planned ? fail(planned.status, planned.error) : respond(planned.status, planned.body);
		const ingested = ingestRoute(this, method, path, body, String(req.headers['content-type'] ?? '')); if (ingested) return 'error' in ingested ? fail(ingested.status, ingested.error) : respond(ingested.status, ingested.body);
		const directory = directoryRoute(this, method, path, url, body, String(req.headers['content-type'] ?? '')); if (directory) return 'error' in directory ? fail(directory.status, directory.error) : respond(directory.status, directory.body);
		return fail(404, `No route for ${method} ${path}`);
	}

	private listPeople(url: URL): [number, unknown] {
		const cap = this.options.maxPeoplePageSize ?? 500;
		const limit = Math.min(Math.max(1, Number(url.searchParams.get('limit') ?? 100) || 100), cap);
		const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
		const includeDeleted = url.searchParams.get('include_deleted') === 'true';
		const team = url.searchParams.get('team');
		const visible = this.people.filter((p) => (includeDeleted || !p.deleted) && (!team || p.teams.includes(team)));
		const page = visible.slice(offset, offset + limit);
		const pick = <T>(map: Record<string, T>, ids: string[]) =>
			Object.fromEntries(ids.filter((id) => map[id]).map((id) => [id, map[id]]));
		return [
			200,
			{
				people: Object.fromEntries(page.map((p) => [p.id, p])),
				teams: pick(this.filters.teams, [...new Set(page.flatMap((p) => p.teams))]),
				sites: pick(this.filters.sites, [...new Set(page.map((p) => p.site).filter((s): s is string => !!s))]),
				queues: pick(this.filters.queues, [...new Set(page.flatMap((p) => p.queues))]),
				skills: pick(this.filters.skills, [...new Set(page.flatMap((p) => p.skills))]),
				total: visible.length,
				limit,
				offset,
			},
		];
	}

	/** Validates a bulk request the way the integration guide describes it (docs/assembled.md, "QA scores"). */
	private acceptScores(parsed: unknown, record: RecordedRequest, echo?: string): { error: string } | { status: number; body: unknown } {
		const scores = (parsed as { scores?: unknown })?.scores;
		if (!Array.isArray(scores)) return { error: 'scores must be an array' };
		record.scoreCount = scores.length;
		const max = this.options.maxScoresPerRequest ?? 1000;
		if (scores.length > max) return { error: `too many scores (max ${max})` };
		if (scores.length === 0) return { error: 'scores must not be empty' };
		const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
		const itemErrors: { index: number; imported_id: unknown; error: string }[] = [];
		for (const [index, score] of scores.entries()) {
			const s = score as Record<string, unknown>;
			const problem = (() => {
				if (!s || typeof s !== 'object') return 'must be an object';
				for (const field of ['agent_email', 'ticket_created_at', 'score', 'imported_id']) {
					if (s[field] === undefined || s[field] === null || s[field] === '') return `missing required field ${field}`;
				}
				if (typeof s.agent_email !== 'string' || !s.agent_email.includes('@')) return 'agent_email must be an email address';
				if (typeof s.imported_id !== 'string') return 'imported_id must be a string';
				if (!isInt(s.ticket_created_at) || (s.ticket_created_at as number) > 1e11) return 'ticket_created_at must be a unix timestamp in seconds';
				if (s.graded_at !== undefined && (!isInt(s.graded_at) || (s.graded_at as number) > 1e11)) return 'graded_at must be a unix timestamp in seconds';
				if (typeof s.score !== 'number' || !Number.isFinite(s.score)) return 'score must be a number';
				if (s.max_score !== undefined && (typeof s.max_score !== 'number' || !(s.max_score > 0))) return 'max_score must be a positive number';
				if ((s.score as number) < 0 || (s.score as number) > ((s.max_score as number | undefined) ?? 100)) return 'score must be between 0 and max_score';
				return undefined;
			})();
			if (problem) return { error: `scores[${index}]: ${problem}` };
			if (this.options.strictAgents && !this.people.some((p) => p.email?.toLowerCase() === String(s.agent_email).toLowerCase())) {
				if (this.options.qaMode === 'partial') itemErrors.push({ index, imported_id: s.imported_id, error: echo ? `agent not found\n${echo}` : 'agent not found' });
				else return { error: `scores[${index}]: unknown agent ${String(s.agent_email)}` };
			}
		}
		if (this.options.qaMode === 'partial-all') {
			const errors = scores.map((score, index) => {
				const id = (score as StoredScore).imported_id;
				const error = `score ${String(id)} was not imported`;
				return { index, imported_id: id, error: echo ? `${error}\n${echo}` : error };
			});
			return { status: 200, body: { scores: [], errors } };
		}
		const stored: StoredScore[] = [];
		for (const [index, score] of scores.entries()) {
			if (itemErrors.some((e) => e.index === index)) continue;
			const s = score as StoredScore;
			this.store.set(s.imported_id, { ...s });
			this.receipts.set(s.imported_id, (this.receipts.get(s.imported_id) ?? 0) + 1);
			stored.push(s);
		}
		switch (this.options.qaMode ?? 'ok-empty') {
			case 'ok-echo':
				return { status: 200, body: { scores: stored } };
			case 'accepted':
				return { status: 202, body: undefined };
			case 'partial':
				return { status: 200, body: { scores: stored, errors: itemErrors } };
			default:
				return { status: 200, body: {} };
		}
	}

	private createActivity(body: Record<string, unknown>): { error: string } | { activity: Record<string, unknown> } {
		for (const field of ['agent_id', 'type_id', 'start_time', 'end_time']) {
			if (body[field] === undefined || body[field] === null || body[field] === '') return { error: `Missing required field ${field}` };
		}
		if (!this.people.some((p) => p.agent_id === body.agent_id)) return { error: `Invalid agent_id ${String(body.agent_id)}` };
		if (!(String(body.type_id) in MOCK_ACTIVITY_TYPES)) return { error: `Invalid type_id ${String(body.type_id)}` };
		const start = body.start_time as number;
		const end = body.end_time as number;
		if (!Number.isInteger(start) || !Number.isInteger(end) || start > 1e11 || end > 1e11) return { error: 'start_time and end_time must be unix timestamps in seconds' };
		if (end <= start) return { error: 'end_time must be after start_time' };
		// Without allow_conflicts, the agent's overlapping activities are deleted (docs/assembled.md, "Activity writes").
		if (body.allow_conflicts !== true) {
			for (const [key, other] of this.activities) {
				if (other.agent_id === body.agent_id && (other.start_time as number) < end && (other.end_time as number) > start) this.activities.delete(key);
			}
		}
		const id = uuid(0xac71, this.activitySerial++ + 1);
		const activity = { id, agent_id: body.agent_id, type_id: body.type_id, start_time: start, end_time: end, description: body.description ?? null, created_at: Math.floor(Date.now() / 1000), updated_at: Math.floor(Date.now() / 1000), id_with_timestamps: `${id};${start};${end}` };
		this.activities.set(id, activity);
		return { activity };
	}

	private listActivities(url: URL): [number, unknown] {
		const start = Number(url.searchParams.get('start_time'));
		const end = Number(url.searchParams.get('end_time'));
		if (!Number.isFinite(start) || !Number.isFinite(end) || !url.searchParams.get('start_time') || !url.searchParams.get('end_time')) {
			return [400, { error: { message: 'start_time and end_time are required', type: 'invalid_request_error' } }];
		}
		// Like the real endpoint, agent filters and paging are ignored (docs/assembled.md, "Activities").
		const inWindow = [...this.activities.values()].filter((a) => (a.start_time as number) < end && (a.end_time as number) > start);
		return [200, { activities: Object.fromEntries(inWindow.map((a) => [a.id_with_timestamps as string, a])) }];
	}

	private listAgentStates(url: URL): [number, unknown] {
		const start = Number(url.searchParams.get('start_time'));
		const end = Number(url.searchParams.get('end_time'));
		if (!url.searchParams.get('start_time') || !url.searchParams.get('end_time') || !Number.isFinite(start) || !Number.isFinite(end)) {
			return [400, { error: { message: 'start_time and end_time are required', type: 'invalid_request_error' } }];
		}
		const agent = url.searchParams.get('agent_id');
		const limit = Math.min(Math.max(1, Number(url.searchParams.get('limit') ?? 100) || 100), 500);
		const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
		const matching = this.agentStates.filter(
			(s) => (s.start_time as number) < end && ((s.end_time as number | null) ?? Number.MAX_SAFE_INTEGER) > start && (!agent || s.agent_id === agent),
		);
		return [200, { agent_states: matching.slice(offset, offset + limit), total: matching.length, limit, offset }];
	}
}
