import type { INodeProperties } from 'n8n-workflow';

import * as findByEmail from './findByEmail.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export { findByEmail, get, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['person'] } },
		options: [
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
		],
		default: 'findByEmail',
	},
	...findByEmail.description,
	...get.description,
	...getMany.description,
];
