import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { activityTypesNamed, listActivities, listActivityTypes, type ActivityType } from '../../helpers/activities';
import { locatorList } from '../../helpers/locators';
import { unixSecondsParameter, withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions, resourceLocator, returnAllAndLimit, timeRange } from '../common.descriptions';

const show = { resource: ['activity'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	...timeRange(show, 'Activities'),
	...returnAllAndLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		displayOptions: { show },
		default: {},
		options: [
			// The names agentIds and typeIds predate the pickers; saved workflows hold comma-separated ids there.
			resourceLocator({
				displayName: 'Activity Type',
				name: 'typeIds',
				searchListMethod: 'searchActivityTypes',
				description: 'Only activities of this type. By ID takes several IDs separated by commas; By Name takes the name, short name or import ID.',
				byName: { placeholder: 'e.g. Coaching' },
				severalIds: true,
			}),
			resourceLocator({
				displayName: 'Agent',
				name: 'agentIds',
				searchListMethod: 'searchAgents',
				description: 'Only activities of this agent. By ID takes several Assembled agent IDs separated by commas.',
				severalIds: true,
			}),
		],
	},
	...operationOptions(show),
];

/** Type filters given by id, or by name as Activity → Create takes them; an unknown one matches nothing. */
function typeIdsOf(given: string[], types: ActivityType[]): Set<string> {
	return new Set(
		given.map((value) => {
			const named = activityTypesNamed(types, value);
			return named.length === 1 ? String(named[0].id) : value;
		}),
	);
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = settingsOf(this, 0);
	const client = new AssembledClient(this, clientOptionsFrom(options));
	let typeList: Promise<ActivityType[]> | undefined;
	return await runPerItem.call(this, async (itemIndex) => {
		const start = unixSecondsParameter(this, 'startTime', 'Start', itemIndex);
		const end = unixSecondsParameter(this, 'endTime', 'End', itemIndex);
		if (end <= start) throw new NodeOperationError(this.getNode(), 'End must be after Start', { itemIndex });
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		typeList ??= listActivityTypes(client, itemIndex);
		const types = await typeList;
		const names = new Map(types.map((type) => [String(type.id), String(type.name ?? '')]));
		const agents = new Set(locatorList(filters.agentIds));
		const typeIds = typeIdsOf(locatorList(filters.typeIds), types);
		let activities = (await listActivities(client, start, end, itemIndex)).filter(
			(activity) =>
				(agents.size === 0 || agents.has(String(activity.agent_id))) &&
				(typeIds.size === 0 || typeIds.has(String(activity.type_id))),
		);
		if (!(this.getNodeParameter('returnAll', itemIndex, false) as boolean)) {
			activities = activities.slice(0, this.getNodeParameter('limit', itemIndex, 50) as number);
		}
		return activities.map((activity) => ({
			...withIsoTimes(activity),
			type_name: names.get(String(activity.type_id)) ?? null,
		}));
	});
}
