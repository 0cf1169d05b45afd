import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as getMany from './getMany.operation';

export { cancel, create, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['timeOff'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Cancel a time-off request by its ID (request shape not confirmed: try Dry Run first)',
				action: 'Cancel a time off request',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Request time off for an agent (request shape not confirmed: try Dry Run first)',
				action: 'Create a time off request',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List time-off requests, e.g. those updated since the last run (answer shape not confirmed)',
				action: 'Get many time off requests',
			},
		],
		default: 'getMany',
	},
	...cancel.description,
	...create.description,
	...getMany.description,
];
