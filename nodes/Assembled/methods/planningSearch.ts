import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { searchNamed } from '../helpers/pickLists';
import { listRequirementTypeEntries, listTimeOffTypeEntries } from '../helpers/planning';
import { AssembledClient } from '../transport';

/** Time Off → Create: activity types marked as time off (all of them when none is marked). */
export async function searchTimeOffTypes(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return searchNamed(await listTimeOffTypeEntries(new AssembledClient(this)), filter, paginationToken);
}

export async function searchRequirementTypes(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return searchNamed(await listRequirementTypeEntries(this.getNode(), new AssembledClient(this)), filter, paginationToken);
}
