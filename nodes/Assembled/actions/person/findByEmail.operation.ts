import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { peopleDirectory, type AssembledPerson } from '../../helpers/people';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions } from '../common.descriptions';

const show = { resource: ['person'], operation: ['findByEmail'] };

const emailField: INodeProperties = {
	displayName: 'Email',
	name: 'email',
	type: 'string',
	placeholder: 'name@example.com',
	default: '',
	description: 'Matched without regard to case',
};

export const description: INodeProperties[] = [
	// Version 1 keeps its empty default: saved nodes leave a default out, so changing it would change them.
	{ ...emailField, displayOptions: { show: { ...show, '@version': [1] } } },
	{
		...emailField,
		displayOptions: { show: { ...show, '@version': [{ _cnd: { gte: 1.1 } }] } },
		default: '={{ $json.agent_email ?? $json.email }}',
		description:
			'Matched without regard to case. Reads agent_email (Five9 evaluations) or email from the input item unless you change it.',
	},
	{
		displayName: 'Five9 ID',
		name: 'five9Id',
		type: 'string',
		displayOptions: { show },
		default: '',
		placeholder: 'e.g. 300000000001 or jdoe@example.com',
		description:
			"Also match by the agent's Five9 user ID or user name when no person has the email: compared with the Five9 ID in the person's platforms in Assembled, then with their imported ID",
		hint: 'Optional. Used only when the email matches no one, or is empty.',
	},
	...operationOptions(show),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = settingsOf(this, 0);
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
