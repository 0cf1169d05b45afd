import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['evaluation'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Quality (AQM) evaluations as items, from a Five9 report, the evaluations API or a file',
				action: 'Get many evaluations',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
