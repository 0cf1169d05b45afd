import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['agentState'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Agent states recorded in Assembled for a time range',
				action: 'Get many agent states',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
