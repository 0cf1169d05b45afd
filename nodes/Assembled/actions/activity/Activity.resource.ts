import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as createMany from './createMany.operation';
import * as deleteActivity from './delete.operation';
import * as getMany from './getMany.operation';

export { create, createMany, deleteActivity, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['activity'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: "Put an activity, such as a coaching session, on an agent's schedule",
				action: 'Create an activity',
			},
			{
				name: 'Create Many',
				value: 'createMany',
				description: 'Put many activities on schedules at once, one per input item, in batches',
				action: 'Create many activities',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: "Clear an agent's schedule in a time window, or delete one activity by ID",
				action: 'Delete activities',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List activities in a time range',
				action: 'Get many activities',
			},
		],
		default: 'create',
	},
	...create.description,
	...createMany.description,
	...deleteActivity.description,
	...getMany.description,
];
