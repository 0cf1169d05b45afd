/**
 * Pick-lists of Five9 objects for the editor, read from Five9's directory through the same client
 * (and the same one-request-per-user queue) as the operations. Five9 answers each listing whole,
 * so the search and the pages of 100 are done here.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { listDirectory, type DirectoryResource } from '../helpers/directory';
import { Five9Client } from '../transport';

const PAGE = 100;

function folded(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase();
}

/** Every word of the search must appear in the entry's name or its other words. */
export function pageOf(entries: INodeListSearchItems[], filter?: string, paginationToken?: string): INodeListSearchResult {
	const words = folded(filter ?? '')
		.split(/\s+/)
		.filter(Boolean);
	const matching = entries.filter((entry) => words.every((word) => folded(`${entry.name} ${String(entry.value)}`).includes(word)));
	const start = Math.max(0, Number(paginationToken ?? 0) || 0);
	const page = matching.slice(start, start + PAGE);
	return { results: page, ...(start + PAGE < matching.length ? { paginationToken: String(start + PAGE) } : {}) };
}

async function entriesOf(
	ctx: ILoadOptionsFunctions,
	resource: DirectoryResource,
	toItem: (entry: IDataObject) => INodeListSearchItems,
): Promise<INodeListSearchItems[]> {
	const entries = await listDirectory(new Five9Client(ctx), resource, { pattern: '' });
	return entries.map(toItem).sort((a, b) => a.name.localeCompare(b.name));
}

const byName = (entry: IDataObject): INodeListSearchItems => ({ name: String(entry.name ?? ''), value: String(entry.name ?? '') });

export async function searchCampaigns(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return pageOf(await entriesOf(this, 'campaign', byName), filter, paginationToken);
}

export async function searchSkills(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return pageOf(await entriesOf(this, 'skill', byName), filter, paginationToken);
}

export async function searchAgentGroups(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return pageOf(await entriesOf(this, 'agentGroup', byName), filter, paginationToken);
}

/** Users by full name and user name; the value is the user name, as Five9's criteria take it. */
export async function searchUsers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	const entries = await entriesOf(this, 'user', (entry) => {
		const userName = String(entry.userName ?? '');
		const fullName = String(entry.fullName ?? '').trim();
		return { name: fullName ? `${fullName} (${userName})` : userName, value: userName };
	});
	return pageOf(entries, filter, paginationToken);
}
