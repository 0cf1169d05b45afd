import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['forecast'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Read forecast volume by queue or channel for a time range (answer shape not confirmed)',
				action: 'Get many forecasts',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
