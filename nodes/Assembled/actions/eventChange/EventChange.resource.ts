import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['eventChange'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: "List schedule changes in a time range: who changed which agent's event, from what to what",
				action: 'Get many event changes',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
