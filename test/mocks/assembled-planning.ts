/**
 * The Assembled mock's time off, forecast, requirement and working-hours routes
 * (docs/assembled.md, "Time off, forecasts, requirements, working hours"). Called from
 * `AssembledMock.handle` after authentication and rate limiting, so those stay the mock's.
 *
 * Strict where the shape is confirmed (requirements: Assembled's own client), lenient about
 * unknown fields where it is not (time off, forecasts, working hours); everywhere a time is unix
 * seconds and a bad value of a known field is a 400 naming the field.
 */
import type { URL } from 'node:url';

import { MOCK_ACTIVITY_TYPES, type AssembledMock } from './assembled';

export type PlanningReply = { status: number; body: unknown } | { status: number; error: string };

export interface PlanningCall {
	method: string;
	path: string;
	/** The query string as sent, so repeated parameters can be checked. */
	search: string;
	body?: unknown;
}

export const FORECAST_CHANNELS = ['phone', 'email', 'chat', 'sms', 'social', 'back_office'];
export const FORECAST_INTERVALS = ['30m', '24h', '1w'];

const uuid = (prefix: number, n: number) => `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const MOCK_REQUIREMENT_TYPES: Record<string, { id: string; name: string; activity_type_ids: string[] }> = {
	[uuid(0x2e9, 1)]: { id: uuid(0x2e9, 1), name: 'Phones', activity_type_ids: [] },
	[uuid(0x2e9, 2)]: { id: uuid(0x2e9, 2), name: 'Email', activity_type_ids: [] },
};

export class PlanningStore {
	readonly calls: PlanningCall[] = [];
	readonly timeOff = new Map<string, Record<string, unknown>>();
	forecasts: Record<string, unknown>[] = [];
	readonly requirements = new Map<string, Record<string, unknown>>();
	requirementTypes = { ...MOCK_REQUIREMENT_TYPES };
	/** The instance's requirement interval: each requirement covers exactly one, starting on a multiple of it. */
	requirementIntervalSeconds = 900;
	workingHours: Record<string, unknown>[] = [];
	/** Largest page `GET /v0/time_off/requests` answers, whatever `limit` asks. */
	timeOffPageCap = 100;
	/** Seconds now, for created_at/updated_at; a test may move it. */
	clock = () => Math.floor(Date.now() / 1000);
	private nextId = 1;

	newId(): string {
		return uuid(0x70ff, this.nextId++);
	}

	clear() {
		this.calls.length = 0;
		this.timeOff.clear();
		this.forecasts = [];
		this.requirements.clear();
		this.requirementTypes = { ...MOCK_REQUIREMENT_TYPES };
		this.requirementIntervalSeconds = 900;
		this.workingHours = [];
		this.timeOffPageCap = 100;
		this.clock = () => Math.floor(Date.now() / 1000);
		this.nextId = 1;
	}

	/** Adds a time-off request as Assembled would hold it; returns it. */
	addTimeOff(fields: Record<string, unknown>): Record<string, unknown> {
		const now = this.clock();
		const request = { id: this.newId(), status: 'pending', description: null, all_day: false, created_at: now, updated_at: now, ...fields };
		this.timeOff.set(String(request.id), request);
		return request;
	}
}

const stores = new WeakMap<AssembledMock, PlanningStore>();

/** The planning data of one mock server. */
export function planningOf(mock: AssembledMock): PlanningStore {
	let store = stores.get(mock);
	if (!store) {
		store = new PlanningStore();
		stores.set(mock, store);
	}
	return store;
}

export function clearPlanning(mock: AssembledMock) {
	stores.get(mock)?.clear();
}

const isUnixSeconds = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1e11;

/** A time query parameter: unix seconds as digits, or a 400 naming it. */
function timeParam(url: URL, name: string, required: boolean): number | undefined | { error: string } {
	const raw = url.searchParams.get(name);
	if (raw === null || raw === '') return required ? { error: `Missing required parameter ${name}` } : undefined;
	if (!/^\d+$/.test(raw) || Number(raw) > 1e11) return { error: `${name} must be a unix timestamp in seconds` };
	return Number(raw);
}

function parseJson(body: Buffer, contentType: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
	if (!contentType.includes('application/json')) return { ok: false, error: 'Content-Type must be application/json' };
	try {
		const parsed = JSON.parse(body.toString('utf8')) as unknown;
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, error: 'Request body must be a JSON object' };
		return { ok: true, value: parsed as Record<string, unknown> };
	} catch {
		return { ok: false, error: 'Request body is not valid JSON' };
	}
}

const bad = (error: string): PlanningReply => ({ status: 400, error });
const ok = (body: unknown): PlanningReply => ({ status: 200, body });

/** Answers a planning route, or undefined when the request is for another route. */
export function planningRoute(
	mock: AssembledMock,
	method: string,
	path: string,
	url: URL,
	body: Buffer,
	contentType: string,
): PlanningReply | undefined {
	const store = planningOf(mock);
	const known = /^\/v0\/(time_off(\/.*)?|forecasts|requirements|requirement_types|scheduling_rules\/working_hours)$/.test(path);
	if (!known) return undefined;
	const call: PlanningCall = { method, path, search: url.search };
	store.calls.push(call);
	let json: Record<string, unknown> = {};
	if (method === 'POST') {
		// A cancel carries no body (or an empty one).
		if (body.length > 0) {
			const parsed = parseJson(body, contentType);
			if (!parsed.ok) return bad(parsed.error);
			json = parsed.value;
		}
		call.body = json;
	}

	if (method === 'POST' && path === '/v0/time_off') return createTimeOff(mock, store, json);
	if (method === 'GET' && path === '/v0/time_off/requests') return listTimeOff(store, url);
	const cancel = /^\/v0\/time_off\/([^/]+)\/cancel$/.exec(path);
	if (method === 'POST' && cancel) {
		const request = store.timeOff.get(decodeURIComponent(cancel[1]));
		if (!request) return { status: 404, error: `Time off request ${decodeURIComponent(cancel[1])} not found` };
		request.status = 'cancelled';
		request.updated_at = store.clock();
		return ok(request);
	}
	if (method === 'GET' && path === '/v0/forecasts') return listForecasts(mock, store, url);
	if (method === 'GET' && path === '/v0/requirement_types') return ok({ requirement_types: store.requirementTypes });
	if (method === 'GET' && path === '/v0/requirements') return listRequirements(store, url);
	if (method === 'POST' && path === '/v0/requirements') return createRequirement(store, json);
	if (method === 'GET' && path === '/v0/scheduling_rules/working_hours') {
		const agent = url.searchParams.get('agent_id');
		return ok({ working_hours: store.workingHours.filter((rule) => !agent || rule.agent_id === agent) });
	}
	return { status: 404, error: `No route for ${method} ${path}` };
}

/** Lenient about fields it does not know (the shape is not confirmed), strict about the ones it does. */
function createTimeOff(mock: AssembledMock, store: PlanningStore, body: Record<string, unknown>): PlanningReply {
	for (const field of ['agent_id', 'activity_type_id', 'start_time', 'end_time']) {
		if (body[field] === undefined || body[field] === null || body[field] === '') return bad(`Missing required field ${field}`);
	}
	if (!mock.people.some((p) => p.agent_id === body.agent_id && !p.deleted)) return bad(`Invalid agent_id ${String(body.agent_id)}`);
	if (!(String(body.activity_type_id) in MOCK_ACTIVITY_TYPES)) return bad(`Invalid activity_type_id ${String(body.activity_type_id)}`);
	if (!isUnixSeconds(body.start_time)) return bad('start_time must be a unix timestamp in seconds');
	if (!isUnixSeconds(body.end_time)) return bad('end_time must be a unix timestamp in seconds');
	if ((body.end_time as number) <= (body.start_time as number)) return bad('end_time must be after start_time');
	if (body.description !== undefined && typeof body.description !== 'string') return bad('description must be a string');
	if (body.all_day !== undefined && typeof body.all_day !== 'boolean') return bad('all_day must be a boolean');
	return ok(store.addTimeOff({ ...body, all_day: body.all_day ?? false, description: body.description ?? null }));
}

function pageParams(url: URL, cap: number): { limit: number; offset: number } | { error: string } {
	const rawLimit = url.searchParams.get('limit');
	const rawOffset = url.searchParams.get('offset');
	if (rawLimit !== null && !/^\d+$/.test(rawLimit)) return { error: 'limit must be a whole number' };
	if (rawOffset !== null && !/^\d+$/.test(rawOffset)) return { error: 'offset must be a whole number' };
	return { limit: Math.min(Math.max(1, Number(rawLimit ?? cap)), cap), offset: Number(rawOffset ?? 0) };
}

function listTimeOff(store: PlanningStore, url: URL): PlanningReply {
	const start = timeParam(url, 'start_time', false);
	const end = timeParam(url, 'end_time', false);
	const since = timeParam(url, 'updated_since', false);
	for (const value of [start, end, since]) if (typeof value === 'object') return bad(value.error);
	const page = pageParams(url, store.timeOffPageCap);
	if ('error' in page) return bad(page.error);
	const matching = [...store.timeOff.values()]
		.filter(
			(r) =>
				(start === undefined || (r.end_time as number) > (start as number)) &&
				(end === undefined || (r.start_time as number) < (end as number)) &&
				(since === undefined || (r.updated_at as number) >= (since as number)),
		)
		.sort((a, b) => (a.start_time as number) - (b.start_time as number) || String(a.id).localeCompare(String(b.id)));
	const slice = matching.slice(page.offset, page.offset + page.limit);
	return ok({ time_off_requests: Object.fromEntries(slice.map((r) => [r.id, r])), total: matching.length, limit: page.limit, offset: page.offset });
}

function listForecasts(mock: AssembledMock, store: PlanningStore, url: URL): PlanningReply {
	const start = timeParam(url, 'start_time', true);
	const end = timeParam(url, 'end_time', true);
	for (const value of [start, end]) if (typeof value === 'object') return bad(value.error);
	const channel = url.searchParams.get('channel');
	if (channel !== null && !FORECAST_CHANNELS.includes(channel)) return bad(`Invalid channel ${channel}`);
	const interval = url.searchParams.get('interval');
	if (interval !== null && !FORECAST_INTERVALS.includes(interval)) return bad(`Invalid interval ${interval}`);
	const queues = url.searchParams.get('queue_ids')?.split(',').filter(Boolean) ?? [];
	const unknown = queues.find((id) => !(id in mock.filters.queues));
	if (unknown) return bad(`Invalid queue_ids: unknown queue ${unknown}`);
	const forecasts = store.forecasts.filter(
		(f) =>
			(f.start_time as number) < (end as number) &&
			(f.end_time as number) > (start as number) &&
			(!channel || f.channel === channel) &&
			(queues.length === 0 || queues.includes(String(f.queue_id))),
	);
	return ok({ forecasts });
}

function listRequirements(store: PlanningStore, url: URL): PlanningReply {
	const start = timeParam(url, 'start_time', true);
	const end = timeParam(url, 'end_time', true);
	for (const value of [start, end]) if (typeof value === 'object') return bad(value.error);
	// Assembled's own client repeats the parameter (requirement_types=a&requirement_types=b).
	if (url.searchParams.has('requirement_types[]')) return bad('Unknown parameter requirement_types[]');
	const types = url.searchParams.getAll('requirement_types');
	const unknown = types.find((id) => !(id in store.requirementTypes));
	if (unknown) return bad(`Invalid requirement_types: unknown requirement type ${unknown}`);
	const rows = [...store.requirements.values()]
		.filter(
			(r) =>
				(r.start_time as number) < (end as number) &&
				(r.end_time as number) > (start as number) &&
				(types.length === 0 || types.includes(String(r.requirement_type_id))),
		)
		.sort((a, b) => (a.start_time as number) - (b.start_time as number) || String(a.requirement_type_id).localeCompare(String(b.requirement_type_id)));
	// Like Assembled's client (omitempty), an empty list is left out.
	return ok(rows.length ? { requirements: rows } : {});
}

/** The confirmed shape: exactly these fields. */
function createRequirement(store: PlanningStore, body: Record<string, unknown>): PlanningReply {
	const allowed = ['requirement_type_id', 'start_time', 'end_time', 'required'];
	const extra = Object.keys(body).find((key) => !allowed.includes(key));
	if (extra) return bad(`Unknown field ${extra}`);
	for (const field of allowed) {
		if (body[field] === undefined || body[field] === null || body[field] === '') return bad(`Missing required field ${field}`);
	}
	if (!(String(body.requirement_type_id) in store.requirementTypes)) return bad(`Invalid requirement_type_id ${String(body.requirement_type_id)}`);
	if (!isUnixSeconds(body.start_time)) return bad('start_time must be a unix timestamp in seconds');
	if (!isUnixSeconds(body.end_time)) return bad('end_time must be a unix timestamp in seconds');
	const interval = store.requirementIntervalSeconds;
	if ((body.start_time as number) % interval !== 0) return bad(`start_time must be a multiple of the interval (${interval})`);
	if ((body.end_time as number) - (body.start_time as number) !== interval) return bad(`end_time must be start_time plus the interval (${interval})`);
	if (typeof body.required !== 'number' || !Number.isFinite(body.required) || body.required < 0) return bad('required must be a number of zero or more');
	const key = `${String(body.requirement_type_id)}|${String(body.start_time)}`;
	const requirement = { requirement_type_id: body.requirement_type_id, start_time: body.start_time, end_time: body.end_time, required: body.required, scheduled: 0 };
	store.requirements.set(key, requirement);
	return ok(requirement);
}
