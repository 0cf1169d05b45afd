import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { rowError } from '../../../shared/errors';
import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import {
	ACTIVITIES_BULK_PATH,
	bulkDeleteBody,
	deleteActivitiesInWindow,
	deleteWindowBody,
	plainActivityId,
} from '../../helpers/activityBulk';
import { listActivities } from '../../helpers/activities';
import { resolveAgentId } from '../../helpers/agentMatch';
import { locatorParameter } from '../../helpers/locators';
import { isoFromUnixSeconds, unixSecondsParameter, withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { agentFields, operationOptions, timeRange } from '../common.descriptions';

const show = { resource: ['activity'], operation: ['delete'] };
const byWindow = { ...show, deleteBy: ['window'] };
const byId = { ...show, deleteBy: ['id'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Delete By',
		name: 'deleteBy',
		type: 'options',
		displayOptions: { show },
		options: [
			{
				name: 'Agent and Time Window',
				value: 'window',
				description: "Everything on one agent's schedule between Start and End",
			},
			{
				name: 'Activity ID',
				value: 'id',
				description: 'One activity, by the ID Activity → Get Many shows',
			},
		],
		default: 'window',
	},
	{
		displayName:
			'Every activity of the agent inside the window is deleted; one that only partly overlaps it is cut to the part outside the window. Try it with Dry Run first: it lists what the window holds.',
		name: 'windowNotice',
		type: 'notice',
		displayOptions: { show: byWindow },
		default: '',
	},
	...agentFields(byWindow),
	...timeRange(byWindow),
	{
		displayName:
			"Deleting by ID uses the bulk endpoint's delete action, which Assembled marks as beta; its answer is not confirmed by public sources. Try it with Dry Run first.",
		name: 'idNotice',
		type: 'notice',
		displayOptions: { show: byId },
		default: '',
	},
	{
		displayName: 'Activity ID',
		name: 'activityId',
		type: 'string',
		required: true,
		displayOptions: { show: byId },
		default: '',
		placeholder: 'e.g. 7c9e6679-7425-40de-944b-e07fc1f90ae7',
		description: 'The activity ID, or the id_with_timestamps key Assembled lists activities by',
	},
	...operationOptions(show, [
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description: 'Whether to return what would be deleted without deleting it',
		},
	]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new AssembledClient(this, clientOptionsFrom(settingsOf(this, 0)));
	// Activities by window, read once per window: Assembled returns every agent's (docs/assembled.md, "Activities").
	const windows = new Map<string, Promise<IDataObject[]>>();
	return await runPerItem.call(this, async (itemIndex) => {
		const dryRun = settingsOf(this, itemIndex).dryRun === true;
		if (this.getNodeParameter('deleteBy', itemIndex, 'window') === 'id') {
			const activityId = plainActivityId(String(this.getNodeParameter('activityId', itemIndex, '') ?? ''));
			if (!activityId) throw rowError(this.getNode(), 'Activity ID is empty', 'invalidItem', { itemIndex });
			const payload = bulkDeleteBody(activityId);
			if (dryRun) return [{ status: 'dryRun', activity_id: activityId, payload }];
			await client.request({ method: 'POST', path: ACTIVITIES_BULK_PATH, body: payload }, itemIndex);
			return [{ status: 'deleted', activity_id: activityId }];
		}

		const agent = locatorParameter(this, 'agent', itemIndex);
		if (!agent) throw rowError(this.getNode(), 'Agent is empty', 'invalidItem', { itemIndex });
		const start = unixSecondsParameter(this, 'startTime', 'Start', itemIndex);
		const end = unixSecondsParameter(this, 'endTime', 'End', itemIndex);
		if (end <= start) throw rowError(this.getNode(), 'End must be after Start', 'invalidItem', { itemIndex });
		const by = this.getNodeParameter('agentBy', itemIndex, 'email') as string;
		const { agentId, person } = await resolveAgentId(this.getNode(), client, by, agent, itemIndex);
		const key = `${start}:${end}`;
		let window = windows.get(key);
		if (!window) {
			window = listActivities(client, start, end, itemIndex);
			windows.set(key, window);
			window.catch(() => windows.delete(key));
		}
		const all = await window;
		const inWindow = all.filter((activity) => String(activity.agent_id) === agentId);
		const result: IDataObject = {
			agent_id: agentId,
			...(person ? { agent_email: person.email ?? null } : {}),
			start_time: start,
			start_time_iso: isoFromUnixSeconds(start),
			end_time: end,
			end_time_iso: isoFromUnixSeconds(end),
			activities: inWindow.map(withIsoTimes),
		};
		if (dryRun) return [{ status: 'dryRun', ...result, payload: deleteWindowBody([agentId], start, end) }];
		await deleteActivitiesInWindow(client, [agentId], start, end, itemIndex);
		// A later item for the same window and agent finds it empty.
		windows.set(key, Promise.resolve(all.filter((activity) => String(activity.agent_id) !== agentId)));
		return [{ status: 'deleted', ...result }];
	});
}
