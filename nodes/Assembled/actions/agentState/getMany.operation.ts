import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { locatorParameter } from '../../helpers/locators';
import { unixSecondsParameter, withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions, resourceLocator, returnAllAndLimit, timeRange } from '../common.descriptions';

const show = { resource: ['agentState'], operation: ['getMany'] };
// Agent states come as an array paged with limit/offset (docs/assembled.md, "Agent states").
const PAGE_SIZE = 500;
/** Stops a server that ignores `offset` from looping forever. */
const MAX_PAGES = 10_000;

export const description: INodeProperties[] = [
	...timeRange(show, 'States'),
	resourceLocator({
		displayName: 'Agent',
		name: 'agentId',
		searchListMethod: 'searchAgents',
		description: 'Only this agent: search by name or email, or give the Assembled agent ID. Leave empty for everyone.',
		show,
	}),
	...returnAllAndLimit(show),
	...operationOptions(show),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = settingsOf(this, 0);
	const client = new AssembledClient(this, clientOptionsFrom(options));
	return await runPerItem.call(this, async (itemIndex) => {
		const start = unixSecondsParameter(this, 'startTime', 'Start', itemIndex);
		const end = unixSecondsParameter(this, 'endTime', 'End', itemIndex);
		if (end <= start) throw new NodeOperationError(this.getNode(), 'End must be after Start', { itemIndex });
		const agentId = locatorParameter(this, 'agentId', itemIndex);
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const max = returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const states: IDataObject[] = [];
		for (let page = 0, offset = 0; page < MAX_PAGES && states.length < max; page++) {
			const limit = Math.min(PAGE_SIZE, max - states.length);
			const qs: IDataObject = { start_time: start, end_time: end, limit, offset };
			if (agentId) qs.agent_id = agentId;
			const body = await client.request<{ agent_states?: IDataObject[]; total?: number }>(
				{ method: 'GET', path: '/v0/agents/state', qs },
				itemIndex,
			);
			const batch = Array.isArray(body?.agent_states) ? body.agent_states : [];
			states.push(...batch.slice(0, max - states.length));
			offset += batch.length;
			if (batch.length < limit) break;
			if (typeof body?.total === 'number' && offset >= body.total) break;
		}
		return states.map(withIsoTimes);
	});
}
