import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { listActivityTypes } from '../helpers/activities';
import { AssembledClient } from '../transport';

export async function getActivityTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const types = await listActivityTypes(new AssembledClient(this));
	return types
		.map((type) => ({ name: type.name ?? type.short_name ?? type.id, value: type.id }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
