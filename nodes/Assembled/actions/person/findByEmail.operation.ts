import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPerItem } from '../../../shared/perItem';
import { peopleDirectory, type AssembledPerson } from '../../helpers/people';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions } from '../common.descriptions';

const show = { resource: ['person'], operation: ['findByEmail'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@example.com',
		displayOptions: { show },
		default: '',
		description: 'Matched without regard to case',
	},
	{
		displayName: 'Five9 ID',
		name: 'five9Id',
		type: 'string',
		displayOptions: { show },
		default: '',
		description:
			"The agent's Five9 user ID or username; matched against the person's Five9 platform ID, then their imported ID. Used when the email finds no one.",
	},
	operationOptions(show),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const client = new AssembledClient(this, clientOptionsFrom(options));
	return await runPerItem.call(this, async (itemIndex) => {
		const email = String(this.getNodeParameter('email', itemIndex, '') ?? '').trim();
		const five9Id = String(this.getNodeParameter('five9Id', itemIndex, '') ?? '').trim();
		if (!email && !five9Id) {
			throw new NodeOperationError(this.getNode(), 'Give an email or a Five9 ID to look for', { itemIndex });
		}
		const directory = await peopleDirectory(client, itemIndex);
		let matches: AssembledPerson[] = email ? directory.findByEmail(email) : [];
		let matchedBy = 'email';
		if (matches.length === 0 && five9Id) {
			matches = directory.findByPlatformId(five9Id, 'five9');
			matchedBy = 'five9';
		}
		if (matches.length === 0) {
			return [{ found: false, email: email || null, five9_id: five9Id || null }];
		}
		return matches.map((person) => ({ found: true, matched_by: matchedBy, ...directory.flatten(person) }));
	});
}
