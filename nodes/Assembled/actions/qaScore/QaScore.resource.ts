import type { INodeProperties } from 'n8n-workflow';

import * as createMany from './createMany.operation';

export { createMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['qaScore'] } },
		options: [
			{
				name: 'Create Many',
				value: 'createMany',
				description: 'Push QA scores to the Agent Scorecard in batches of up to 1,000',
				action: 'Create many QA scores',
			},
		],
		default: 'createMany',
	},
	...createMany.description,
];
