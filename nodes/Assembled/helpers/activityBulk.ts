/**
 * Activity writes in bulk: `POST /v0/activities/bulk` with `{activities: [{action, activity}]}`,
 * answered with the created activities keyed by id, one transaction per request; and
 * `DELETE /v0/activities` for an agent's time window (docs/assembled.md, "Filters, people writes,
 * activity writes, event changes").
 */
import type { IDataObject, NodeApiError, NodeOperationError } from 'n8n-workflow';
import { z } from 'zod/v4';

import type { AssembledClient } from '../transport';

export const ACTIVITIES_BULK_PATH = '/v0/activities/bulk';
/** No public source states a limit per bulk request; 100 keeps one rejected batch cheap to split. */
export const DEFAULT_ACTIVITY_BATCH = 100;
export const MAX_ACTIVITY_BATCH = 1000;

const EARLIEST = Date.UTC(2000, 0, 1) / 1000;
const LATEST = Date.UTC(2100, 0, 1) / 1000;
const seconds = z.number().int().min(EARLIEST, 'is before 2000; check the unit').max(LATEST, 'is after 2099; check the unit (seconds, not milliseconds)');

/** One activity as the bulk request carries it (the same fields as `POST /v0/activities`). */
export const activityPayloadSchema = z
	.object({
		agent_id: z.string().trim().min(1, 'is empty'),
		type_id: z.string().trim().min(1, 'is empty'),
		start_time: seconds,
		end_time: seconds,
		description: z.string().max(2000, 'is longer than 2000 characters').optional(),
	})
	.refine((activity) => activity.end_time > activity.start_time, { message: 'End must be after Start', path: ['end_time'] });

export type ActivityPayload = z.output<typeof activityPayloadSchema>;

/** The reasons an activity is not valid, in the node's words; empty when it is. */
export function activityProblems(activity: unknown): string[] {
	const result = activityPayloadSchema.safeParse(activity);
	if (result.success) return [];
	const labels: Record<string, string> = { agent_id: 'Agent', type_id: 'Activity Type', start_time: 'Start', end_time: 'End', description: 'Description' };
	return result.error.issues.map((issue) =>
		issue.message === 'End must be after Start' ? issue.message : `${labels[String(issue.path[0])] ?? issue.path.join('.')} ${issue.message}`,
	);
}

/** Whether two activities are the same booking: agent, type and times. */
export function sameBooking(a: IDataObject, b: IDataObject): boolean {
	return (
		String(a.agent_id) === String(b.agent_id) &&
		String(a.type_id) === String(b.type_id) &&
		Number(a.start_time) === Number(b.start_time) &&
		Number(a.end_time) === Number(b.end_time)
	);
}

export function bookingKey(activity: IDataObject): string {
	return [activity.agent_id, activity.type_id, activity.start_time, activity.end_time].join('|');
}

export const bulkCreateBody = (activities: ActivityPayload[]): IDataObject => ({
	activities: activities.map((activity) => ({ action: 'create', activity })),
});

/** One activity to send, by input item. */
export interface QueuedActivity {
	index: number;
	payload: ActivityPayload;
	batch: number;
}

export type BulkResult =
	| { index: number; status: 'created'; activity: IDataObject; batch: number }
	| { index: number; status: 'rejected'; error: NodeApiError | NodeOperationError; batch: number }
	| { index: number; status: 'notSent'; error: NodeApiError | NodeOperationError; batch: number };

/** A 400 or 422: Assembled found something in the request invalid and stored none of it. */
function isRejection(error: unknown): error is NodeApiError {
	const code = (error as { httpCode?: unknown })?.httpCode;
	return code === '400' || code === '422';
}

/** The words of a rejection without numbers, to tell "the same answer again" from an item's own reason. */
const wordsOf = (error: unknown) => String((error as Error)?.message ?? '').replace(/\d+/g, '#');

/**
 * Sends batches of activities, in order. A batch Assembled rejects (400/422) stored nothing, so
 * it is split in halves and sent again until the items at fault are alone; when both halves of a
 * batch fail in the batch's own words twice in a row, the request is at fault and the batch's
 * items are rejected as they are; a batch costs no more than `4·⌈log2 n⌉ + 5` split requests.
 * Any other failure (the key, rights, Assembled down after the retries) stops the sending: that
 * batch and the ones after it are not sent.
 */
export class ActivityBulkSender {
	private stopped?: NodeApiError | NodeOperationError;

	constructor(
		private readonly client: AssembledClient,
		private readonly isolate: boolean,
		private readonly settle: (result: BulkResult) => void,
	) {}

	async send(batches: QueuedActivity[][]): Promise<void> {
		for (const batch of batches) {
			if (this.stopped) {
				batch.forEach((item) => this.settle({ index: item.index, status: 'notSent', error: this.stopped!, batch: item.batch }));
				continue;
			}
			const first = await this.attempt(batch);
			if (first !== undefined) await this.split(batch, first, 0, { left: 4 * Math.ceil(Math.log2(Math.max(2, batch.length))) + 5 });
		}
	}

	/** One request; the rejection when Assembled rejected it, else undefined (created, or the sending stopped). */
	private async attempt(items: QueuedActivity[]): Promise<NodeApiError | undefined> {
		if (this.stopped) {
			items.forEach((item) => this.settle({ index: item.index, status: 'notSent', error: this.stopped!, batch: item.batch }));
			return undefined;
		}
		let answer: IDataObject | undefined;
		try {
			answer = await this.client.request<IDataObject>(
				{ method: 'POST', path: ACTIVITIES_BULK_PATH, body: bulkCreateBody(items.map((item) => item.payload)) },
				items[0].index,
			);
		} catch (error) {
			if (isRejection(error)) return error;
			this.stopped = error as NodeApiError;
			items.forEach((item) => this.settle({ index: item.index, status: 'notSent', error: this.stopped!, batch: item.batch }));
			return undefined;
		}
		const created = answerActivities(answer);
		for (const item of items) {
			const at = created.findIndex((activity) => sameBooking(activity, item.payload));
			const activity = at >= 0 ? created.splice(at, 1)[0] : { ...item.payload };
			this.settle({ index: item.index, status: 'created', activity, batch: item.batch });
		}
		return undefined;
	}

	private async split(items: QueuedActivity[], error: NodeApiError, streak: number, budget: { left: number }): Promise<void> {
		if (!this.isolate || items.length === 1 || budget.left < 2) {
			items.forEach((item) => this.settle({ index: item.index, status: 'rejected', error, batch: item.batch }));
			return;
		}
		const middle = Math.ceil(items.length / 2);
		const halves = [items.slice(0, middle), items.slice(middle)];
		const errors: Array<NodeApiError | undefined> = [];
		for (const half of halves) {
			budget.left -= 1;
			errors.push(await this.attempt(half));
		}
		const sameWords = errors.every((halfError) => halfError !== undefined && wordsOf(halfError) === wordsOf(error));
		if (sameWords && streak >= 1) {
			// Two levels of halves all rejected in the batch's words: the request, not an item, is at fault.
			halves.flat().forEach((item) => this.settle({ index: item.index, status: 'rejected', error, batch: item.batch }));
			return;
		}
		for (const [position, half] of halves.entries()) {
			const halfError = errors[position];
			if (halfError) await this.split(half, halfError, sameWords ? streak + 1 : 0, budget);
		}
	}
}

/** The activities of an answer: keyed by id (or a list), each with its id. */
export function answerActivities(answer: IDataObject | undefined): IDataObject[] {
	const map = answer?.activities;
	if (!map || typeof map !== 'object') return [];
	const entries = Array.isArray(map) ? map.map((value, index) => [String(index), value] as const) : Object.entries(map);
	return entries
		.filter(([, value]) => value && typeof value === 'object')
		.map(([key, value]) => ({ id: key, ...(value as IDataObject) }));
}

/** `DELETE /v0/activities`: every activity of the agents within the window; ones partly inside it are cut to the part outside. */
export async function deleteActivitiesInWindow(
	client: AssembledClient,
	agentIds: string[],
	start: number,
	end: number,
	itemIndex: number,
): Promise<void> {
	await client.request({ method: 'DELETE', path: '/v0/activities', body: deleteWindowBody(agentIds, start, end) }, itemIndex);
}

export const deleteWindowBody = (agentIds: string[], start: number, end: number): IDataObject => ({
	agent_ids: agentIds,
	start_time: start,
	end_time: end,
});

/** One activity by id, through the bulk endpoint's `delete` action (beta, per Assembled's Go client). */
export const bulkDeleteBody = (activityId: string): IDataObject => ({
	activities: [{ action: 'delete', activity: { id: activityId } }],
});

/**
 * An activity id as the node may be given it: the id, or the `id_with_timestamps` key of
 * `GET /v0/activities` (`<id>;<start>;<end>`, sometimes after `event_id=`).
 */
export function plainActivityId(given: string): string {
	return given.trim().replace(/^event_id=/, '').split(';')[0].trim();
}
