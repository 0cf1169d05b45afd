import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { listActivityTypes, type ActivityType } from '../../helpers/activities';
import { withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions } from '../common.descriptions';

const show = { resource: ['activityType'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	...operationOptions(show),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = settingsOf(this, 0);
	const client = new AssembledClient(this, clientOptionsFrom(options));
	let types: Promise<ActivityType[]> | undefined;
	return await runPerItem.call(this, async (itemIndex) => {
		types ??= listActivityTypes(client, itemIndex);
		return (await types).map(withIsoTimes);
	});
}
