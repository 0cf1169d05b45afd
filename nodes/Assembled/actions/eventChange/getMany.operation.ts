import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { rowError } from '../../../shared/errors';
import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { listEventChanges, withChangeTimes } from '../../helpers/eventChanges';
import { locatorList } from '../../helpers/locators';
import { unixSecondsParameter } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions, resourceLocator, returnAllAndLimit, timeRange } from '../common.descriptions';

const show = { resource: ['eventChange'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'Which time the range applies to (when the change was made, or when the changed event happens) is not stated by public sources; working integrations read it as the time of the change (modified_at).',
		name: 'rangeNotice',
		type: 'notice',
		displayOptions: { show },
		default: '',
	},
	...timeRange(show),
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
				description: "Only changes to this agent's schedule. By ID takes several Assembled agent IDs separated by commas.",
				severalIds: true,
			}),
		],
	},
	...operationOptions(show),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new AssembledClient(this, clientOptionsFrom(settingsOf(this, 0)));
	return await runPerItem.call(this, async (itemIndex) => {
		const start = unixSecondsParameter(this, 'startTime', 'Start', itemIndex);
		const end = unixSecondsParameter(this, 'endTime', 'End', itemIndex);
		if (end <= start) throw rowError(this.getNode(), 'End must be after Start', 'invalidItem', { itemIndex });
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const max = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const agents = new Set(locatorList((this.getNodeParameter('filters', itemIndex, {}) as IDataObject).agentIds));
		// No agent query is documented for this endpoint, so the node filters the pages it reads.
		const keep = agents.size > 0 ? (change: IDataObject) => agents.has(String(change.event_agent_id)) : undefined;
		const changes = await listEventChanges(client, { start, end, max, keep, itemIndex });
		return changes.map(withChangeTimes);
	});
}
