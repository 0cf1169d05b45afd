import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { rowError } from '../../../shared/errors';
import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions } from '../common.descriptions';
import { dryRunOption, unconfirmedNotice } from '../planning.descriptions';

const show = { resource: ['timeOff'], operation: ['cancel'] };

export const description: INodeProperties[] = [
	unconfirmedNotice(show, 'timeOffCancelNotice', true),
	{
		displayName: 'Time Off Request ID',
		name: 'timeOffId',
		type: 'string',
		required: true,
		displayOptions: { show },
		default: '',
		placeholder: 'e.g. 7c9e6679-7425-40de-944b-e07fc1f90ae7',
		description: 'The ID of the request, as Time Off → Get Many or Create returns it',
	},
	...operationOptions(show, [dryRunOption('cancellation')]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new AssembledClient(this, clientOptionsFrom(settingsOf(this, 0)));
	return await runPerItem.call(this, async (itemIndex) => {
		const id = String(this.getNodeParameter('timeOffId', itemIndex, '') ?? '').trim();
		if (!id) throw rowError(this.getNode(), 'Time Off Request ID is empty', 'invalidItem', { itemIndex });
		const path = `/v0/time_off/${encodeURIComponent(id)}/cancel`;
		if (settingsOf(this, itemIndex).dryRun === true) return [{ status: 'dryRun', id, request: { method: 'POST', path } }];
		const answer = await client.request<unknown>({ method: 'POST', path }, itemIndex);
		// The answer's shape is not known (docs/assembled.md, "Time off"): an object is passed on.
		const timeOff = answer && typeof answer === 'object' && !Array.isArray(answer) ? withIsoTimes(answer as IDataObject) : null;
		return [{ status: 'cancelled', id, timeOff }];
	});
}
