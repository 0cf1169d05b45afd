import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { rowError } from '../../../shared/errors';
import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { NamedLists } from '../../helpers/filters';
import { locatorParameter } from '../../helpers/locators';
import type { AssembledPerson } from '../../helpers/people';
import { readPersonWrite, setsSomething, toPersonPayload } from '../../helpers/personWrites';
import { withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions, resourceLocator } from '../common.descriptions';
import { personCollection, unconfirmedNotice } from './person.descriptions';

const show = { resource: ['person'], operation: ['update'] };

export const description: INodeProperties[] = [
	unconfirmedNotice(
		'updateNotice',
		"Assembled's public sources confirm PATCH /v0/people/{id} for Staffable only; the other fields are sent under the names Assembled returns for a person. Try it with Dry Run first.",
		show,
	),
	resourceLocator({
		displayName: 'Person',
		name: 'personId',
		searchListMethod: 'searchPersons',
		description: 'The person to change: search by name or email, or give the person ID (not the agent ID)',
		show,
		required: true,
	}),
	personCollection('updateFields', 'Update Fields', true, show),
	...operationOptions(show, [
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description: 'Whether to return the change that would be sent without sending it',
		},
	]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new AssembledClient(this, clientOptionsFrom(settingsOf(this, 0)));
	const lists = new NamedLists(client);
	return await runPerItem.call(this, async (itemIndex) => {
		const personId = locatorParameter(this, 'personId', itemIndex);
		if (!personId) throw new NodeOperationError(this.getNode(), 'Person is empty', { itemIndex });
		const write = readPersonWrite(this.getNode(), this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject, itemIndex);
		if (!setsSomething(write)) {
			throw rowError(this.getNode(), 'Nothing to update: add a field under Update Fields', 'invalidItem', { itemIndex });
		}
		const path = `/v0/people/${encodeURIComponent(personId)}`;
		// A PATCH may replace the whole platforms map: the person's other platform ids are sent back with the new Five9 ID.
		const current =
			write.five9Id !== undefined ? await client.request<AssembledPerson>({ method: 'GET', path }, itemIndex) : undefined;
		const payload = await toPersonPayload(this.getNode(), write, lists, itemIndex, current?.platforms as IDataObject | undefined);
		if (settingsOf(this, itemIndex).dryRun === true) return [{ status: 'dryRun', person_id: personId, payload }];
		// PATCH: only the fields sent change (docs/assembled.md, "Filters, people writes, activity writes, event changes").
		const updated = await client.request<IDataObject>({ method: 'PATCH', path, body: payload }, itemIndex);
		const person = updated && typeof updated === 'object' ? updated : { id: personId, ...payload };
		return [{ status: 'updated', person: withIsoTimes(person) }];
	});
}
