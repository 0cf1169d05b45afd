import type { INodeProperties } from 'n8n-workflow';

import * as createMany from './createMany.operation';
import * as updateMany from './updateMany.operation';

export { createMany, updateMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
			{
				name: 'Create Many',
				value: 'createMany',
				description:
					'Send conversations from another platform (calls, chats, emails) in batches; an Import ID sent again updates its conversation. Request shape not confirmed by Assembled: try Dry Run first.',
				action: 'Create many conversations',
			},
			{
				name: 'Update Many',
				value: 'updateMany',
				description:
					'Change fields of conversations sent before, by Import ID, in batches. Request shape not confirmed by Assembled: try Dry Run first.',
				action: 'Update many conversations',
			},
		],
		default: 'createMany',
	},
	...createMany.description,
	...updateMany.description,
];
