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
				description: 'Current state of every agent (Supervisor statistics), one item per agent',
				action: 'Get many agent states',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
