import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { rowError } from '../../../shared/errors';
import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import {
	FILTER_KIND,
	NamedLists,
	filterTree,
	isFilterType,
	resolveIds,
	type AssembledFilter,
	type FilterType,
} from '../../helpers/filters';
import { locatorParameter } from '../../helpers/locators';
import { searchable } from '../../helpers/pickLists';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions, resourceLocator } from '../common.descriptions';
import { filterTypeField } from './filter.descriptions';

const show = { resource: ['filter'], operation: ['create'] };

const PARENT_SEARCH: Record<FilterType, string> = {
	queue: 'searchQueues',
	site: 'searchSites',
	skill: 'searchSkills',
	team: 'searchTeams',
};

export const description: INodeProperties[] = [
	filterTypeField(show),
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		displayOptions: { show },
		default: '',
		placeholder: 'e.g. Tier 1',
	},
	// One Parent per type, each listing its own kind; with Filter Type as an expression all show and any may hold it.
	...(Object.keys(PARENT_SEARCH) as FilterType[]).map((type) =>
		resourceLocator({
			displayName: 'Parent',
			name: 'parentId',
			searchListMethod: PARENT_SEARCH[type],
			description: `Optional: the ${type} to put the new one under. Leave empty for a top-level ${type}.`,
			show: { ...show, filterType: [type] },
			byName: { placeholder: 'e.g. Tier 2' },
		}),
	),
	...operationOptions(show, [
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description: 'Whether to return what would be created without creating it',
		},
		{
			displayName: 'Skip If It Exists',
			name: 'skipExisting',
			type: 'boolean',
			default: true,
			description: 'Whether to leave out one whose name is already taken under the same parent, so a re-run creates nothing twice',
		},
	]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new AssembledClient(this, clientOptionsFrom(settingsOf(this, 0)));
	const lists = new NamedLists(client);
	return await runPerItem.call(this, async (itemIndex) => {
		const type = this.getNodeParameter('filterType', itemIndex, 'team');
		if (!isFilterType(type)) {
			throw new NodeOperationError(this.getNode(), `Filter Type must be queue, site, team or skill, not "${String(type)}"`, { itemIndex });
		}
		const kind = FILTER_KIND[type];
		const name = String(this.getNodeParameter('name', itemIndex, '') ?? '').trim();
		if (!name) throw rowError(this.getNode(), 'Name is empty', 'invalidItem', { itemIndex });
		const parentGiven = locatorParameter(this, 'parentId', itemIndex);
		const parentId = parentGiven ? (await resolveIds(this.getNode(), lists, kind, [parentGiven], itemIndex))[0] : null;
		const options = settingsOf(this, itemIndex);
		if (options.skipExisting !== false) {
			const known = await lists.get(kind, itemIndex);
			const existing = known.find((filter) => (filter.parent_id ?? null) === parentId && searchable(filter.name) === searchable(name));
			if (existing) return [{ status: 'exists', type, filter: withPath(known, existing) }];
		}
		const entry: IDataObject = { name };
		if (parentId) entry.parent_id = parentId;
		// POST /v0/<kind> takes a list and answers the created ones keyed by id (docs/assembled.md, "Filters, people writes, activity writes, event changes").
		const payload = { [kind]: [entry] };
		if (options.dryRun === true) return [{ status: 'dryRun', type, payload }];
		const answer = await client.request<IDataObject>({ method: 'POST', path: `/v0/${kind}`, body: payload }, itemIndex);
		const created = pickCreated(answer?.[kind], name, parentId);
		if (!created) return [{ status: 'created', type, filter: { ...entry, parent_id: parentId } }];
		// Later items see it (Skip If It Exists, Parent by name); its path comes from the same list.
		await lists.add(kind, created);
		return [{ status: 'created', type, filter: withPath(await lists.get(kind, itemIndex), created) }];
	});
}

/** The entry the answer holds for what was sent (the answer may be keyed by id, or a list). */
function pickCreated(answer: unknown, name: string, parentId: string | null): AssembledFilter | undefined {
	if (!answer || typeof answer !== 'object') return undefined;
	const entries = (Array.isArray(answer) ? answer : Object.entries(answer).map(([key, value]) => ({ id: key, ...(value as IDataObject) }))) as AssembledFilter[];
	const withIds = entries.filter((entry) => entry && typeof entry === 'object' && entry.id).map((entry) => ({ ...entry, id: String(entry.id), parent_id: entry.parent_id ?? null }));
	return withIds.find((entry) => entry.name === name && (entry.parent_id ?? null) === parentId) ?? withIds[0];
}

function withPath(known: AssembledFilter[], filter: AssembledFilter): IDataObject {
	const all = known.some((entry) => entry.id === filter.id) ? known : [...known, filter];
	return filterTree(all).find((entry) => entry.id === filter.id) ?? filter;
}
