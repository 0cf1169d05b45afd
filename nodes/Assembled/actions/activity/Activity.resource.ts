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
		displayOptions: { show: { resource: ['activity'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: "Put an activity, such as a coaching session, on an agent's schedule",
				action: 'Create an activity',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List activities in a time range',
				action: 'Get many activities',
			},
		],
		default: 'create',
	},
	...create.description,
	...getMany.description,
];
