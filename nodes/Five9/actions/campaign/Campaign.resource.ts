import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Five9 campaigns (name, type, state), one item per campaign',
				action: 'Get many campaigns',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
