import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { rowError } from '../../../shared/errors';
import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { activityTypeIdOf, listActivityTypes, type ActivityType } from '../../helpers/activities';
import { resolveAgentId } from '../../helpers/agentMatch';
import { locatorParameter } from '../../helpers/locators';
import { itemUnixSeconds, listTimeOffRequests, statusMatches } from '../../helpers/planning';
import { withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { agentFields, operationOptions, resourceLocator, timeRange } from '../common.descriptions';
import { dryRunOption, unconfirmedNotice } from '../planning.descriptions';

const show = { resource: ['timeOff'], operation: ['create'] };

export const description: INodeProperties[] = [
	unconfirmedNotice(show, 'timeOffCreateNotice', true),
	...agentFields(show),
	resourceLocator({
		displayName: 'Time Off Type',
		name: 'timeOffType',
		searchListMethod: 'searchTimeOffTypes',
		description: 'The activity type the time off is scheduled as (e.g. Vacation): pick it, or give its ID, name, short name or import ID',
		show,
		required: true,
		byName: { placeholder: 'e.g. Vacation' },
	}),
	...timeRange(show),
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		typeOptions: { rows: 2 },
		displayOptions: { show },
		default: '',
		description: 'Why the agent is away; sent as the request\'s description',
	},
	...operationOptions(show, [
		{
			displayName: 'All Day',
			name: 'allDay',
			type: 'boolean',
			default: true,
			description: 'Whether the time off takes whole days (sent as all_day only when this option is added)',
		},
		dryRunOption('time-off request'),
		{
			displayName: 'Skip If Already Requested',
			name: 'skipExisting',
			type: 'boolean',
			default: false,
			description:
				'Whether to leave out a request when the agent already has one of the same type at the same times that is not cancelled or denied, so a re-run requests nothing twice. Reads the time-off requests of the range first.',
		},
	]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new AssembledClient(this, clientOptionsFrom(settingsOf(this, 0)));
	let typeList: Promise<ActivityType[]> | undefined;
	return await runPerItem.call(this, async (itemIndex) => {
		const node = this.getNode();
		const by = this.getNodeParameter('agentBy', itemIndex, 'email') as string;
		const agent = locatorParameter(this, 'agent', itemIndex);
		const givenType = locatorParameter(this, 'timeOffType', itemIndex);
		if (!agent) throw rowError(node, 'Agent is empty', 'invalidItem', { itemIndex });
		if (!givenType) throw rowError(node, 'Time Off Type is empty', 'invalidItem', { itemIndex });
		const start = itemUnixSeconds(this, 'startTime', 'Start', itemIndex);
		const end = itemUnixSeconds(this, 'endTime', 'End', itemIndex);
		if (end <= start) throw rowError(node, 'End must be after Start', 'invalidItem', { itemIndex });
		typeList ??= listActivityTypes(client, itemIndex);
		const typeId = activityTypeIdOf(node, await typeList, givenType, itemIndex);
		const reason = String(this.getNodeParameter('reason', itemIndex, '') ?? '').trim();
		const options = settingsOf(this, itemIndex);
		const { agentId, person } = await resolveAgentId(node, client, by, agent, itemIndex);

		// Field names as the clients seen send them (docs/assembled.md, "Time off").
		const payload: IDataObject = { agent_id: agentId, activity_type_id: typeId, start_time: start, end_time: end };
		if (reason) payload.description = reason;
		if (typeof options.allDay === 'boolean') payload.all_day = options.allDay;
		const who = person ? { agent_email: person.email ?? null } : {};

		if (options.skipExisting === true) {
			const [existing] = await listTimeOffRequests(
				node,
				client,
				{ start_time: start, end_time: end },
				(request) =>
					request.agent_id === agentId &&
					request.activity_type_id === typeId &&
					request.start_time === start &&
					request.end_time === end &&
					!statusMatches(['cancelled', 'denied'], request.status),
				1,
				itemIndex,
			);
			if (existing) return [{ status: 'exists', ...who, timeOff: withIsoTimes(existing) }];
		}
		if (options.dryRun === true) return [{ status: 'dryRun', ...who, payload }];
		const created = await client.request<IDataObject>({ method: 'POST', path: '/v0/time_off', body: payload }, itemIndex);
		const answer = created && typeof created === 'object' && !Array.isArray(created) ? created : {};
		return [{ status: 'created', ...who, timeOff: withIsoTimes({ ...payload, ...answer }) }];
	});
}
