import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chunk } from '../../../shared/batching';
import { asNodeError, errorOutputItem, kindOf, levelOf, rowError, type ErrorKind } from '../../../shared/errors';
import { settingsOf, versionedOptions } from '../../../shared/options';
import {
	ActivityBulkSender,
	DEFAULT_ACTIVITY_BATCH,
	MAX_ACTIVITY_BATCH,
	activityProblems,
	bookingKey,
	sameBooking,
	type ActivityPayload,
	type BulkResult,
	type QueuedActivity,
} from '../../helpers/activityBulk';
import { activityTypeIdOf, listActivities, listActivityTypes, type ActivityType } from '../../helpers/activities';
import { resolveAgentId } from '../../helpers/agentMatch';
import { locatorParameter } from '../../helpers/locators';
import { unixSecondsParameter, withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { agentFields, timeRange, transportOptionFields } from '../common.descriptions';
import { activityTypeField } from './activity.descriptions';

const show = { resource: ['activity'], operation: ['createMany'] };

export const description: INodeProperties[] = [
	...agentFields(show),
	activityTypeField(show),
	...timeRange(show),
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 2 },
		displayOptions: { show },
		default: '',
	},
	...versionedOptions(
		show,
		[
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description: 'Whether to check, batch and return the activities that would be created without creating them',
			},
			{
				displayName: 'Skip If Already Scheduled',
				name: 'skipExisting',
				type: 'boolean',
				default: true,
				description:
					'Whether to leave out an activity when the agent already has one of the same type at the same times, so a re-run creates nothing twice',
			},
			{
				displayName: 'Isolate Rejected Items',
				name: 'isolateRejected',
				type: 'boolean',
				default: true,
				description:
					'Whether to split a batch Assembled rejects (400) into smaller batches, so only the activities at fault fail. Assembled stores none of a rejected batch.',
			},
		],
		[
			...transportOptionFields,
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_ACTIVITY_BATCH },
				default: DEFAULT_ACTIVITY_BATCH,
				description: 'Activities per request. Assembled documents no limit; a smaller batch is cheaper to split when one is rejected.',
			},
		],
	),
];

interface Queued extends QueuedActivity {
	agentEmail?: string | null;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const options = settingsOf(this, 0);
	const batchSize = Number(options.batchSize ?? DEFAULT_ACTIVITY_BATCH);
	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_ACTIVITY_BATCH) {
		throw new NodeOperationError(node, `Batch Size must be a whole number from 1 to ${MAX_ACTIVITY_BATCH}`);
	}
	const client = new AssembledClient(this, clientOptionsFrom(options));
	const outputs: Array<INodeExecutionData | undefined> = new Array(items.length);
	const output = (index: number, json: IDataObject) => (outputs[index] = { json, pairedItem: { item: index } });
	const problems: Array<{ index: number; error: ReturnType<typeof asNodeError>; kind: ErrorKind }> = [];
	const fail = (index: number, error: unknown, kind?: ErrorKind, details: IDataObject = {}) => {
		const wrapped = asNodeError(node, error, index);
		const errorKind = kind ?? kindOf(wrapped);
		problems.push({ index, error: wrapped, kind: errorKind });
		outputs[index] = errorOutputItem(wrapped, errorKind, index, details);
	};

	// 1. Read and check every item before anything is sent: agent and type found, times in unix seconds.
	let typeList: Promise<ActivityType[]> | undefined;
	const queue: Queued[] = [];
	for (let index = 0; index < items.length; index++) {
		try {
			queue.push(await readActivity.call(this, client, index, () => (typeList ??= listActivityTypes(client, index))));
		} catch (error) {
			const wrapped = asNodeError(node, error, index);
			// A failure that is not the item's own (Assembled down, a rejected key) ends the run unless it continues.
			if (!continueOnFail && levelOf(kindOf(wrapped)) === 'run') throw wrapped;
			fail(index, wrapped);
		}
	}
	if (problems.length > 0 && !continueOnFail) {
		const [first] = problems;
		throw new NodeOperationError(node, `Item ${first.index}: ${first.error.message}`, {
			itemIndex: first.index,
			description: `${problems.length} of ${items.length} items are invalid, so nothing was sent. Turn on "On Error → Continue (using error output)" to send the valid items and route the others.`,
		});
	}

	// 2. Within this input, one booking is sent once.
	const firstOf = new Map<string, number>();
	let toSend = queue.filter((activity) => {
		const key = bookingKey(activity.payload);
		const first = firstOf.get(key);
		if (first === undefined) {
			firstOf.set(key, activity.index);
			return true;
		}
		output(activity.index, { status: 'duplicate', duplicate_of_item: first, payload: activity.payload });
		return false;
	});

	// 3. Bookings already on the schedule are left out: one read of the whole span.
	if (options.skipExisting !== false && toSend.length > 0) {
		const start = Math.min(...toSend.map((activity) => activity.payload.start_time));
		const end = Math.max(...toSend.map((activity) => activity.payload.end_time));
		let existing: IDataObject[];
		try {
			existing = await listActivities(client, start, end, toSend[0].index);
		} catch (error) {
			if (!continueOnFail) throw asNodeError(node, error, toSend[0].index);
			toSend.forEach((activity) => fail(activity.index, error, 'notSent'));
			toSend = [];
			existing = [];
		}
		toSend = toSend.filter((activity) => {
			const found = existing.find((scheduled) => sameBooking(scheduled, activity.payload));
			if (found) output(activity.index, { status: 'exists', ...who(activity), activity: withIsoTimes(found) });
			return !found;
		});
	}

	// 4. Batches, returned as they would be sent (dry run) or sent through the shared limiter.
	const batches = chunk(toSend, batchSize).map((batch, position) => batch.map((activity) => ({ ...activity, batch: position + 1 })));
	const byIndex = new Map(toSend.map((activity) => [activity.index, activity]));
	if (options.dryRun === true) {
		for (const activity of batches.flat()) output(activity.index, { status: 'dryRun', ...who(activity), batch: activity.batch, payload: activity.payload });
		this.addExecutionHints({
			message: `Dry run: nothing was sent to Assembled. ${toSend.length} activities in ${batches.length} batches would be created; turn off "Dry Run" to create them.`,
			type: 'info',
			location: 'outputPane',
		});
	} else {
		const settle = (result: BulkResult) => {
			const activity = byIndex.get(result.index)!;
			if (result.status === 'created') {
				output(result.index, { status: 'created', ...who(activity), batch: result.batch, activity: withIsoTimes(result.activity) });
			} else {
				fail(result.index, result.error, result.status === 'rejected' ? 'rejectedItem' : 'notSent', { batch: result.batch, payload: activity.payload });
			}
		};
		await new ActivityBulkSender(client, options.isolateRejected !== false, settle).send(batches);
		const unsent = problems.filter((problem) => problem.kind === 'rejectedItem' || problem.kind === 'notSent');
		if (unsent.length > 0 && !continueOnFail) {
			const [first] = unsent;
			const created = outputs.filter((item) => item?.json.status === 'created').length;
			throw new NodeOperationError(node, `Item ${first.index}: ${first.error.message}`, {
				itemIndex: first.index,
				description: `${unsent.length} of ${items.length} activities were not created (${created} were). Turn on "On Error → Continue (using error output)" to keep the created ones and route the others.`,
			});
		}
	}
	return outputs.filter((item): item is INodeExecutionData => item !== undefined);
}

const who = (activity: Queued): IDataObject => (activity.agentEmail !== undefined ? { agent_email: activity.agentEmail } : {});

/** One item as an activity: every problem with it is the item's own (row level), except failing to read Assembled. */
async function readActivity(
	this: IExecuteFunctions,
	client: AssembledClient,
	index: number,
	types: () => Promise<ActivityType[]>,
): Promise<Queued> {
	const node = this.getNode();
	const invalid = (message: string) => rowError(node, message, 'invalidItem', { itemIndex: index });
	const agent = locatorParameter(this, 'agent', index);
	const givenType = locatorParameter(this, 'typeId', index);
	if (!agent) throw invalid('Agent is empty');
	if (!givenType) throw invalid('Activity Type is empty');
	let start: number;
	let end: number;
	try {
		start = unixSecondsParameter(this, 'startTime', 'Start', index);
		end = unixSecondsParameter(this, 'endTime', 'End', index);
	} catch (error) {
		throw invalid((error as Error).message);
	}
	const known = await types();
	let typeId: string;
	try {
		typeId = activityTypeIdOf(node, known, givenType, index);
	} catch (error) {
		throw invalid((error as Error).message);
	}
	const text = String(this.getNodeParameter('description', index, '') ?? '').trim();
	const payload: ActivityPayload = { agent_id: '', type_id: typeId, start_time: start, end_time: end };
	if (text) payload.description = text;
	// Times first: a bad window needs no people lookup.
	const timeProblems = activityProblems({ ...payload, agent_id: 'x' });
	if (timeProblems.length > 0) throw invalid(timeProblems.join('; '));
	const by = this.getNodeParameter('agentBy', index, 'email') as string;
	const { agentId, person } = await resolveAgentId(node, client, by, agent, index);
	payload.agent_id = agentId;
	return { index, payload, batch: 0, ...(person ? { agentEmail: person.email ?? null } : {}) };
}
