import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getMany from './getMany.operation';

export { create, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['filter'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Add a queue, site, team or skill, optionally under a parent',
				action: 'Create a queue or site or team or skill',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the queues, sites, teams or skills, each with its parent and path in the tree',
				action: 'Get many queues or sites or teams or skills',
			},
		],
		default: 'getMany',
	},
	...create.description,
	...getMany.description,
];
