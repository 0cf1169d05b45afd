import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { NamedLists } from '../../helpers/filters';
import { normalizeEmail, peopleDirectory } from '../../helpers/people';
import { readPersonWrite, toPersonPayload } from '../../helpers/personWrites';
import { withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions } from '../common.descriptions';
import { nameFields, personCollection, unconfirmedNotice } from './person.descriptions';

const show = { resource: ['person'], operation: ['create'] };

export const description: INodeProperties[] = [
	unconfirmedNotice(
		'createNotice',
		"Request shape not confirmed by Assembled's public docs: the fields are sent under the names Assembled returns for a person. Try it with Dry Run first.",
		show,
	),
	...nameFields.map((field) => ({ ...field, required: true, displayOptions: { show } })),
	personCollection('additionalFields', 'Additional Fields', false, show),
	...operationOptions(show, [
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description: 'Whether to return the person that would be created without creating it',
		},
		{
			displayName: 'Skip If Email Exists',
			name: 'skipExisting',
			type: 'boolean',
			default: true,
			description:
				'Whether to leave out a person whose email someone in Assembled People already has, so a re-run creates no one twice',
		},
	]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new AssembledClient(this, clientOptionsFrom(settingsOf(this, 0)));
	const lists = new NamedLists(client);
	// People created by earlier items: the people list is read once, before them.
	const createdNow = new Map<string, IDataObject>();
	return await runPerItem.call(this, async (itemIndex) => {
		const fields: IDataObject = {
			...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
			firstName: this.getNodeParameter('firstName', itemIndex, ''),
			lastName: this.getNodeParameter('lastName', itemIndex, ''),
			email: this.getNodeParameter('email', itemIndex, ''),
		};
		const write = readPersonWrite(this.getNode(), fields, itemIndex, ['firstName', 'lastName', 'email']);
		const options = settingsOf(this, itemIndex);
		const email = normalizeEmail(String(write.email));
		if (options.skipExisting !== false) {
			const earlier = createdNow.get(email);
			if (earlier) return [{ status: 'exists', person: withIsoTimes(earlier) }];
			const directory = await peopleDirectory(client, itemIndex);
			const [existing] = directory.findByEmail(email);
			if (existing) return [{ status: 'exists', person: directory.flatten(existing) }];
		}
		const payload = await toPersonPayload(this.getNode(), write, lists, itemIndex);
		if (options.dryRun === true) return [{ status: 'dryRun', payload }];
		const created = await client.request<IDataObject>({ method: 'POST', path: '/v0/people', body: payload }, itemIndex);
		const person = created && typeof created === 'object' ? created : payload;
		createdNow.set(email, person);
		return [{ status: 'created', person: withIsoTimes(person) }];
	});
}
