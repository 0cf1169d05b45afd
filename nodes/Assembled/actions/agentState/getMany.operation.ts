import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { AssembledClient } from '../../transport';
import { unixSecondsParameter } from '../../helpers/time';
import { clientOptionsFrom, optionsCollection, returnAllAndLimit, timeRange } from '../common';
import { runPerItem } from '../../../shared/perItem';

const show = { resource: ['agentState'], operation: ['getMany'] };
const PAGE_SIZE = 500;
const MAX_PAGES = 10_000;

export const description: INodeProperties[] = [
	...timeRange(show, 'States'),
	{
		displayName: 'Agent ID',
		name: 'agentId',
		type: 'string',
		displayOptions: { show },
		default: '',
		description: 'Only this Assembled agent (leave empty for everyone)',
	},
	...returnAllAndLimit(show),
	optionsCollection(show),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const client = new AssembledClient(this, clientOptionsFrom(options));
	return await runPerItem.call(this, async (itemIndex) => {
		const start = unixSecondsParameter(this, 'startTime', 'Start', itemIndex);
		const end = unixSecondsParameter(this, 'endTime', 'End', itemIndex);
		if (end <= start) throw new NodeOperationError(this.getNode(), 'End must be after Start', { itemIndex });
		const agentId = String(this.getNodeParameter('agentId', itemIndex, '') ?? '').trim();
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
		return states;
	});
}
