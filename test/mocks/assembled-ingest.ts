/**
 * The local Assembled server's ingestion routes: conversations in bulk (create and update by
 * import_id) and agent states in bulk. Their request shapes are not confirmed by Assembled's public
 * reference (docs/assembled.md, "Conversations and agent-state ingestion"), so these routes are as
 * strict as the rest of the mock where Assembled's conventions are known — JSON bodies, unix-second
 * times, enums, agent ids that exist, a 400 naming the item and field — and lenient about fields
 * they do not know. Both upsert: a re-sent import_id or external_id replaces, and each arrival is
 * counted, so a test can prove nothing was stored twice.
 */
import type { AssembledMock } from './assembled';

export const MOCK_CHANNELS = ['phone', 'email', 'chat', 'sms', 'social', 'back_office'];
export const MOCK_STATUSES = ['open', 'pending', 'solved', 'abandoned'];

export interface IngestBatch {
	method: string;
	path: string;
	count: number;
	status: number;
}

export interface IngestStore {
	/** Conversations by import_id, as last received (updates merged in). */
	conversations: Map<string, Record<string, unknown>>;
	/** How often each import_id arrived in an accepted create request. */
	conversationReceipts: Map<string, number>;
	/** Agent states by external_id (else agent_id@start_time). */
	states: Map<string, Record<string, unknown>>;
	stateReceipts: Map<string, number>;
	/** Every bulk request that reached a route, with its item count and answer. */
	batches: IngestBatch[];
	/** Largest batch accepted (default 1,000). */
	maxPerRequest: number;
	/** `partial`: unknown agents come back as per-item errors in a 200 instead of a 400. */
	unknownAgents: 'reject' | 'partial';
	/** Import ids Assembled refuses with a 400 naming the item (a value only the server can judge). */
	refusedImportIds: Set<string>;
}

const stores = new WeakMap<AssembledMock, IngestStore>();

export function ingestOf(mock: AssembledMock): IngestStore {
	let store = stores.get(mock);
	if (!store) {
		store = {
			conversations: new Map(),
			conversationReceipts: new Map(),
			states: new Map(),
			stateReceipts: new Map(),
			batches: [],
			maxPerRequest: 1000,
			unknownAgents: 'reject',
			refusedImportIds: new Set(),
		};
		stores.set(mock, store);
	}
	return store;
}

export function clearIngest(mock: AssembledMock) {
	const store = ingestOf(mock);
	const ingested = new Set(store.states.values());
	mock.agentStates = mock.agentStates.filter((state) => !ingested.has(state));
	store.conversations.clear();
	store.conversationReceipts.clear();
	store.states.clear();
	store.stateReceipts.clear();
	store.batches.length = 0;
	store.maxPerRequest = 1000;
	store.unknownAgents = 'reject';
	store.refusedImportIds.clear();
}

/** Items stored more than once by an accepted create (a retry after a lost answer, or a client bug). */
export function extraReceipts(receipts: Map<string, number>): number {
	let extra = 0;
	for (const count of receipts.values()) extra += Math.max(0, count - 1);
	return extra;
}

type Answer = { status: number; body: unknown } | { status: number; error: string };

const isInt = (value: unknown) => typeof value === 'number' && Number.isInteger(value);
/** Unix seconds from 2000 on; milliseconds (> 1e11) and text are refused, as everywhere in Assembled. */
const isUnixSeconds = (value: unknown) => isInt(value) && (value as number) >= 946_684_800 && (value as number) < 1e11;

function problemOfConversation(item: Record<string, unknown>, create: boolean): string | undefined {
	if (!item || typeof item !== 'object' || Array.isArray(item)) return 'must be an object';
	if (typeof item.import_id !== 'string' || item.import_id.trim() === '') return 'missing required field import_id';
	const required = create ? ['created_at', 'channel', 'status'] : [];
	for (const field of required) if (item[field] === undefined || item[field] === null || item[field] === '') return `missing required field ${field}`;
	for (const field of ['created_at', 'first_responded_at', 'solved_at']) {
		if (item[field] !== undefined && !isUnixSeconds(item[field])) return `${field} must be a unix timestamp in seconds`;
	}
	if (item.channel !== undefined && !MOCK_CHANNELS.includes(String(item.channel))) return `channel must be one of ${MOCK_CHANNELS.join(', ')}`;
	if (item.status !== undefined && !MOCK_STATUSES.includes(String(item.status))) return `status must be one of ${MOCK_STATUSES.join(', ')}`;
	if (item.handle_time !== undefined && !(typeof item.handle_time === 'number' && item.handle_time >= 0)) return 'handle_time must be a number of seconds';
	if (item.tags !== undefined && !(Array.isArray(item.tags) && item.tags.every((tag) => typeof tag === 'string'))) return 'tags must be an array of strings';
	for (const field of ['queue', 'assignee_import_id']) {
		if (item[field] !== undefined && typeof item[field] !== 'string') return `${field} must be a string`;
	}
	return undefined;
}

function parseBody(body: Buffer, contentType: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
	if (!contentType.includes('application/json')) return { ok: false, error: 'Content-Type must be application/json' };
	try {
		const value = JSON.parse(body.toString('utf8')) as unknown;
		if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'request body must be an object' };
		return { ok: true, value: value as Record<string, unknown> };
	} catch {
		return { ok: false, error: 'Request body is not valid JSON' };
	}
}

function listOf(body: Record<string, unknown>, key: string, store: IngestStore): { ok: true; list: Array<Record<string, unknown>> } | { ok: false; error: string } {
	const list = body[key];
	if (!Array.isArray(list)) return { ok: false, error: `${key} must be an array` };
	if (list.length === 0) return { ok: false, error: `${key} must not be empty` };
	if (list.length > store.maxPerRequest) return { ok: false, error: `too many ${key === 'agent_states' ? 'agent states' : key} (max ${store.maxPerRequest})` };
	return { ok: true, list: list as Array<Record<string, unknown>> };
}

function conversations(store: IngestStore, method: string, body: Record<string, unknown>): Answer {
	const parsed = listOf(body, 'conversations', store);
	if (!parsed.ok) return { status: 400, error: parsed.error };
	const create = method === 'POST';
	for (const [index, item] of parsed.list.entries()) {
		const problem = problemOfConversation(item, create);
		if (problem) return { status: 400, error: `conversations[${index}]: ${problem}` };
		if (store.refusedImportIds.has(String(item.import_id))) {
			return { status: 400, error: `conversations[${index}]: import_id ${String(item.import_id)} is refused` };
		}
		if (!create && !store.conversations.has(String(item.import_id))) {
			return { status: 400, error: `conversations[${index}]: no conversation with import_id ${String(item.import_id)}` };
		}
	}
	for (const item of parsed.list) {
		const id = String(item.import_id);
		if (create) {
			store.conversations.set(id, { ...item });
			store.conversationReceipts.set(id, (store.conversationReceipts.get(id) ?? 0) + 1);
		} else {
			store.conversations.set(id, { ...store.conversations.get(id), ...item });
		}
	}
	return { status: 200, body: {} };
}

function agentStates(mock: AssembledMock, store: IngestStore, body: Record<string, unknown>): Answer {
	const parsed = listOf(body, 'agent_states', store);
	if (!parsed.ok) return { status: 400, error: parsed.error };
	const errors: Array<{ index: number; external_id: unknown; error: string }> = [];
	for (const [index, item] of parsed.list.entries()) {
		const problem = (() => {
			if (!item || typeof item !== 'object' || Array.isArray(item)) return 'must be an object';
			for (const field of ['agent_id', 'state', 'start_time']) {
				if (item[field] === undefined || item[field] === null || item[field] === '') return `missing required field ${field}`;
			}
			if (typeof item.state !== 'string') return 'state must be a string';
			for (const field of ['start_time', 'end_time']) {
				if (item[field] !== undefined && item[field] !== null && !isUnixSeconds(item[field])) return `${field} must be a unix timestamp in seconds`;
			}
			if (isInt(item.end_time) && (item.end_time as number) <= (item.start_time as number)) return 'end_time must be after start_time';
			if (item.external_id !== undefined && typeof item.external_id !== 'string') return 'external_id must be a string';
			return undefined;
		})();
		if (problem) return { status: 400, error: `agent_states[${index}]: ${problem}` };
		if (!mock.people.some((person) => person.agent_id === item.agent_id)) {
			if (store.unknownAgents === 'reject') return { status: 400, error: `agent_states[${index}]: unknown agent_id ${String(item.agent_id)}` };
			errors.push({ index, external_id: item.external_id, error: `unknown agent_id ${String(item.agent_id)}` });
		}
	}
	const now = Math.floor(Date.now() / 1000);
	for (const [index, item] of parsed.list.entries()) {
		if (errors.some((error) => error.index === index)) continue;
		const key = typeof item.external_id === 'string' ? item.external_id : `${String(item.agent_id)}@${String(item.start_time)}`;
		const person = mock.people.find((p) => p.agent_id === item.agent_id)!;
		// Stored in the read shape, so Agent State → Get Many sees what was ingested.
		const stored = {
			agent_id: item.agent_id,
			agent_name: `${person.first_name} ${person.last_name}`,
			agent_email: person.email,
			platform: 'api',
			agent_platform_id: null,
			state: item.state,
			start_time: item.start_time,
			end_time: item.end_time ?? null,
			external_id: item.external_id ?? null,
			modified_at: now,
		};
		const previous = store.states.get(key);
		if (previous) mock.agentStates = mock.agentStates.filter((state) => state !== previous);
		store.states.set(key, stored);
		mock.agentStates.push(stored);
		store.stateReceipts.set(key, (store.stateReceipts.get(key) ?? 0) + 1);
	}
	return { status: 200, body: errors.length ? { errors } : {} };
}

/** Answers an ingestion request, or `undefined` for any other route. */
export function ingestRoute(mock: AssembledMock, method: string, path: string, body: Buffer, contentType: string): Answer | undefined {
	const isConversations = path === '/v0/conversations/bulk' && (method === 'POST' || method === 'PATCH');
	const isStates = path === '/v0/agents/state/bulk' && method === 'POST';
	if (!isConversations && !isStates) return undefined;
	const store = ingestOf(mock);
	const parsed = parseBody(body, contentType);
	const key = isConversations ? 'conversations' : 'agent_states';
	const count = parsed.ok && Array.isArray(parsed.value[key]) ? (parsed.value[key] as unknown[]).length : 0;
	const answer: Answer = !parsed.ok
		? { status: 400, error: parsed.error }
		: isConversations
			? conversations(store, method, parsed.value)
			: agentStates(mock, store, parsed.value);
	store.batches.push({ method, path, count, status: answer.status });
	return answer;
}
