/**
 * Time off, forecasts, requirements and working hours: reading their answers, paging time-off
 * requests, naming requirement types, and cutting a requirement's range into intervals. The wire
 * facts, and which of them are confirmed, are in docs/assembled.md, "Time off, forecasts,
 * requirements, working hours".
 */
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod/v4';

import { rowError } from '../../shared/errors';
import { parseTimestamp } from '../../shared/time';
import type { AssembledClient } from '../transport';
import { listActivityTypes } from './activities';
import type { NamedEntry } from './pickLists';

const record = z.record(z.string(), z.unknown());
/** A list as Assembled sends it: an array, or (its usual form) an object keyed by id. */
const collection = z.union([z.array(record), z.record(z.string(), record)]);

/**
 * The rows of `body[key]`, whichever of the two list forms it has. `alternates` are keys other
 * clients use for the same list (where the shape is not confirmed). A missing list is an empty
 * one (Assembled's own client leaves empty lists out); an answer that holds something else is an
 * error that names what it holds, so a changed shape is not read as "nothing found".
 */
export function rowsOf(node: INode, body: unknown, key: string, alternates: string[], what: string, itemIndex: number): IDataObject[] {
	if (body === undefined || body === null || body === '') return [];
	const envelope = record.safeParse(body);
	const listKey = envelope.success ? [key, ...alternates].find((name) => envelope.data[name] !== undefined && envelope.data[name] !== null) : undefined;
	if (envelope.success && listKey === undefined) {
		const keys = Object.keys(envelope.data);
		// Only paging fields (or nothing): an empty list.
		if (keys.every((name) => ['total', 'limit', 'offset'].includes(name))) return [];
	}
	const list = listKey === undefined ? undefined : collection.safeParse((envelope.data as IDataObject)[listKey]);
	if (!list?.success) {
		const holds = envelope.success ? `fields ${Object.keys(envelope.data).slice(0, 10).join(', ') || '(none)'}` : typeof body;
		throw new NodeOperationError(node, `Assembled's answer about ${what} is not in the expected form`, {
			itemIndex,
			description: `Expected "${key}" to hold a list of objects; the answer has ${holds}. The node does not know this form of Assembled's answer; the raw answer shows what changed.`,
		});
	}
	return (Array.isArray(list.data) ? list.data : Object.entries(list.data).map(([id, row]) => ({ id, ...row }))) as IDataObject[];
}

/** A time as unix seconds; a value that is not a time is the item's fault (row level). */
export function unixSecondsOf(ctx: IExecuteFunctions, value: unknown, label: string, itemIndex: number): number {
	const parsed = parseTimestamp(value, ctx.getTimezone());
	if (!parsed.ok) {
		throw rowError(ctx.getNode(), `${label} ${parsed.reason}`, 'invalidItem', {
			itemIndex,
			description: 'Use ISO 8601 (2026-11-23T09:00:00Z), unix seconds or unix milliseconds.',
		});
	}
	return Math.floor(parsed.epochMs / 1000);
}

/** A date parameter as unix seconds (row level when it is not a time). */
export function itemUnixSeconds(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number): number {
	return unixSecondsOf(ctx, ctx.getNodeParameter(name, itemIndex, ''), label, itemIndex);
}

/** An optional time (a Filters entry) as unix seconds; undefined when not set. */
export function optionalUnixSeconds(ctx: IExecuteFunctions, value: unknown, label: string, itemIndex: number): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return unixSecondsOf(ctx, value, label, itemIndex);
}

/** Return All, or the Limit of an item. */
export function maxResults(ctx: IExecuteFunctions, itemIndex: number): number {
	return ctx.getNodeParameter('returnAll', itemIndex, false) ? Number.POSITIVE_INFINITY : (ctx.getNodeParameter('limit', itemIndex, 50) as number);
}

// ---------------------------------------------------------------------------------------------
// Time off

/** Page size of `GET /v0/time_off/requests`: what the clients seen ask for. */
export const TIME_OFF_PAGE_SIZE = 100;
/** Stops a server that ignores `offset` and keeps answering full pages. */
const MAX_TIME_OFF_PAGES = 10_000;

export interface TimeOffQuery {
	start_time?: number;
	end_time?: number;
	updated_since?: number;
}

/**
 * Time-off requests matching `query`, paged with limit/offset to the last page: a short page, the
 * `total`, or a page of only requests already read (a server that ignores `offset`) ends it.
 * `keep` filters what is read (agent, status); reading stops once `max` are kept.
 */
export async function listTimeOffRequests(
	node: INode,
	client: AssembledClient,
	query: TimeOffQuery,
	keep: (request: IDataObject) => boolean,
	max: number,
	itemIndex: number,
): Promise<IDataObject[]> {
	const kept: IDataObject[] = [];
	const seen = new Set<string>();
	for (let page = 0, offset = 0; page < MAX_TIME_OFF_PAGES && kept.length < max; page++) {
		const qs: IDataObject = { ...query, limit: TIME_OFF_PAGE_SIZE, offset };
		const body = await client.request<IDataObject>({ method: 'GET', path: '/v0/time_off/requests', qs }, itemIndex);
		const rows = rowsOf(node, body, 'time_off_requests', ['requests'], 'time-off requests', itemIndex);
		const fresh = rows.filter((row) => !seen.has(String(row.id)));
		if (rows.length > 0 && fresh.length === 0) break;
		for (const row of fresh) {
			seen.add(String(row.id));
			if (keep(row) && kept.length < max) kept.push(row);
		}
		offset += rows.length;
		if (rows.length < TIME_OFF_PAGE_SIZE) break;
		if (typeof body?.total === 'number' && offset >= body.total) break;
	}
	return kept;
}

/** Statuses as the node offers them, with the spellings other sources use for the same status. */
export const TIME_OFF_STATUS_SPELLINGS: Record<string, string[]> = {
	approved: ['approved', 'approve'],
	cancelled: ['cancelled', 'canceled', 'cancel'],
	denied: ['denied', 'rejected', 'deny', 'reject'],
	pending: ['pending', 'requested'],
};

export function statusMatches(wanted: string[], status: unknown): boolean {
	if (wanted.length === 0) return true;
	const actual = String(status ?? '').toLowerCase();
	return wanted.some((name) => (TIME_OFF_STATUS_SPELLINGS[name] ?? [name]).includes(actual));
}

/** Activity types that are time off (`timeoff: true`); all of them when none is marked. */
export async function listTimeOffTypeEntries(client: AssembledClient): Promise<NamedEntry[]> {
	const types = await listActivityTypes(client);
	const timeOff = types.filter((type) => type.timeoff === true);
	return (timeOff.length > 0 ? timeOff : types).map((type) => ({
		id: String(type.id),
		name: String(type.name ?? type.short_name ?? type.id),
		aliases: [type.short_name, type.import_id],
	}));
}

// ---------------------------------------------------------------------------------------------
// Requirements

export interface RequirementType extends IDataObject {
	id: string;
	name?: string;
}

/** Every requirement type: one request, an object keyed by id. */
export async function listRequirementTypes(node: INode, client: AssembledClient, itemIndex = 0): Promise<RequirementType[]> {
	const body = await client.request<IDataObject>({ method: 'GET', path: '/v0/requirement_types' }, itemIndex);
	return rowsOf(node, body, 'requirement_types', [], 'requirement types', itemIndex) as RequirementType[];
}

export async function listRequirementTypeEntries(node: INode, client: AssembledClient): Promise<NamedEntry[]> {
	return (await listRequirementTypes(node, client)).map((type) => ({ id: String(type.id), name: String(type.name ?? type.id) }));
}

/** A requirement type given by id or by name (without regard to case). */
export function requirementTypeIdOf(node: INode, types: RequirementType[], given: string, itemIndex: number): string {
	const byId = types.filter((type) => String(type.id) === given);
	const named = byId.length ? byId : types.filter((type) => String(type.name ?? '').toLowerCase() === given.toLowerCase());
	if (named.length === 1) return String(named[0].id);
	throw rowError(
		node,
		named.length ? `Several requirement types are called "${given}"` : `No requirement type in Assembled has the ID or name "${given}"`,
		'invalidItem',
		{ itemIndex, description: `Known types: ${types.map((type) => String(type.name ?? type.id)).join(', ') || '(none)'}` },
	);
}

/** More intervals than this in one item is almost surely a wrong range; each is one request. */
export const MAX_INTERVALS_PER_ITEM = 1000;

/**
 * [start, end) cut into consecutive intervals of `seconds`. Assembled wants each requirement to
 * cover exactly one interval, starting on a multiple of it (docs/assembled.md, "Requirements"),
 * so a range that does not fall on those boundaries is the item's fault. `seconds` 0 keeps the
 * range whole.
 */
export function intervalsOf(node: INode, start: number, end: number, seconds: number, itemIndex: number): Array<[number, number]> {
	if (!seconds) return [[start, end]];
	if (start % seconds !== 0 || end % seconds !== 0) {
		throw rowError(node, `Start and End must fall on ${seconds / 60}-minute boundaries`, 'invalidItem', {
			itemIndex,
			description: 'Assembled takes requirements per interval, each starting on a multiple of the interval (e.g. 09:00, 09:15, … for 15 minutes).',
		});
	}
	const count = (end - start) / seconds;
	if (count > MAX_INTERVALS_PER_ITEM) {
		throw rowError(node, `The range holds ${count} intervals, more than ${MAX_INTERVALS_PER_ITEM}`, 'invalidItem', {
			itemIndex,
			description: 'Each interval is one request; split the range over several items.',
		});
	}
	return Array.from({ length: count }, (_, i) => [start + i * seconds, start + (i + 1) * seconds]);
}

/** The requirement's number of agents: a number of zero or more (partial agents allowed). */
export function requiredCount(node: INode, value: unknown, itemIndex: number): number {
	const parsed = z.coerce.number().finite().min(0).safeParse(typeof value === 'string' && value.trim() === '' ? undefined : value);
	if (!parsed.success) {
		throw rowError(node, `Required Agents must be a number of zero or more, not "${String(value)}"`, 'invalidItem', { itemIndex });
	}
	return parsed.data;
}
