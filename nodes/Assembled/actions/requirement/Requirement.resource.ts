import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getMany from './getMany.operation';

export { create, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['requirement'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Set how many agents a requirement type needs, per interval (overwrites the same interval)',
				action: 'Create a requirement',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List staffing requirements, required and scheduled, in a time range',
				action: 'Get many requirements',
			},
		],
		default: 'getMany',
	},
	...create.description,
	...getMany.description,
];
