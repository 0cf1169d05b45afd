/**
 * Event changes, Assembled's audit trail of schedule edits: `GET /v0/event_changes` with
 * `start_time`/`end_time` (unix seconds) and `limit`/`offset`, answered with `event_changes` keyed
 * by id and `total` (docs/assembled.md, "Filters, people writes, activity writes, event changes").
 */
import type { IDataObject } from 'n8n-workflow';

import type { AssembledClient } from '../transport';
import { isoFromUnixSeconds } from './time';

export const EVENT_CHANGES_PAGE_SIZE = 500;
/** Stops a server that ignores `offset` from looping forever. */
const MAX_PAGES = 2_000;

/** The unix-second fields of an event change that get a readable `<field>_iso` twin. */
const CHANGE_TIME_FIELDS = new Set(['modified_at', 'old_start_time', 'old_end_time', 'new_start_time', 'new_end_time']);

export function withChangeTimes(change: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(change)) {
		out[key] = value;
		const twin = `${key}_iso`;
		if (!CHANGE_TIME_FIELDS.has(key) || twin in change) continue;
		if (typeof value === 'number') out[twin] = isoFromUnixSeconds(value);
		else if (value === null) out[twin] = null;
	}
	return out;
}

function changesOf(body: IDataObject | undefined): IDataObject[] {
	const map = body?.event_changes;
	if (!map || typeof map !== 'object') return [];
	const entries = Array.isArray(map) ? map.map((value, index) => [String(index), value] as const) : Object.entries(map);
	return entries
		.filter(([, value]) => value && typeof value === 'object')
		.map(([key, value]) => ({ ...(value as IDataObject), id: String((value as IDataObject).id ?? key) }));
}

/**
 * The changes of a window, page by page until `max` kept, the reported total, a short page, or a
 * page of only changes already read. `keep` picks the ones that count (a filter Assembled has no
 * documented query for).
 */
export async function listEventChanges(
	client: AssembledClient,
	options: { start: number; end: number; max?: number; keep?: (change: IDataObject) => boolean; itemIndex?: number },
): Promise<IDataObject[]> {
	const max = options.max ?? Number.POSITIVE_INFINITY;
	const kept: IDataObject[] = [];
	const seen = new Set<string>();
	for (let page = 0, offset = 0; page < MAX_PAGES && kept.length < max; page++) {
		const limit = options.keep ? EVENT_CHANGES_PAGE_SIZE : Math.min(EVENT_CHANGES_PAGE_SIZE, max - kept.length);
		const body = await client.request<IDataObject>(
			{ method: 'GET', path: '/v0/event_changes', qs: { start_time: options.start, end_time: options.end, limit, offset } },
			options.itemIndex,
		);
		const changes = changesOf(body);
		let unseen = 0;
		for (const change of changes) {
			if (seen.has(String(change.id))) continue;
			seen.add(String(change.id));
			unseen += 1;
			if (options.keep && !options.keep(change)) continue;
			if (kept.length < max) kept.push(change);
		}
		const total = typeof body?.total === 'number' ? body.total : undefined;
		offset += changes.length;
		if (changes.length < limit || unseen === 0 || (total !== undefined && offset >= total)) break;
	}
	return kept.sort((a, b) => Number(a.modified_at ?? 0) - Number(b.modified_at ?? 0) || String(a.id).localeCompare(String(b.id)));
}
