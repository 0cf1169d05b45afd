/**
 * The lists behind the node's "From List" pickers: people and agents (paged through Assembled),
 * and the small collections Assembled sends whole (teams, sites, queues, skills, activity types),
 * each searched and paged here (docs/assembled.md, "Pickers"). Every request goes through the
 * client's rate limiter.
 */
import type { INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import type { AssembledClient } from '../transport';
import { listActivityTypes } from './activities';
import { PEOPLE_PAGE_SIZE, fetchPeoplePage, type AssembledPerson } from './people';

/** Entries per page of a picker: enough to scroll, small enough to show at once. */
export const PICK_PAGE_SIZE = 100;

/** The filter collections a person carries, each listed by `/v0/<kind>` (docs/assembled.md, "People"). */
export type FilterKind = 'teams' | 'sites' | 'queues' | 'skills';

/** Lower case without accents, so "jose" finds José. */
export function searchable(text: unknown): string {
	return String(text ?? '')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.trim();
}

function matchesAll(words: string[], fields: unknown[]): boolean {
	const haystack = fields.map(searchable).join(' ');
	return words.every((word) => haystack.includes(word));
}

const wordsOf = (filter?: string) => searchable(filter).split(/\s+/).filter(Boolean);

/** A page token is the offset to go on from; anything else starts at the beginning. */
function offsetOf(token?: string): number {
	const offset = Number(token);
	return Number.isInteger(offset) && offset > 0 ? offset : 0;
}

export function personLabel(person: AssembledPerson): string {
	const name = [person.first_name, person.last_name].filter(Boolean).join(' ') || String(person.id);
	return person.email ? `${name} (${person.email})` : name;
}

/**
 * One page of people, searched by name, email, imported id or platform id (Assembled has no
 * documented search: docs/assembled.md, "Pickers"). `value` picks the id the entry stands for:
 * the person id (Person → Get) or the agent id (activities, agent states); people without an
 * agent id are left out of the agent list. With a search, pages are read until a page's worth
 * of matches or the end, so an empty answer means no one matches.
 */
export async function searchPeople(
	client: AssembledClient,
	value: 'id' | 'agent_id',
	filter?: string,
	token?: string,
): Promise<INodeListSearchResult> {
	const words = wordsOf(filter);
	const results: INodeListSearchItems[] = [];
	let offset: number | undefined = offsetOf(token);
	const pageSize = words.length ? PEOPLE_PAGE_SIZE : PICK_PAGE_SIZE;
	const seen = new Set<string>();
	while (offset !== undefined && results.length < PICK_PAGE_SIZE) {
		const page = await fetchPeoplePage(client, offset, pageSize);
		// A page of only people already read means the server ignores `offset`: the list ends here.
		if (page.people.length > 0 && page.people.every((person) => seen.has(String(person.id)))) {
			offset = undefined;
			break;
		}
		for (const person of page.people) {
			seen.add(String(person.id));
			if (person.deleted === true || !person[value]) continue;
			const platformIds = Object.values(person.platforms ?? {});
			if (words.length && !matchesAll(words, [person.first_name, person.last_name, person.email, person.imported_id, ...platformIds])) {
				continue;
			}
			results.push({ name: personLabel(person), value: String(person[value]) });
		}
		offset = page.nextOffset;
		if (!words.length) break;
	}
	return offset === undefined ? { results } : { results, paginationToken: String(offset) };
}

export interface NamedEntry {
	id: string;
	name: string;
	/** Also searched, not shown: short names, import ids. */
	aliases?: unknown[];
}

/** One page of a whole collection, searched by name or alias (or a whole id), sorted by name. */
export function searchNamed(entries: NamedEntry[], filter?: string, token?: string, pageSize = PICK_PAGE_SIZE): INodeListSearchResult {
	const words = wordsOf(filter);
	const whole = searchable(filter);
	const matching = entries
		.filter(
			(entry) =>
				!words.length || searchable(entry.id) === whole || matchesAll(words, [entry.name, ...(entry.aliases ?? [])]),
		)
		.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
	const start = offsetOf(token);
	const results = matching.slice(start, start + pageSize).map((entry) => ({ name: entry.name, value: entry.id }));
	const next = start + pageSize;
	return next < matching.length ? { results, paginationToken: String(next) } : { results };
}

/** Teams, sites, queues or skills: one request, an object keyed by id. */
export async function listFilters(client: AssembledClient, kind: FilterKind): Promise<NamedEntry[]> {
	const body = await client.request<Record<string, unknown>>({ method: 'GET', path: `/v0/${kind}` });
	const map = body?.[kind];
	if (!map || typeof map !== 'object') return [];
	return Object.entries(map as Record<string, { id?: unknown; name?: unknown }>).map(([key, entry]) => ({
		id: String(entry?.id ?? key),
		name: String(entry?.name ?? entry?.id ?? key),
	}));
}

export async function listActivityTypeEntries(client: AssembledClient): Promise<NamedEntry[]> {
	return (await listActivityTypes(client)).map((type) => ({
		id: String(type.id),
		name: String(type.name ?? type.short_name ?? type.id),
		aliases: [type.short_name, type.import_id],
	}));
}
