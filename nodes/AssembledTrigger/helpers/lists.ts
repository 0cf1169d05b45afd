import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod/v4';

import { flattenPerson, listPeople } from '../../Assembled/helpers/people';
import { isoFromUnixSeconds } from '../../Assembled/helpers/time';
import type { AssembledClient } from '../../Assembled/transport';
import { contentFingerprint, type TriggerRecord } from './state';

/** What the trigger can watch. */
export type TriggerEvent = 'timeOffRequest' | 'scheduleChange' | 'personAdded';

/** Page sizes the clients seen ask for (docs/assembled.md, "Assembled Trigger"). */
export const EVENT_CHANGES_PAGE_SIZE = 500;
export const TIME_OFF_PAGE_SIZE = 100;
/** Stops a server that ignores `offset` from looping forever. */
const MAX_PAGES = 1_000;

/** A list read for one poll: the records, and how many entries could not be read. */
export interface RecordBatch {
	records: TriggerRecord[];
	unreadable: number;
}

const unixSeconds = z.number().finite().nullable().optional();
const listedRecord = z
	.object({
		id: z.union([z.string().min(1), z.number()]),
		created_at: unixSeconds,
		updated_at: unixSeconds,
		modified_at: unixSeconds,
	})
	.passthrough();
type ListedRecord = z.infer<typeof listedRecord>;

/** The unix-second fields of each list that get an ISO twin (`<field>_iso`). */
const TIME_FIELDS: Record<Exclude<TriggerEvent, 'personAdded'>, string[]> = {
	timeOffRequest: ['start_time', 'end_time', 'created_at', 'updated_at'],
	scheduleChange: ['modified_at', 'old_start_time', 'old_end_time', 'new_start_time', 'new_end_time'],
};

function withIsoTwins(record: IDataObject, fields: string[]): IDataObject {
	const out: IDataObject = { ...record };
	for (const field of fields) {
		if (`${field}_iso` in record) continue;
		const value = record[field];
		if (typeof value === 'number') out[`${field}_iso`] = isoFromUnixSeconds(value);
		else if (value === null) out[`${field}_iso`] = null;
	}
	return out;
}

/**
 * The entries of `body[key]` (or an alternate key other clients use), keyed by id (Assembled's
 * usual shape) or an array. No list, or only paging fields, is an empty list; anything else is an
 * error naming what the answer holds, so a changed shape is not read as "nothing new".
 */
function entriesOf(client: AssembledClient, body: unknown, keys: string[], what: string): unknown[] {
	if (body === undefined || body === null || body === '') return [];
	const envelope = body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : undefined;
	const key = envelope ? keys.find((name) => envelope[name] !== undefined && envelope[name] !== null) : undefined;
	const collection = key === undefined ? undefined : envelope?.[key];
	if (Array.isArray(collection)) return collection;
	if (collection && typeof collection === 'object') return Object.entries(collection).map(([id, entry]) => (entry && typeof entry === 'object' && !Array.isArray(entry) ? { id, ...entry } : entry));
	if (envelope && key === undefined && Object.keys(envelope).every((name) => ['total', 'limit', 'offset'].includes(name))) return [];
	// Counted, not named: the answer's own words could carry anything, and this message skips the client's redaction.
	const holds = envelope ? `${Object.keys(envelope).length} other field(s)` : `a ${Array.isArray(body) ? 'list' : typeof body}`;
	throw new NodeOperationError(client.node, `Assembled's answer about ${what} is not in the expected form`, {
		description: `Expected "${keys[0]}" to hold a list of objects; the answer has ${holds}. The shape of this endpoint is not confirmed by Assembled's public docs; please report it.`,
	});
}

const ms = (seconds: number | null | undefined) => (typeof seconds === 'number' ? seconds * 1000 : undefined);

/**
 * Pages a `limit`/`offset` list until a short page, the reported `total`, or a page of only ids
 * already read (a server that ignores `offset`). Each entry is checked with zod; one without an
 * id or with a time that is not unix seconds is counted, not emitted.
 */
async function pageThrough(
	client: AssembledClient,
	list: { path: string; keys: string[]; what: string; pageSize: number },
	qs: IDataObject,
	toRecord: (entry: ListedRecord) => TriggerRecord | undefined,
): Promise<RecordBatch> {
	const records: TriggerRecord[] = [];
	const ids = new Set<string>();
	let unreadable = 0;
	for (let page = 0, offset = 0; page < MAX_PAGES; page++) {
		const body = await client.request<IDataObject | undefined>({ method: 'GET', path: list.path, qs: { ...qs, limit: list.pageSize, offset } });
		const entries = entriesOf(client, body, list.keys, list.what);
		let unseen = 0;
		for (const entry of entries) {
			const parsed = listedRecord.safeParse(entry);
			if (!parsed.success) {
				unreadable += 1;
				continue;
			}
			const id = String(parsed.data.id);
			if (ids.has(id)) continue;
			ids.add(id);
			unseen += 1;
			const record = toRecord(parsed.data);
			if (record) records.push(record);
			else unreadable += 1;
		}
		const total = typeof body?.total === 'number' ? body.total : undefined;
		offset += entries.length;
		if (entries.length < list.pageSize || unseen === 0 || (total !== undefined && offset >= total)) break;
	}
	return { records, unreadable };
}

/**
 * Time-off requests changed since `since` (ms): `GET /v0/time_off/requests?updated_since=` (docs/assembled.md,
 * "Assembled Trigger": path and shape not confirmed). A request's time is its `updated_at`, else
 * its `created_at`; the list is filtered here as well, in case the server does not filter.
 */
export async function readTimeOffRequests(client: AssembledClient, since: number): Promise<RecordBatch> {
	const list = { path: '/v0/time_off/requests', keys: ['time_off_requests', 'requests'], what: 'time-off requests', pageSize: TIME_OFF_PAGE_SIZE };
	return await pageThrough(client, list, { updated_since: Math.floor(since / 1000) }, (entry) => {
		const at = ms(entry.updated_at) ?? ms(entry.modified_at) ?? ms(entry.created_at);
		if (at === undefined) return undefined;
		return {
			id: String(entry.id),
			at,
			createdAt: ms(entry.created_at),
			fingerprint: contentFingerprint(entry),
			json: withIsoTwins(entry as IDataObject, TIME_FIELDS.timeOffRequest),
		};
	});
}

/**
 * Schedule changes made between `from` and `to` (ms): `GET /v0/event_changes?start_time=&end_time=`,
 * keyed by id, paged, each with its `modified_at` (docs/assembled.md, "Assembled Trigger").
 */
export async function readEventChanges(client: AssembledClient, from: number, to: number): Promise<RecordBatch> {
	const qs = { start_time: Math.floor(from / 1000), end_time: Math.ceil(to / 1000) };
	const list = { path: '/v0/event_changes', keys: ['event_changes'], what: 'schedule changes', pageSize: EVENT_CHANGES_PAGE_SIZE };
	return await pageThrough(client, list, qs, (entry) => {
		const at = ms(entry.modified_at);
		if (at === undefined) return undefined;
		return { id: String(entry.id), at, fingerprint: contentFingerprint(entry), json: withIsoTwins(entry as IDataObject, TIME_FIELDS.scheduleChange) };
	});
}

/**
 * Everyone in People (deleted people left out), each dated by `created_at`: Assembled has no
 * filter by creation time, so every poll reads the whole list (docs/assembled.md, "People").
 * A person is emitted once ('' fingerprint): later edits are not additions.
 */
export async function readPeople(client: AssembledClient): Promise<RecordBatch> {
	const { people, names } = await listPeople(client);
	const records: TriggerRecord[] = [];
	let unreadable = 0;
	for (const person of people) {
		const created = (person as IDataObject).created_at;
		if (typeof created !== 'number' || !Number.isFinite(created)) {
			unreadable += 1;
			continue;
		}
		records.push({ id: String(person.id), at: created * 1000, createdAt: created * 1000, fingerprint: '', json: flattenPerson(person, names) });
	}
	return { records, unreadable };
}
