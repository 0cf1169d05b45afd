import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { locatorParameter } from '../../helpers/locators';
import { fetchFilterNames, flattenPerson, type AssembledPerson, type FilterNames } from '../../helpers/people';
import { withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions, resourceLocator } from '../common.descriptions';

const show = { resource: ['person'], operation: ['get'] };

export const description: INodeProperties[] = [
	resourceLocator({
		displayName: 'Person',
		name: 'personId',
		searchListMethod: 'searchPersons',
		description: 'The person in Assembled: search by name or email, or give the person ID (not the agent ID)',
		show,
		required: true,
	}),
	...operationOptions(show, [
		{
			displayName: 'Resolve Team and Site Names',
			name: 'resolveNames',
			type: 'boolean',
			default: true,
			description: 'Whether to fetch teams, sites, queues and skills once to add their names',
		},
	]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = settingsOf(this, 0);
	const client = new AssembledClient(this, clientOptionsFrom(options));
	let names: Promise<FilterNames> | undefined;
	return await runPerItem.call(this, async (itemIndex) => {
		const personId = locatorParameter(this, 'personId', itemIndex);
		if (!personId) {
			throw new NodeOperationError(this.getNode(), 'Person ID is empty', { itemIndex });
		}
		const person = await client.request<AssembledPerson>(
			{ method: 'GET', path: `/v0/people/${encodeURIComponent(personId)}` },
			itemIndex,
		);
		const resolve = (this.getNodeParameter('options.resolveNames', itemIndex, true) as boolean) !== false;
		if (!resolve) return [withIsoTimes(person)];
		names ??= fetchFilterNames(client, itemIndex);
		return [flattenPerson(person, await names)];
	});
}
