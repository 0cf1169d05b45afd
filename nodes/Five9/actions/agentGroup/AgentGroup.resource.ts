import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['agentGroup'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Five9 agent groups with their agents, one item per group',
				action: 'Get many agent groups',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
