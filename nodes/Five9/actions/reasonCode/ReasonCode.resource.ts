import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['reasonCode'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Five9 reason codes by name (Five9 has no list of them), one item per code and type',
				action: 'Get many reason codes',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
