/**
 * Queues, sites, teams and skills ("filters" in Assembled) and roles: whole collections keyed by
 * id, read once per execution; names resolved to ids; the tree `parent_id` forms
 * (docs/assembled.md, "Filters, people writes, activity writes, event changes").
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { rowError } from '../../shared/errors';
import type { AssembledClient } from '../transport';
import { searchable, type FilterKind } from './pickLists';
import { withIsoTimes } from './time';

/** The Filter Type the node offers, singular as a user picks it. */
export type FilterType = 'queue' | 'site' | 'team' | 'skill';

export const FILTER_KIND: Record<FilterType, FilterKind> = { queue: 'queues', site: 'sites', team: 'teams', skill: 'skills' };

/** Collections a person write names by id: the four filters and roles (`GET /v0/roles`). */
export type NamedKind = FilterKind | 'roles';

const SINGULAR: Record<NamedKind, string> = { queues: 'queue', sites: 'site', teams: 'team', skills: 'skill', roles: 'role' };

export function isFilterType(value: unknown): value is FilterType {
	return typeof value === 'string' && value in FILTER_KIND;
}

export interface AssembledFilter extends IDataObject {
	id: string;
	name?: string | null;
	parent_id?: string | null;
}

/** Every entry of `/v0/<kind>`: an object keyed by id, each `{id, name, parent_id, created_at, updated_at}`. */
export async function listNamed(client: AssembledClient, kind: NamedKind, itemIndex?: number): Promise<AssembledFilter[]> {
	const body = await client.request<Record<string, unknown>>({ method: 'GET', path: `/v0/${kind}` }, itemIndex);
	const map = body?.[kind];
	if (!map || typeof map !== 'object') return [];
	// Some answers could be arrays; both are read (docs/assembled.md, "Collections and timestamps").
	const entries = Array.isArray(map) ? map.map((entry, index) => [String(index), entry] as const) : Object.entries(map);
	return entries
		.filter(([, entry]) => entry && typeof entry === 'object')
		.map(([key, entry]) => {
			const filter = entry as IDataObject;
			return { ...filter, id: String(filter.id ?? key), parent_id: (filter.parent_id as string | null | undefined) ?? null };
		});
}

/**
 * The collections of one execution, each fetched once, on first use. Entries a Create adds are
 * added here too, so a later item sees them.
 */
export class NamedLists {
	private readonly lists = new Map<NamedKind, Promise<AssembledFilter[]>>();

	constructor(private readonly client: AssembledClient) {}

	get(kind: NamedKind, itemIndex?: number): Promise<AssembledFilter[]> {
		let list = this.lists.get(kind);
		if (!list) {
			list = listNamed(this.client, kind, itemIndex);
			this.lists.set(kind, list);
			// A failed read is not kept: the next item tries again.
			list.catch(() => this.lists.delete(kind));
		}
		return list;
	}

	async add(kind: NamedKind, entry: AssembledFilter): Promise<void> {
		const list = await this.get(kind);
		this.lists.set(kind, Promise.resolve([...list.filter((known) => known.id !== entry.id), entry]));
	}
}

/** The entries a value names: the one with that id, else those with that name (without regard to case or accents). */
export function entriesNamed(entries: AssembledFilter[], given: string): AssembledFilter[] {
	const byId = entries.filter((entry) => entry.id === given);
	if (byId.length > 0) return byId;
	const wanted = searchable(given);
	return entries.filter((entry) => searchable(entry.name) === wanted);
}

/** Ids for values given by id or name; an unknown or ambiguous name is the item's fault. */
export async function resolveIds(
	node: INode,
	lists: NamedLists,
	kind: NamedKind,
	values: string[],
	itemIndex: number,
): Promise<string[]> {
	if (values.length === 0) return [];
	const entries = await lists.get(kind, itemIndex);
	return values.map((value) => {
		const named = entriesNamed(entries, value);
		if (named.length === 1) return named[0].id;
		const what = SINGULAR[kind];
		throw rowError(
			node,
			named.length === 0 ? `No ${what} in Assembled has the ID or name "${value}"` : `${named.length} ${kind} in Assembled are called "${value}"`,
			'invalidItem',
			{
				itemIndex,
				description:
					named.length === 0
						? `Known ${kind}: ${entries.map((entry) => String(entry.name ?? entry.id)).slice(0, 30).join(', ') || 'none'}`
						: `Give the ${what} by ID: ${named.map((entry) => entry.id).join(', ')}`,
			},
		);
	});
}

export interface FilterWithPath extends IDataObject {
	parent_name: string | null;
	/** Names from the top of the tree down to the parent; empty for a top-level entry. */
	path: string[];
	depth: number;
}

/**
 * Each entry with its parent's name and the names above it, in tree order: parents before their
 * children, siblings by name. A missing parent shows as its id; a cycle stops where it repeats.
 */
export function filterTree(filters: AssembledFilter[]): Array<AssembledFilter & FilterWithPath> {
	const byId = new Map(filters.map((filter) => [filter.id, filter]));
	const ancestors = (filter: AssembledFilter): string[] => {
		const names: string[] = [];
		const seen = new Set([filter.id]);
		for (let parentId = filter.parent_id; parentId; ) {
			if (seen.has(parentId)) break;
			seen.add(parentId);
			const parent = byId.get(parentId);
			if (!parent) {
				names.unshift(parentId);
				break;
			}
			names.unshift(String(parent.name ?? parent.id));
			parentId = parent.parent_id;
		}
		return names;
	};
	const byName = (a: AssembledFilter, b: AssembledFilter) =>
		String(a.name ?? '').localeCompare(String(b.name ?? '')) || a.id.localeCompare(b.id);
	const children = new Map<string, AssembledFilter[]>();
	const roots: AssembledFilter[] = [];
	for (const filter of filters) {
		if (filter.parent_id && byId.has(filter.parent_id) && filter.parent_id !== filter.id) {
			children.set(filter.parent_id, [...(children.get(filter.parent_id) ?? []), filter]);
		} else roots.push(filter);
	}
	const ordered: AssembledFilter[] = [];
	const visited = new Set<string>();
	const visit = (filter: AssembledFilter) => {
		if (visited.has(filter.id)) return;
		visited.add(filter.id);
		ordered.push(filter);
		for (const child of (children.get(filter.id) ?? []).sort(byName)) visit(child);
	};
	roots.sort(byName).forEach(visit);
	// Entries only a cycle reaches.
	filters.filter((filter) => !visited.has(filter.id)).sort(byName).forEach(visit);
	return ordered.map((filter) => {
		const path = ancestors(filter);
		const parent = filter.parent_id ? byId.get(filter.parent_id) : undefined;
		return {
			...(withIsoTimes(filter) as AssembledFilter),
			parent_name: filter.parent_id ? String(parent?.name ?? filter.parent_id) : null,
			path,
			depth: path.length,
		};
	});
}
