import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeListing } from '../../helpers/directory';
import { listingFields } from '../../helpers/directory.descriptions';
import { operationOptions } from '../common.descriptions';

const show = { resource: ['user'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	...listingFields(show, 'user'),
	...operationOptions(show, [
		{
			displayName: 'Include Roles, Agent Groups and Skills',
			name: 'withRoles',
			type: 'boolean',
			default: false,
			description:
				'Whether to ask Five9 for each user’s full record (getUsersInfo) instead of the general info alone: adds roles, agentGroups and skills, at the cost of a larger answer',
		},
	]),
];

/** getUsersGeneralInfo(userNamePattern), or getUsersInfo with roles (docs/five9.md, "Directory"). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await executeListing.call(this, 'user', (_filters, options) => ({ withRoles: options.withRoles === true }));
}
