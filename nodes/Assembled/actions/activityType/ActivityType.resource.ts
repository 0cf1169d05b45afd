import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['activityType'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the activity types (coaching, phones, breaks, …)',
				action: 'Get many activity types',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
