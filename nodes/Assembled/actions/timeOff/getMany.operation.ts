import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { rowError } from '../../../shared/errors';
import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { locatorList } from '../../helpers/locators';
import { listTimeOffRequests, maxResults, optionalUnixSeconds, statusMatches, type TimeOffQuery } from '../../helpers/planning';
import { withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions, resourceLocator, returnAllAndLimit } from '../common.descriptions';
import { unconfirmedNotice } from '../planning.descriptions';

const show = { resource: ['timeOff'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	unconfirmedNotice(show, 'timeOffGetManyNotice', false),
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
				displayName: 'Agent',
				name: 'agentIds',
				searchListMethod: 'searchAgents',
				description: "Only this agent's requests. By ID takes several Assembled agent IDs separated by commas.",
				severalIds: true,
			}),
			{
				displayName: 'End',
				name: 'endTime',
				type: 'dateTime',
				default: '',
				description: 'Only time off before this time (sent to Assembled as end_time)',
			},
			{
				displayName: 'Start',
				name: 'startTime',
				type: 'dateTime',
				default: '',
				description: 'Only time off after this time (sent to Assembled as start_time)',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				options: [
					{ name: 'Approved', value: 'approved' },
					{ name: 'Cancelled', value: 'cancelled' },
					{ name: 'Denied', value: 'denied', description: 'Also matches "rejected"' },
					{ name: 'Pending', value: 'pending' },
				],
				default: [],
				description: 'Only requests with one of these statuses (checked by the node on what Assembled returns)',
			},
			{
				displayName: 'Updated Since',
				name: 'updatedSince',
				type: 'dateTime',
				default: '',
				description: 'Only requests created or changed since this time, e.g. the last run (sent as updated_since)',
			},
		],
	},
	...operationOptions(show),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new AssembledClient(this, clientOptionsFrom(settingsOf(this, 0)));
	return await runPerItem.call(this, async (itemIndex) => {
		const node = this.getNode();
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const query: TimeOffQuery = {};
		const start = optionalUnixSeconds(this, filters.startTime, 'Start', itemIndex);
		const end = optionalUnixSeconds(this, filters.endTime, 'End', itemIndex);
		const updatedSince = optionalUnixSeconds(this, filters.updatedSince, 'Updated Since', itemIndex);
		if (start !== undefined && end !== undefined && end <= start) {
			throw rowError(node, 'End must be after Start', 'invalidItem', { itemIndex });
		}
		if (start !== undefined) query.start_time = start;
		if (end !== undefined) query.end_time = end;
		if (updatedSince !== undefined) query.updated_since = updatedSince;
		// Agent and status filters are not known to be honoured by Assembled, so the node applies them.
		const agents = new Set(locatorList(filters.agentIds));
		const statuses = Array.isArray(filters.status) ? (filters.status as string[]) : [];
		const requests = await listTimeOffRequests(
			node,
			client,
			query,
			(request) => (agents.size === 0 || agents.has(String(request.agent_id))) && statusMatches(statuses, request.status),
			maxResults(this, itemIndex),
			itemIndex,
		);
		return requests.map(withIsoTimes);
	});
}
