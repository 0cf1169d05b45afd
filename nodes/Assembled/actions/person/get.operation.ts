import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPerItem } from '../../../shared/perItem';
import { fetchFilterNames, flattenPerson, type AssembledPerson, type FilterNames } from '../../helpers/people';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions } from '../common.descriptions';

const show = { resource: ['person'], operation: ['get'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Person ID',
		name: 'personId',
		type: 'string',
		required: true,
		displayOptions: { show },
		default: '',
		description: 'The person ID in Assembled (not the agent ID)',
	},
	operationOptions(show, [
		{
			displayName: 'Resolve Team and Site Names',
			name: 'resolveNames',
			type: 'boolean',
			default: true,
			description: 'Whether to fetch teams, sites, queues and skills once to add their names',
		},
	]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const client = new AssembledClient(this, clientOptionsFrom(options));
	let names: Promise<FilterNames> | undefined;
	return await runPerItem.call(this, async (itemIndex) => {
		const personId = String(this.getNodeParameter('personId', itemIndex, '')).trim();
		if (!personId) {
			throw new NodeOperationError(this.getNode(), 'Person ID is empty', { itemIndex });
		}
		const person = await client.request<AssembledPerson>(
			{ method: 'GET', path: `/v0/people/${encodeURIComponent(personId)}` },
			itemIndex,
		);
		const resolve = (this.getNodeParameter('options.resolveNames', itemIndex, true) as boolean) !== false;
		if (!resolve) return [{ ...person }];
		names ??= fetchFilterNames(client, itemIndex);
		return [flattenPerson(person, await names)];
	});
}
