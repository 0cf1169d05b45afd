import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { AssembledClient } from '../../transport';
import { flattenPerson, listPeople } from '../../helpers/people';
import { clientOptionsFrom, transportOptionFields } from '../common';
import { runPerItem } from '../perItem';

const show = { resource: ['person'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		displayOptions: { show },
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		displayOptions: { show: { ...show, returnAll: [false] } },
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		displayOptions: { show },
		default: {},
		options: [
			{
				displayName: 'Include Deleted',
				name: 'includeDeleted',
				type: 'boolean',
				default: false,
				description: 'Whether to include people marked as deleted in Assembled',
			},
			...transportOptionFields,
		],
	},
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
