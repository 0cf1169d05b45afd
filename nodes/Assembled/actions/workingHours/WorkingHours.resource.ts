import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['workingHours'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the working-hours rules that bound when agents may be scheduled (answer shape not confirmed)',
				action: 'Get many working hours rules',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
