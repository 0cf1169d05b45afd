import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { rowError } from '../../../shared/errors';
import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { locatorList } from '../../helpers/locators';
import {
	itemUnixSeconds,
	listRequirementTypes,
	maxResults,
	requirementTypeIdOf,
	rowsOf,
	type RequirementType,
} from '../../helpers/planning';
import { withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions, resourceLocator, returnAllAndLimit, timeRange } from '../common.descriptions';

const show = { resource: ['requirement'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	...timeRange(show, 'Requirements'),
	...returnAllAndLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		displayOptions: { show },
		default: {},
		options: [
			resourceLocator({
				displayName: 'Requirement Type',
				name: 'requirementTypes',
				searchListMethod: 'searchRequirementTypes',
				description: 'Only requirements of this type. By ID takes several IDs separated by commas; By Name takes the name.',
				byName: { placeholder: 'e.g. Phones' },
				severalIds: true,
			}),
		],
	},
	...operationOptions(show),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new AssembledClient(this, clientOptionsFrom(settingsOf(this, 0)));
	let typeList: Promise<RequirementType[]> | undefined;
	return await runPerItem.call(this, async (itemIndex) => {
		const node = this.getNode();
		const start = itemUnixSeconds(this, 'startTime', 'Start', itemIndex);
		const end = itemUnixSeconds(this, 'endTime', 'End', itemIndex);
		if (end <= start) throw rowError(node, 'End must be after Start', 'invalidItem', { itemIndex });
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		typeList ??= listRequirementTypes(node, client, itemIndex);
		const types = await typeList;
		const typeIds = locatorList(filters.requirementTypes).map((given) => requirementTypeIdOf(node, types, given, itemIndex));
		// requirement_types repeats once per type, as Assembled's own client encodes a list
		// (docs/assembled.md, "Requirements"); n8n's query encoding would add [] to the name.
		const repeated = new URLSearchParams(typeIds.map((id): [string, string] => ['requirement_types', id])).toString();
		const body = await client.request<unknown>(
			{ method: 'GET', path: `/v0/requirements${repeated ? `?${repeated}` : ''}`, qs: { start_time: start, end_time: end } },
			itemIndex,
		);
		const names = new Map(types.map((type) => [String(type.id), type.name ?? null]));
		const rows = rowsOf(node, body, 'requirements', [], 'requirements', itemIndex);
		return rows.slice(0, maxResults(this, itemIndex)).map((row) => ({
			...withIsoTimes(row),
			requirement_type_name: names.get(String(row.requirement_type_id)) ?? null,
		}));
	});
}
