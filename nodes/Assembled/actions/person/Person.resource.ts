import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as findByEmail from './findByEmail.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export { create, findByEmail, get, getMany, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['person'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Add a person (an agent) to Assembled People',
				action: 'Create a person',
			},
			{
				name: 'Find by Email',
				value: 'findByEmail',
				description: 'Find the agent with an email address or a Five9 ID',
				action: 'Find a person by email',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a person by ID',
				action: 'Get a person',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List people, with team and site names',
				action: 'Get many people',
			},
			{
				name: 'Update',
				value: 'update',
				description: "Change a person's fields, such as teams, queues or Staffable",
				action: 'Update a person',
			},
		],
		default: 'findByEmail',
	},
	...create.description,
	...findByEmail.description,
	...get.description,
	...getMany.description,
	...update.description,
];
