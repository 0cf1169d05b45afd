import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { AssembledClient } from '../../transport';
import { clientOptionsFrom, optionsCollection } from '../common';
import { runPerItem } from '../../../shared/perItem';

const show = { resource: ['activityType'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	optionsCollection(show),
];

export async function listActivityTypes(client: AssembledClient, itemIndex?: number): Promise<IDataObject[]> {
	const body = await client.request<{ activity_types?: Record<string, IDataObject> }>(
		{ method: 'GET', path: '/v0/activity_types' },
		itemIndex,
	);
	return Object.values(body?.activity_types ?? {});
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const client = new AssembledClient(this, clientOptionsFrom(options));
	let types: Promise<IDataObject[]> | undefined;
	return await runPerItem.call(this, async (itemIndex) => {
		types ??= listActivityTypes(client, itemIndex);
		return await types;
	});
}
