/**
 * Schedule changes for the local Assembled server (docs/assembled.md, "Assembled Trigger"):
 * `GET /v0/event_changes`, strict like the confirmed endpoints: unix-second `start_time` and
 * `end_time` required (400 naming the field otherwise), the changes whose `modified_at` falls in
 * that window, limit/offset paging (500 at most), an id-keyed answer with `total`. Changes are
 * stored by id; a test edits one by storing it again. Dispatched through `assembled-directory.ts`
 * (one route, one store); time-off requests live in `assembled-planning.ts`.
 */
import type { URL } from 'node:url';

export interface TriggerStores {
	/** Event changes by id, each with a unix-second `modified_at`. */
	eventChanges: Map<string, Record<string, unknown>>;
}

const stores = new WeakMap<object, TriggerStores>();

/** The trigger's stores of one mock server. */
export function triggerStores(mock: object): TriggerStores {
	let found = stores.get(mock);
	if (!found) {
		found = { eventChanges: new Map() };
		stores.set(mock, found);
	}
	return found;
}

export function clearTriggerStores(mock: object) {
	stores.get(mock)?.eventChanges.clear();
}

type Answer = [number, unknown];

const badRequest = (message: string): Answer => [400, { error: { message, type: 'invalid_request_error' } }];

/** A query parameter that must be unix seconds: an integer, not milliseconds, not ISO text. */
function unixParameter(url: URL, name: string, required: boolean): number | undefined | Answer {
	const raw = url.searchParams.get(name);
	if (raw === null || raw === '') return required ? badRequest(`${name} is required`) : undefined;
	if (!/^\d+$/.test(raw) || Number(raw) > 1e11) return badRequest(`${name} must be a unix timestamp in seconds`);
	return Number(raw);
}

function page(url: URL, all: Record<string, unknown>[], key: string, cap: number): Answer {
	const limit = Math.min(Math.max(1, Number(url.searchParams.get('limit') ?? 100) || 100), cap);
	const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
	const slice = all.slice(offset, offset + limit);
	return [200, { [key]: Object.fromEntries(slice.map((row) => [String(row.id), row])), total: all.length, limit, offset }];
}

/** Answers `GET /v0/event_changes`; undefined for any other route. */
export function triggerRoute(mock: object, method: string, path: string, url: URL): Answer | undefined {
	if (method !== 'GET') return undefined;
	const { eventChanges } = triggerStores(mock);
	if (path === '/v0/event_changes') {
		const start = unixParameter(url, 'start_time', true);
		if (Array.isArray(start)) return start;
		const end = unixParameter(url, 'end_time', true);
		if (Array.isArray(end)) return end;
		const inWindow = [...eventChanges.values()]
			.filter((change) => (change.modified_at as number) >= start! && (change.modified_at as number) <= end!)
			.sort((a, b) => (a.modified_at as number) - (b.modified_at as number));
		return page(url, inWindow, 'event_changes', 500);
	}
	return undefined;
}
