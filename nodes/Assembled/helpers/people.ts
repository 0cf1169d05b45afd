import type { IDataObject } from 'n8n-workflow';

import type { AssembledClient } from '../transport';
import { withIsoTimes } from './time';

/** Page size for people; integrations use 100–500 (docs/assembled.md, "People"). */
export const PEOPLE_PAGE_SIZE = 500;
/** Stops a server that ignores `offset` from looping forever. */
const MAX_PEOPLE_PAGES = 2_000;

interface NamedFilter {
	id?: string;
	name?: string;
}

export interface AssembledPerson extends IDataObject {
	id: string;
	agent_id?: string | null;
	first_name?: string | null;
	last_name?: string | null;
	email?: string | null;
	imported_id?: string | null;
	site?: string | null;
	teams?: string[] | null;
	queues?: string[] | null;
	skills?: string[] | null;
	platforms?: Record<string, string | number | null> | null;
	deleted?: boolean | null;
}

/** The `/v0/people` bundle: every collection is an object keyed by id (docs/assembled.md, "Collections and timestamps"). */
export interface PeopleBundle {
	people?: Record<string, AssembledPerson>;
	teams?: Record<string, NamedFilter>;
	sites?: Record<string, NamedFilter>;
	queues?: Record<string, NamedFilter>;
	skills?: Record<string, NamedFilter>;
	total?: number;
	limit?: number;
	offset?: number;
}

export interface FilterNames {
	teams: Record<string, NamedFilter>;
	sites: Record<string, NamedFilter>;
	queues: Record<string, NamedFilter>;
	skills: Record<string, NamedFilter>;
}

export function emptyFilterNames(): FilterNames {
	return { teams: {}, sites: {}, queues: {}, skills: {} };
}

function namesOf(ids: unknown, filters: Record<string, NamedFilter>): string[] {
	if (!Array.isArray(ids)) return [];
	return ids.map((id) => filters[String(id)]?.name ?? String(id));
}

/** One flat item per person, team/site/queue/skill ids resolved to names. */
export function flattenPerson(person: AssembledPerson, names: FilterNames): IDataObject {
	const fullName = [person.first_name, person.last_name].filter(Boolean).join(' ');
	return {
		...withIsoTimes(person),
		name: fullName || null,
		team_names: namesOf(person.teams, names.teams),
		site_name: person.site ? (names.sites[person.site]?.name ?? person.site) : null,
		queue_names: namesOf(person.queues, names.queues),
		skill_names: namesOf(person.skills, names.skills),
	};
}

export function mergeFilterNames(target: FilterNames, bundle: PeopleBundle) {
	Object.assign(target.teams, bundle.teams ?? {});
	Object.assign(target.sites, bundle.sites ?? {});
	Object.assign(target.queues, bundle.queues ?? {});
	Object.assign(target.skills, bundle.skills ?? {});
}

/** Teams, sites, queues and skills by id, one request each (docs/assembled.md, "People"). */
export async function fetchFilterNames(client: AssembledClient, itemIndex: number): Promise<FilterNames> {
	const names = emptyFilterNames();
	for (const kind of ['teams', 'sites', 'queues', 'skills'] as const) {
		const body = await client.request<Record<string, unknown>>({ method: 'GET', path: `/v0/${kind}` }, itemIndex);
		const map = body?.[kind];
		if (map && typeof map === 'object') Object.assign(names[kind], map);
	}
	return names;
}

export interface PeoplePage {
	people: AssembledPerson[];
	names: FilterNames;
}

/** One page of `/v0/people`: the people on it, their filters' names, and the offset of the next page, if any. */
export async function fetchPeoplePage(
	client: AssembledClient,
	offset: number,
	limit: number,
	options: { includeDeleted?: boolean; itemIndex?: number } = {},
): Promise<PeoplePage & { nextOffset?: number }> {
	const qs: IDataObject = { limit, offset };
	if (options.includeDeleted) qs.include_deleted = true;
	const bundle = await client.request<PeopleBundle>({ method: 'GET', path: '/v0/people', qs }, options.itemIndex);
	const names = emptyFilterNames();
	mergeFilterNames(names, bundle ?? {});
	const people = Object.values(bundle?.people ?? {});
	const next = offset + people.length;
	const total = typeof bundle?.total === 'number' ? bundle.total : undefined;
	// A short page or the reported total ends the list.
	const more = people.length >= limit && people.length > 0 && (total === undefined || next < total);
	return { people, names, nextOffset: more ? next : undefined };
}

/**
 * Pages through `/v0/people` with limit/offset until `max` people, the reported total, or a
 * short page. Every page goes through the client's shared rate limiter. `keep` picks the people
 * that count (a filter Assembled has no documented query for: docs/assembled.md, "Pickers").
 */
export async function listPeople(
	client: AssembledClient,
	options: {
		max?: number;
		includeDeleted?: boolean;
		pageSize?: number;
		itemIndex?: number;
		keep?: (person: AssembledPerson, names: FilterNames) => boolean;
	} = {},
): Promise<PeoplePage> {
	const pageSize = Math.min(options.pageSize ?? PEOPLE_PAGE_SIZE, PEOPLE_PAGE_SIZE);
	const max = options.max ?? Number.POSITIVE_INFINITY;
	const names = emptyFilterNames();
	const people: AssembledPerson[] = [];
	const seen = new Set<string>();
	for (let page = 0, offset = 0; page < MAX_PEOPLE_PAGES && people.length < max; page++) {
		// With a filter, a page may keep few people: ask for full pages then.
		const limit = options.keep ? pageSize : Math.min(pageSize, max - people.length);
		const batch = await fetchPeoplePage(client, offset, limit, options);
		mergeFilterNames(names, batch.names);
		let unseen = 0;
		for (const person of batch.people) {
			const key = String(person.id);
			if (seen.has(key)) continue;
			seen.add(key);
			unseen += 1;
			if (!options.includeDeleted && person.deleted === true) continue;
			if (options.keep && !options.keep(person, names)) continue;
			if (people.length < max) people.push(person);
		}
		// A page of only known people (offset ignored) ends it too.
		if (batch.nextOffset === undefined || unseen === 0) break;
		offset = batch.nextOffset;
	}
	return { people, names };
}

/** Case-insensitive email and platform-id lookups over one fetched people list. */
export class PeopleDirectory {
	private readonly byEmail = new Map<string, AssembledPerson[]>();
	private readonly byPlatform = new Map<string, AssembledPerson[]>();
	private readonly byImportedId = new Map<string, AssembledPerson[]>();

	constructor(
		readonly people: AssembledPerson[],
		readonly names: FilterNames,
	) {
		for (const person of people) {
			if (person.email) push(this.byEmail, normalizeEmail(person.email), person);
			for (const [platform, id] of Object.entries(person.platforms ?? {})) {
				if (id !== null && id !== undefined && String(id).trim() !== '') {
					push(this.byPlatform, platformKey(platform, String(id)), person);
				}
			}
			if (person.imported_id) push(this.byImportedId, String(person.imported_id).trim(), person);
		}
	}

	findByEmail(email: string): AssembledPerson[] {
		return this.byEmail.get(normalizeEmail(email)) ?? [];
	}

	/** `platforms.<platform>` first, then `imported_id` (docs/assembled.md, "Platform ids"). */
	findByPlatformId(platformId: string, platform = 'five9'): AssembledPerson[] {
		const id = String(platformId).trim();
		const direct = this.byPlatform.get(platformKey(platform, id));
		if (direct?.length) return direct;
		// A Five9 username is often the agent's email.
		const byUsername = this.byPlatform.get(platformKey(platform, normalizeEmail(id)));
		if (byUsername?.length) return byUsername;
		return this.byImportedId.get(id) ?? [];
	}

	flatten(person: AssembledPerson): IDataObject {
		return flattenPerson(person, this.names);
	}
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
	const list = map.get(key);
	if (list) {
		if (!list.includes(value)) list.push(value);
	} else map.set(key, [value]);
}

export function normalizeEmail(email: string): string {
	return String(email).trim().toLowerCase();
}

function platformKey(platform: string, id: string): string {
	const trimmed = id.trim();
	return `${platform.trim().toLowerCase()}:${trimmed.includes('@') ? trimmed.toLowerCase() : trimmed}`;
}

/** Fetches the people list once per client (that is, once per node execution). */
const directories = new WeakMap<AssembledClient, Promise<PeopleDirectory>>();

export function peopleDirectory(client: AssembledClient, itemIndex?: number): Promise<PeopleDirectory> {
	let directory = directories.get(client);
	if (!directory) {
		directory = listPeople(client, { itemIndex }).then(({ people, names }) => new PeopleDirectory(people, names));
		directories.set(client, directory);
		// A failed fetch should not be cached: the next caller tries again.
		directory.catch(() => directories.delete(client));
	}
	return directory;
}
