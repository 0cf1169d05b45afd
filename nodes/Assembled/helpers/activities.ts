import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { AssembledClient } from '../transport';

export interface ActivityType extends IDataObject {
	id: string;
	name?: string;
	short_name?: string;
	import_id?: string;
}

/** Every activity type of the instance: one request, an object keyed by id (docs/assembled.md, "Activity types"). */
export async function listActivityTypes(client: AssembledClient, itemIndex?: number): Promise<ActivityType[]> {
	const body = await client.request<{ activity_types?: Record<string, ActivityType> }>(
		{ method: 'GET', path: '/v0/activity_types' },
		itemIndex,
	);
	return Object.values(body?.activity_types ?? {});
}

/** The types a value names: the one with that id, else those with that name, short name or import id. */
export function activityTypesNamed(types: ActivityType[], given: string): ActivityType[] {
	const byId = types.filter((type) => String(type.id) === given);
	if (byId.length > 0) return byId;
	const wanted = given.toLowerCase();
	return types.filter((type) =>
		[type.name, type.short_name, type.import_id].some((value) => String(value ?? '').toLowerCase() === wanted),
	);
}

/** An activity type given by id, or by name, short name or import id (templates ship names). */
export function activityTypeIdOf(node: INode, types: ActivityType[], given: string, itemIndex: number): string {
	const named = activityTypesNamed(types, given);
	if (named.length === 1) return String(named[0].id);
	throw new NodeOperationError(
		node,
		named.length ? `Several activity types are called "${given}"` : `No activity type in Assembled has the ID or name "${given}"`,
		{ itemIndex, description: `Known types: ${types.map((type) => String(type.name)).join(', ')}` },
	);
}

/**
 * Activities overlapping [start, end). Assembled keys them by `id_with_timestamps` and ignores
 * agent filters and paging on this endpoint (docs/assembled.md, "Activities"), so callers filter.
 */
export async function listActivities(
	client: AssembledClient,
	start: number,
	end: number,
	itemIndex?: number,
): Promise<IDataObject[]> {
	const body = await client.request<{ activities?: Record<string, IDataObject> }>(
		{ method: 'GET', path: '/v0/activities', qs: { start_time: start, end_time: end } },
		itemIndex,
	);
	return Object.values(body?.activities ?? {}).sort(
		(a, b) => Number(a.start_time) - Number(b.start_time) || String(a.id).localeCompare(String(b.id)),
	);
}
