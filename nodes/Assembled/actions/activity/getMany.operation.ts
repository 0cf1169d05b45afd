import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPerItem } from '../../../shared/perItem';
import { listActivities, listActivityTypes } from '../../helpers/activities';
import { unixSecondsParameter } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions, returnAllAndLimit, timeRange } from '../common.descriptions';

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
			{
				displayName: 'Agent IDs',
				name: 'agentIds',
				type: 'string',
				default: '',
				description: 'Comma-separated Assembled agent IDs',
			},
			{
				displayName: 'Activity Type IDs',
				name: 'typeIds',
				type: 'string',
				default: '',
				description: 'Comma-separated activity type IDs',
			},
		],
	},
	operationOptions(show),
];

const list = (value: unknown) =>
	String(value ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const client = new AssembledClient(this, clientOptionsFrom(options));
	let typeNames: Promise<Map<string, string>> | undefined;
	return await runPerItem.call(this, async (itemIndex) => {
		const start = unixSecondsParameter(this, 'startTime', 'Start', itemIndex);
		const end = unixSecondsParameter(this, 'endTime', 'End', itemIndex);
		if (end <= start) throw new NodeOperationError(this.getNode(), 'End must be after Start', { itemIndex });
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const agents = new Set(list(filters.agentIds));
		const types = new Set(list(filters.typeIds));
		typeNames ??= listActivityTypes(client, itemIndex).then(
			(all) => new Map(all.map((type) => [String(type.id), String(type.name ?? '')])),
		);
		const names = await typeNames;
		let activities = (await listActivities(client, start, end, itemIndex)).filter(
			(activity) =>
				(agents.size === 0 || agents.has(String(activity.agent_id))) &&
				(types.size === 0 || types.has(String(activity.type_id))),
		);
		if (!(this.getNodeParameter('returnAll', itemIndex, false) as boolean)) {
			activities = activities.slice(0, this.getNodeParameter('limit', itemIndex, 50) as number);
		}
		return activities.map((activity) => ({ ...activity, type_name: names.get(String(activity.type_id)) ?? null }));
	});
}
