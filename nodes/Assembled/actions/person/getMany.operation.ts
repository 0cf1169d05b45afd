import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runPerItem } from '../../../shared/perItem';
import { flattenPerson, listPeople } from '../../helpers/people';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions, returnAllAndLimit } from '../common.descriptions';

const show = { resource: ['person'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	...returnAllAndLimit(show),
	operationOptions(show, [
		{
			displayName: 'Include Deleted',
			name: 'includeDeleted',
			type: 'boolean',
			default: false,
			description: 'Whether to include people marked as deleted in Assembled',
		},
	]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const client = new AssembledClient(this, clientOptionsFrom(options));
	return await runPerItem.call(this, async (itemIndex) => {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const includeDeleted = (this.getNodeParameter('options.includeDeleted', itemIndex, false) as boolean) === true;
		const { people, names } = await listPeople(client, { max: limit, includeDeleted, itemIndex });
		return people.map((person) => flattenPerson(person, names));
	});
}
