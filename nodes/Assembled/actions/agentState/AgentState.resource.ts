import type { INodeProperties } from 'n8n-workflow';

import * as createMany from './createMany.operation';
import * as getMany from './getMany.operation';

export { createMany, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['agentState'] } },
		options: [
			{
				name: 'Create Many',
				value: 'createMany',
				description:
					'Send agent states from another platform (e.g. Five9) in batches, agents found by email or platform ID. Request shape not confirmed by Assembled: try Dry Run first.',
				action: 'Create many agent states',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Agent states recorded in Assembled for a time range',
				action: 'Get many agent states',
			},
		],
		default: 'getMany',
	},
	...createMany.description,
	...getMany.description,
];
