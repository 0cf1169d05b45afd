import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['disposition'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Five9 dispositions (name, type), one item per disposition',
				action: 'Get many dispositions',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
