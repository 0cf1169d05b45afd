import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { rowError } from '../../../shared/errors';
import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { activityTypeIdOf, listActivities, listActivityTypes, type ActivityType } from '../../helpers/activities';
import { resolveAgentId } from '../../helpers/agentMatch';
import { locatorParameter } from '../../helpers/locators';
import { unixSecondsParameter, withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { agentFields, operationOptions, timeRange } from '../common.descriptions';
import { activityTypeField } from './activity.descriptions';

const show = { resource: ['activity'], operation: ['create'] };

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
	...operationOptions(show, [
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description: 'Whether to return the activity that would be created without creating it',
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
			displayName: 'Keep Overlapping Activities',
			name: 'keepOverlapping',
			type: 'boolean',
			default: false,
			description:
				"Whether the agent's activities that overlap the new one stay. Off (Assembled's default): Assembled deletes them, and the output lists them under replaced_activities.",
		},
	]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = settingsOf(this, 0);
	const client = new AssembledClient(this, clientOptionsFrom(options));
	let typeList: Promise<ActivityType[]> | undefined;
	const types = () => (typeList ??= listActivityTypes(client));
	let replacedCount = 0;
	const output = await runPerItem.call(this, async (itemIndex) => {
		const by = this.getNodeParameter('agentBy', itemIndex, 'email') as string;
		const agent = locatorParameter(this, 'agent', itemIndex);
		const givenType = locatorParameter(this, 'typeId', itemIndex);
		if (!agent) throw rowError(this.getNode(), 'Agent is empty', 'invalidItem', { itemIndex });
		if (!givenType) throw new NodeOperationError(this.getNode(), 'Activity Type is empty', { itemIndex });
		const typeId = activityTypeIdOf(this.getNode(), await types(), givenType, itemIndex);
		const start = unixSecondsParameter(this, 'startTime', 'Start', itemIndex);
		const end = unixSecondsParameter(this, 'endTime', 'End', itemIndex);
		if (end <= start) {
			throw rowError(this.getNode(), 'End must be after Start', 'invalidItem', { itemIndex });
		}
		const text = String(this.getNodeParameter('description', itemIndex, '') ?? '').trim();
		const itemOptions = settingsOf(this, itemIndex);
		const { agentId, person } = await resolveAgentId(this.getNode(), client, by, agent, itemIndex);
		const payload: IDataObject = { agent_id: agentId, type_id: typeId, start_time: start, end_time: end };
		if (text) payload.description = text;
		const who = person ? { agent_email: person.email ?? null } : {};

		const keepOverlapping = itemOptions.keepOverlapping === true;
		// Assembled deletes the agent's overlapping activities unless allow_conflicts is set (docs/assembled.md, "Activity writes").
		if (keepOverlapping) payload.allow_conflicts = true;
		const inWindow = itemOptions.skipExisting !== false || !keepOverlapping ? await listActivities(client, start, end, itemIndex) : [];
		const replaced = keepOverlapping ? [] : inWindow.filter((activity) => activity.agent_id === agentId).map((activity) => withIsoTimes(activity));
		if (itemOptions.skipExisting !== false) {
			const existing = inWindow.find(
				(activity) =>
					activity.agent_id === agentId &&
					activity.type_id === typeId &&
					activity.start_time === start &&
					activity.end_time === end,
			);
			if (existing) return [{ status: 'exists', ...who, activity: withIsoTimes(existing) }];
		}
		replacedCount += replaced.length;
		if (itemOptions.dryRun === true) return [{ status: 'dryRun', ...who, payload, replaced_activities: replaced }];
		const created = await client.request<IDataObject>({ method: 'POST', path: '/v0/activities', body: payload }, itemIndex);
		return [{ status: 'created', ...who, activity: withIsoTimes(created ?? payload), replaced_activities: replaced }];
	});
	if (replacedCount > 0) {
		this.addExecutionHints({
			message: `${replacedCount} overlapping ${replacedCount === 1 ? 'activity was' : 'activities were'} in the way: Assembled replaces ${replacedCount === 1 ? 'it' : 'them'} (listed under replaced_activities; turn on Keep Overlapping Activities to keep them)`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return output;
}
