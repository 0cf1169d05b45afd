import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { locatorParameter } from '../../helpers/locators';
import { maxResults, rowsOf } from '../../helpers/planning';
import { withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions, resourceLocator, returnAllAndLimit } from '../common.descriptions';
import { unconfirmedNotice } from '../planning.descriptions';

const show = { resource: ['workingHours'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	unconfirmedNotice(show, 'workingHoursGetManyNotice', false),
	resourceLocator({
		displayName: 'Agent',
		name: 'agentId',
		searchListMethod: 'searchAgents',
		description: "Only this agent's working hours: search by name or email, or give the Assembled agent ID. Leave empty for everyone.",
		show,
	}),
	...returnAllAndLimit(show),
	...operationOptions(show),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new AssembledClient(this, clientOptionsFrom(settingsOf(this, 0)));
	return await runPerItem.call(this, async (itemIndex) => {
		const agentId = locatorParameter(this, 'agentId', itemIndex);
		const qs: IDataObject = agentId ? { agent_id: agentId } : {};
		// Path and answer from the one public description there is (docs/assembled.md, "Working hours").
		const body = await client.request<unknown>({ method: 'GET', path: '/v0/scheduling_rules/working_hours', qs }, itemIndex);
		const rows = rowsOf(this.getNode(), body, 'working_hours', [], 'working hours', itemIndex).filter(
			(row) => !agentId || row.agent_id === undefined || String(row.agent_id) === agentId,
		);
		return rows.slice(0, maxResults(this, itemIndex)).map(withIsoTimes);
	});
}
