import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['skill'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Five9 skills (name, ID), one item per skill',
				action: 'Get many skills',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
