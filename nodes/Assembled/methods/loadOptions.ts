import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { AssembledClient } from '../transport';

export async function getActivityTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = new AssembledClient(this);
	const body = await client.request<{ activity_types?: Record<string, { id: string; name?: string; short_name?: string }> }>({
		method: 'GET',
		path: '/v0/activity_types',
	});
	return Object.values(body?.activity_types ?? {})
		.map((type) => ({ name: type.name ?? type.short_name ?? type.id, value: type.id }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
