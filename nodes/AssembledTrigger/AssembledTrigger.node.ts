import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { AssembledClient, clientOptionsFrom } from '../Assembled/transport';
import { readEventChanges, readPeople, readTimeOffRequests, type RecordBatch, type TriggerEvent } from './helpers/lists';
import { activationState, advance, latest, windowStart, type EventState } from './helpers/state';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** A poll that comes this much early still counts as due: n8n's schedule is not exact to the second. */
const INTERVAL_SLACK_MS = 30_000;

/** Reads what one event watches, for records dated from `from` to `to` (ms). */
async function read(client: AssembledClient, event: TriggerEvent, from: number, to: number): Promise<RecordBatch> {
	switch (event) {
		case 'scheduleChange':
			return await readEventChanges(client, from, to);
		case 'personAdded':
			return await readPeople(client);
		default:
			return await readTimeOffRequests(client, from);
	}
}

/**
 * Polls Assembled like n8n's mail triggers: per event, a watermark and the records emitted
 * recently (id, time, content fingerprint) live in the workflow's static data; each poll reads
 * watermark − overlap .. now and emits records it has not emitted before, and records whose
 * content changed since (`changed: true`).
 */
export class AssembledTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Assembled Trigger',
		name: 'assembledTrigger',
		icon: { light: 'file:assembledTrigger.svg', dark: 'file:assembledTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ $parameter["event"] === "personAdded" ? "Person added" : $parameter["event"] === "scheduleChange" ? "Schedule changed" : "Time off request created or changed" }}',
		description: 'Starts the workflow when time off is requested or changed, a schedule changes, or a person is added in Assembled',
		defaults: { name: 'Assembled Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'assembledApi', required: true }],
		properties: [
			{
				// n8n gives every polling node "every minute" and lets no node choose another default.
				displayName:
					'The trigger reads Assembled at most every 5 minutes (option Minimum Minutes Between Polls), whatever Poll Times says; polls in between cost no request',
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				required: true,
				options: [
					{
						name: 'Person Added',
						value: 'personAdded',
						description: 'A person was added to People (by creation time; each person once)',
					},
					{
						name: 'Schedule Changed',
						value: 'scheduleChange',
						description:
							"An event on a schedule was added, moved or removed (Assembled's event changes, the schedule audit trail)",
					},
					{
						name: 'Time Off Request Created or Changed',
						value: 'timeOffRequest',
						description:
							"A time-off request was made, or its status or times changed. Request shape not confirmed by Assembled's public docs — try it with a manual test first.",
					},
				],
				default: 'timeOffRequest',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Minimum Minutes Between Polls',
						name: 'minIntervalMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 5,
						description:
							'Reads Assembled at most this often; n8n still wakes the trigger at every Poll Time, and a wake-up that comes sooner does nothing. 0 reads at every Poll Time.',
					},
					{
						displayName: 'Overlap (Minutes)',
						name: 'overlapMinutes',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 30,
						description:
							'How far before the last record each poll reads again, to catch records written late or stamped by a clock behind ours. Records already emitted are not emitted twice unless their content changed.',
					},
					{
						displayName: 'Test Run Size',
						name: 'manualLimit',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 5,
						description:
							'How many of the latest records a manual test run returns (time off and schedule changes of the last 24 hours, else the last 7 days; the newest people)',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event', 'timeOffRequest') as TriggerEvent;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const now = Date.now();
		const overlapMs = Math.max(1, Number(options.overlapMinutes ?? 30) || 30) * MINUTE;
		const client = new AssembledClient(this, clientOptionsFrom({}));

		if (this.getMode() === 'manual') {
			// A test run shows recent records and leaves the state alone.
			let batch = await read(client, event, now - DAY, now);
			if (batch.records.length === 0 && event !== 'personAdded') batch = await read(client, event, now - 7 * DAY, now);
			const records = latest(batch.records, Number(options.manualLimit ?? 5) || 5);
			return records.length ? [this.helpers.returnJsonArray(records.map((record) => ({ ...record.json, changed: false })))] : null;
		}

		const staticData = this.getWorkflowStaticData('node') as Partial<Record<TriggerEvent, EventState>>;
		const state = staticData[event];
		if (state?.watermark === undefined) {
			// First activation (or another event chosen): start from now rather than flood the workflow with history.
			staticData[event] = activationState(now);
			return null;
		}
		const intervalMs = Math.max(0, Number(options.minIntervalMinutes ?? 5)) * MINUTE;
		const elapsed = now - (state.lastPollAt ?? Number.NEGATIVE_INFINITY);
		if (intervalMs > 0 && elapsed >= 0 && elapsed < intervalMs - Math.min(INTERVAL_SLACK_MS, intervalMs / 2)) return null;

		// Nothing is written to the state until the read succeeded: a failed poll leaves it as it was.
		const batch = await read(client, event, windowStart(state, { now, overlapMs }), now);
		const { fresh, next } = advance(state, batch.records, { now, overlapMs });
		staticData[event] = next;
		if (batch.unreadable > 0) {
			this.logger.warn(`Assembled Trigger skipped ${batch.unreadable} record(s) without an id or a readable time`, { node: this.getNode().name });
		}
		if (fresh.length === 0) return null;
		fresh.sort((a, b) => a.record.at - b.record.at);
		return [this.helpers.returnJsonArray(fresh.map(({ record, changed }) => ({ ...record.json, changed })))];
	}
}
