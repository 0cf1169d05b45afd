/**
 * The Assembled mock's people writes, filter creation, roles, bulk activity writes and event
 * changes (docs/assembled.md, "Filters, people writes, activity writes, event changes"). Called
 * from `AssembledMock.handle` after authentication and rate limiting, so those stay the mock's.
 *
 * Strict like the confirmed routes: JSON bodies, unix seconds (an ISO string or milliseconds is a
 * 400), a 400 naming each missing or invalid field, a 404 for an unknown person. Lenient only where
 * the shape is unknown: a person write accepts fields it does not know. A PATCH replaces the whole
 * `platforms` map (the pessimistic reading of an undocumented point). A bulk activity request is one
 * transaction: one bad activity rejects the request and nothing of it is stored, as Assembled's Go
 * client says. `GET /v0/event_changes` is the trigger's route (`assembled-trigger.ts`), one store
 * for both.
 */
import type { URL } from 'node:url';

import { MOCK_ACTIVITY_TYPES, type AssembledMock, type FilterKind, type MockPerson, type NamedFilter } from './assembled';
import { clearTriggerStores, triggerRoute } from './assembled-trigger';

export type DirectoryReply = { status: number; body: unknown } | { status: number; error: string };

export interface DirectoryCall {
	method: string;
	path: string;
	body?: unknown;
}

const uuid = (prefix: number, n: number) => `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const MOCK_ROLES: Record<string, { id: string; name: string }> = {
	[uuid(0x201e, 1)]: { id: uuid(0x201e, 1), name: 'Agent' },
	[uuid(0x201e, 2)]: { id: uuid(0x201e, 2), name: 'Team Lead' },
};

export const PERSON_CHANNELS = ['phone', 'email', 'chat', 'sms', 'social', 'back_office'];

export class DirectoryStore {
	/** Every request to these routes, with its parsed body. */
	readonly calls: DirectoryCall[] = [];
	/** Activities per bulk request, in order. */
	readonly bulkSizes: number[] = [];
	/** When set, a bulk request with more activities is a 400. */
	maxBulkActivities?: number;
	roles = { ...MOCK_ROLES };
	private counter = 0;
	/** What to undo on clear(): people created, people as they were before their first PATCH, filters created. */
	readonly createdPeople = new Set<string>();
	readonly originals = new Map<string, MockPerson>();
	readonly createdFilters = new Map<FilterKind, Set<string>>();

	nextId(prefix: number): string {
		this.counter += 1;
		return uuid(prefix, this.counter);
	}

	callsTo(method: string, path: string | RegExp): DirectoryCall[] {
		return this.calls.filter((call) => call.method === method && (typeof path === 'string' ? call.path === path : path.test(call.path)));
	}
}

const stores = new WeakMap<AssembledMock, DirectoryStore>();

export function directoryOf(mock: AssembledMock): DirectoryStore {
	let store = stores.get(mock);
	if (!store) {
		store = new DirectoryStore();
		stores.set(mock, store);
	}
	return store;
}

/** Puts the people and filters back as they were and forgets what was received. */
export function clearDirectory(mock: AssembledMock) {
	const store = stores.get(mock);
	if (!store) return;
	if (store.createdPeople.size > 0) {
		const keep = mock.people.filter((person) => !store.createdPeople.has(person.id));
		mock.people.length = 0;
		mock.people.push(...keep);
	}
	for (const [id, original] of store.originals) {
		const at = mock.people.findIndex((person) => person.id === id);
		if (at >= 0) mock.people[at] = original;
	}
	for (const [kind, ids] of store.createdFilters) {
		mock.filters[kind] = Object.fromEntries(Object.entries(mock.filters[kind]).filter(([id]) => !ids.has(id)));
	}
	stores.delete(mock);
	clearTriggerStores(mock);
}

const bad = (error: string): DirectoryReply => ({ status: 400, error });
const ok = (body: unknown): DirectoryReply => ({ status: 200, body });
const isInt = (value: unknown) => typeof value === 'number' && Number.isInteger(value);
const isUnixSeconds = (value: unknown) => isInt(value) && (value as number) >= 0 && (value as number) < 1e11;
const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** Answers the routes of this file; undefined for any other route. */
export function directoryRoute(
	mock: AssembledMock,
	method: string,
	path: string,
	url: URL,
	raw: Buffer,
	contentType: string,
): DirectoryReply | undefined {
	const personMatch = /^\/v0\/people\/([^/]+)$/.exec(path);
	const filterMatch = /^\/v0\/(teams|sites|queues|skills)$/.exec(path);
	const known =
		(method === 'POST' && path === '/v0/people') ||
		(method === 'PATCH' && personMatch) ||
		(method === 'POST' && filterMatch) ||
		(method === 'GET' && path === '/v0/roles') ||
		(method === 'POST' && path === '/v0/activities/bulk') ||
		(method === 'DELETE' && path === '/v0/activities') ||
		(method === 'GET' && path === '/v0/event_changes');
	if (!known) return undefined;
	const store = directoryOf(mock);
	const call: DirectoryCall = { method, path };
	store.calls.push(call);
	if (method === 'GET') {
		if (path === '/v0/roles') return ok({ roles: store.roles });
		const [status, body] = triggerRoute(mock, method, path, url)!;
		return status === 200 ? ok(body) : { status, error: String((body as { error?: { message?: string } }).error?.message) };
	}
	if (!contentType.includes('application/json')) return bad('Content-Type must be application/json');
	let body: unknown;
	try {
		body = JSON.parse(raw.toString('utf8'));
	} catch {
		return bad(raw.length === 0 ? 'Request body is empty' : 'Request body is not valid JSON');
	}
	call.body = body;
	if (!isObject(body)) return bad('Request body must be a JSON object');
	if (method === 'POST' && path === '/v0/people') return createPerson(mock, store, body);
	if (method === 'PATCH' && personMatch) return updatePerson(mock, store, decodeURIComponent(personMatch[1]), body);
	if (method === 'POST' && filterMatch) return createFilters(mock, store, filterMatch[1] as FilterKind, body);
	if (method === 'POST') return bulkActivities(mock, store, body);
	return deleteWindow(mock, store, body);
}

/** The problem with the person fields present in `body`, if any; `self` is the person being changed. */
function personProblem(mock: AssembledMock, store: DirectoryStore, body: Record<string, unknown>, self?: MockPerson): string | undefined {
	for (const field of ['id', 'agent_id', 'created_at', 'deleted']) {
		if (field in body) return `${field} cannot be set`;
	}
	for (const field of ['first_name', 'last_name']) {
		if (field in body && (typeof body[field] !== 'string' || (body[field] as string).trim() === '')) return `${field} must be a non-empty string`;
	}
	if ('email' in body) {
		if (typeof body.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email)) return 'email must be an email address';
		const taken = mock.people.some((person) => person !== self && !person.deleted && person.email?.toLowerCase() === (body.email as string).toLowerCase());
		if (taken) return `email ${body.email} is already taken`;
	}
	if ('imported_id' in body && body.imported_id !== null && typeof body.imported_id !== 'string') return 'imported_id must be a string';
	if ('timezone' in body) {
		try {
			new Intl.DateTimeFormat('en-US', { timeZone: String(body.timezone) });
			if (typeof body.timezone !== 'string') throw new Error();
		} catch {
			return `Invalid timezone ${String(body.timezone)}`;
		}
	}
	if ('staffable' in body && typeof body.staffable !== 'boolean') return 'staffable must be a boolean';
	if ('channels' in body) {
		if (!Array.isArray(body.channels) || body.channels.some((channel) => !PERSON_CHANNELS.includes(channel as string))) return `Invalid channels ${JSON.stringify(body.channels)}`;
	}
	if ('roles' in body) {
		if (!Array.isArray(body.roles)) return 'roles must be an array of role ids';
		const unknown = body.roles.find((id) => !(String(id) in store.roles));
		if (unknown !== undefined) return `Invalid role id ${String(unknown)}`;
	}
	if ('site' in body && body.site !== null && !(typeof body.site === 'string' && body.site in mock.filters.sites)) return `Invalid site id ${String(body.site)}`;
	for (const kind of ['teams', 'queues', 'skills'] as const) {
		if (!(kind in body)) continue;
		const ids = body[kind];
		if (!Array.isArray(ids)) return `${kind} must be an array of ids`;
		const unknown = ids.find((id) => !(typeof id === 'string' && id in mock.filters[kind]));
		if (unknown !== undefined) return `Invalid ${kind.slice(0, -1)} id ${String(unknown)}`;
	}
	if ('platforms' in body) {
		if (!isObject(body.platforms) || Object.values(body.platforms).some((id) => typeof id !== 'string')) return 'platforms must map platform names to string ids';
	}
	for (const field of ['start_date', 'end_date']) {
		if (field in body && body[field] !== null && !isUnixSeconds(body[field])) return `${field} must be a unix timestamp in seconds`;
	}
	return undefined;
}

function createPerson(mock: AssembledMock, store: DirectoryStore, body: Record<string, unknown>): DirectoryReply {
	for (const field of ['first_name', 'last_name', 'email']) {
		if (body[field] === undefined || body[field] === null || body[field] === '') return bad(`Missing required field ${field}`);
	}
	const problem = personProblem(mock, store, body);
	if (problem) return bad(problem);
	const now = Math.floor(Date.now() / 1000);
	const person = {
		timezone: 'America/Los_Angeles',
		role: 'standard',
		roles: [],
		channels: [],
		site: null,
		teams: [],
		queues: [],
		skills: [],
		platforms: {},
		imported_id: null,
		start_date: null,
		end_date: null,
		staffable: true,
		...body,
		id: store.nextId(0xbe0b2),
		agent_id: store.nextId(0xa6e48),
		created_at: now,
		deleted: false,
	} as unknown as MockPerson;
	mock.people.push(person);
	store.createdPeople.add(person.id);
	return ok(person);
}

function updatePerson(mock: AssembledMock, store: DirectoryStore, id: string, body: Record<string, unknown>): DirectoryReply {
	const at = mock.people.findIndex((person) => person.id === id);
	if (at < 0) return { status: 404, error: `Person ${id} not found` };
	const person = mock.people[at];
	const problem = personProblem(mock, store, body, person);
	if (problem) return bad(problem);
	if (!store.originals.has(id) && !store.createdPeople.has(id)) store.originals.set(id, structuredClone(person));
	// Only the fields sent change; a map sent (platforms) replaces the person's whole map.
	const updated = { ...person, ...body } as MockPerson;
	mock.people[at] = updated;
	return ok(updated);
}

function createFilters(mock: AssembledMock, store: DirectoryStore, kind: FilterKind, body: Record<string, unknown>): DirectoryReply {
	const entries = body[kind];
	if (!Array.isArray(entries) || entries.length === 0) return bad(`${kind} must be a non-empty array`);
	for (const [index, entry] of entries.entries()) {
		if (!isObject(entry)) return bad(`${kind}[${index}] must be an object`);
		if (typeof entry.name !== 'string' || entry.name.trim() === '') return bad(`${kind}[${index}]: Missing required field name`);
		const parent = entry.parent_id;
		if (parent !== undefined && parent !== null && !(typeof parent === 'string' && parent in mock.filters[kind])) {
			return bad(`${kind}[${index}]: Invalid parent_id ${String(parent)}`);
		}
	}
	const now = Math.floor(Date.now() / 1000);
	const created: Record<string, NamedFilter & { created_at: number; updated_at: number }> = {};
	for (const entry of entries as Array<{ name: string; parent_id?: string | null }>) {
		const id = store.nextId(0xf11e);
		created[id] = { id, name: entry.name, parent_id: entry.parent_id ?? null, created_at: now, updated_at: now };
	}
	// A new object: the MOCK_ collections shared by every mock stay as they are.
	mock.filters[kind] = { ...mock.filters[kind], ...created };
	const ids = store.createdFilters.get(kind) ?? new Set<string>();
	Object.keys(created).forEach((id) => ids.add(id));
	store.createdFilters.set(kind, ids);
	return ok({ [kind]: created });
}

/** The problem with one activity of a create, as `POST /v0/activities` checks it. */
function activityProblem(mock: AssembledMock, activity: Record<string, unknown>): string | undefined {
	for (const field of ['agent_id', 'type_id', 'start_time', 'end_time']) {
		if (activity[field] === undefined || activity[field] === null || activity[field] === '') return `Missing required field ${field}`;
	}
	if (!mock.people.some((person) => person.agent_id === activity.agent_id)) return `Invalid agent_id ${String(activity.agent_id)}`;
	if (!(String(activity.type_id) in MOCK_ACTIVITY_TYPES)) return `Invalid type_id ${String(activity.type_id)}`;
	if (!isUnixSeconds(activity.start_time) || !isUnixSeconds(activity.end_time)) return 'start_time and end_time must be unix timestamps in seconds';
	if ((activity.end_time as number) <= (activity.start_time as number)) return 'end_time must be after start_time';
	if (activity.description !== undefined && typeof activity.description !== 'string') return 'description must be a string';
	return undefined;
}

function stored(id: string, agent: unknown, type: unknown, start: number, end: number, description: unknown) {
	const now = Math.floor(Date.now() / 1000);
	return { id, agent_id: agent, type_id: type, start_time: start, end_time: end, description: description ?? null, created_at: now, updated_at: now, id_with_timestamps: `${id};${start};${end}` };
}

function bulkActivities(mock: AssembledMock, store: DirectoryStore, body: Record<string, unknown>): DirectoryReply {
	const requests = body.activities;
	if (!Array.isArray(requests) || requests.length === 0) return bad('activities must be a non-empty array');
	if (body.schedule_id !== undefined && typeof body.schedule_id !== 'string') return bad('schedule_id must be a string');
	if (store.maxBulkActivities !== undefined && requests.length > store.maxBulkActivities) return bad(`too many activities (max ${store.maxBulkActivities})`);
	store.bulkSizes.push(requests.length);
	// One transaction: everything is checked before anything changes.
	for (const [index, request] of requests.entries()) {
		if (!isObject(request) || !isObject(request.activity)) return bad(`activities[${index}]: activity must be an object`);
		if (request.action === 'create') {
			const problem = activityProblem(mock, request.activity);
			if (problem) return bad(`activities[${index}]: ${problem}`);
		} else if (request.action === 'delete') {
			if (!mock.activities.has(String(request.activity.id))) return bad(`activities[${index}]: Invalid activity id ${String(request.activity.id)}`);
		} else {
			return bad(`activities[${index}]: action must be create or delete (this server does not update)`);
		}
	}
	const created: Record<string, unknown> = {};
	for (const request of requests as Array<{ action: string; activity: Record<string, unknown> }>) {
		const activity = request.activity;
		if (request.action === 'delete') {
			mock.activities.delete(String(activity.id));
			continue;
		}
		const id = store.nextId(0xb01c);
		const row = stored(id, activity.agent_id, activity.type_id, activity.start_time as number, activity.end_time as number, activity.description);
		mock.activities.set(id, row);
		created[id] = row;
	}
	return ok({ activities: created });
}

/** Deletes the agents' activities in the window; one partly inside it keeps the part outside (Assembled's Go client). */
function deleteWindow(mock: AssembledMock, store: DirectoryStore, body: Record<string, unknown>): DirectoryReply {
	const agents = body.agent_ids;
	if (!Array.isArray(agents) || agents.length === 0) return bad('agent_ids must be a non-empty array');
	const unknown = agents.find((agent) => !mock.people.some((person) => person.agent_id === agent));
	if (unknown !== undefined) return bad(`Invalid agent_ids ${String(unknown)}`);
	for (const field of ['start_time', 'end_time']) {
		if (body[field] === undefined || body[field] === null) return bad(`Missing required field ${field}`);
		if (!isUnixSeconds(body[field])) return bad(`${field} must be a unix timestamp in seconds`);
	}
	const start = body.start_time as number;
	const end = body.end_time as number;
	if (end <= start) return bad('end_time must be after start_time');
	for (const [id, activity] of [...mock.activities.entries()]) {
		const from = activity.start_time as number;
		const to = activity.end_time as number;
		if (!agents.includes(activity.agent_id) || from >= end || to <= start) continue;
		mock.activities.delete(id);
		if (from < start) mock.activities.set(id, stored(id, activity.agent_id, activity.type_id, from, start, activity.description));
		if (to > end) {
			const rest = from < start ? store.nextId(0xb01c) : id;
			mock.activities.set(rest, stored(rest, activity.agent_id, activity.type_id, end, to, activity.description));
		}
	}
	return ok({});
}
