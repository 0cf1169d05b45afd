import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import {
	listActivityTypeEntries,
	listFilters,
	searchNamed,
	searchPeople,
	type FilterKind,
} from '../helpers/pickLists';
import { AssembledClient } from '../transport';

/** Person → Get: the entry's value is the person id. */
export async function searchPersons(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchPeople(new AssembledClient(this), 'id', filter, paginationToken);
}

/** Activities and agent states: the entry's value is the agent id. */
export async function searchAgents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchPeople(new AssembledClient(this), 'agent_id', filter, paginationToken);
}

export async function searchActivityTypes(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return searchNamed(await listActivityTypeEntries(new AssembledClient(this)), filter, paginationToken);
}

async function searchFilter(
	ctx: ILoadOptionsFunctions,
	kind: FilterKind,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return searchNamed(await listFilters(new AssembledClient(ctx), kind), filter, paginationToken);
}

export async function searchTeams(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchFilter(this, 'teams', filter, paginationToken);
}

export async function searchSites(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchFilter(this, 'sites', filter, paginationToken);
}

export async function searchQueues(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchFilter(this, 'queues', filter, paginationToken);
}

export async function searchSkills(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchFilter(this, 'skills', filter, paginationToken);
}
