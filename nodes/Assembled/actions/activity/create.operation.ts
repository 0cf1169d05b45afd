import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { AssembledClient } from '../../transport';
import { peopleDirectory, type AssembledPerson } from '../../helpers/people';
import { unixSecondsParameter } from '../../helpers/time';
import { clientOptionsFrom, optionsCollection, timeRange } from '../common';
import { rowError } from '../../../shared/errors';
import { runPerItem } from '../../../shared/perItem';
import { listActivities } from './getMany.operation';
import { listActivityTypes } from '../activityType/getMany.operation';

const show = { resource: ['activity'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Agent By',
		name: 'agentBy',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: 'Agent ID', value: 'agentId', description: 'The Assembled agent ID (not the person ID)' },
			{ name: 'Email', value: 'email', description: 'Looked up in Assembled People' },
			{ name: 'Five9 ID', value: 'five9Id', description: "Matched against the person's Five9 platform ID" },
		],
		default: 'email',
	},
	{
		displayName: 'Agent',
		name: 'agent',
		type: 'string',
		required: true,
		displayOptions: { show },
		default: '',
		placeholder: 'name@example.com',
	},
	{
		displayName: 'Activity Type Name or ID',
		// An expression may also give the type's name (e.g. Coaching): resolveTypeId looks it up.
		name: 'typeId',
		type: 'options',
		required: true,
		typeOptions: { loadOptionsMethod: 'getActivityTypes' },
		displayOptions: { show },
		default: '',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
	...timeRange(show),
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 2 },
		displayOptions: { show },
		default: '',
	},
	optionsCollection(show, [
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
	]),
];

async function resolveAgentId(
	this: IExecuteFunctions,
	client: AssembledClient,
	by: string,
	agent: string,
	itemIndex: number,
): Promise<{ agentId: string; person?: AssembledPerson }> {
	if (by === 'agentId') return { agentId: agent };
	const directory = await peopleDirectory(client, itemIndex);
	const matches = by === 'email' ? directory.findByEmail(agent) : directory.findByPlatformId(agent, 'five9');
	const withAgent = matches.filter((person) => person.agent_id);
	if (withAgent.length === 1) return { agentId: String(withAgent[0].agent_id), person: withAgent[0] };
	const what = by === 'email' ? `email "${agent}"` : `Five9 ID "${agent}"`;
	throw rowError(
		this.getNode(),
		withAgent.length === 0 ? `No agent in Assembled People has ${what}` : `${withAgent.length} agents in Assembled People have ${what}`,
		'unknownAgent',
		{ itemIndex, description: 'Check the agent in Assembled → People, or give the Assembled agent ID.' },
	);
}

/** An activity type given by id, or by name, short name or import id (templates ship names). */
async function resolveTypeId(
	this: IExecuteFunctions,
	types: () => Promise<IDataObject[]>,
	given: string,
	itemIndex: number,
): Promise<string> {
	const all = await types();
	if (all.some((type) => String(type.id) === given)) return given;
	const wanted = given.toLowerCase();
	const named = all.filter((type) =>
		[type.name, type.short_name, type.import_id].some((value) => String(value ?? '').toLowerCase() === wanted),
	);
	if (named.length === 1) return String(named[0].id);
	throw new NodeOperationError(
		this.getNode(),
		named.length ? `Several activity types are called "${given}"` : `No activity type in Assembled has the ID or name "${given}"`,
		{ itemIndex, description: `Known types: ${all.map((type) => String(type.name)).join(', ')}` },
	);
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const client = new AssembledClient(this, clientOptionsFrom(options));
	let typeList: Promise<IDataObject[]> | undefined;
	const types = () => (typeList ??= listActivityTypes(client));
	return await runPerItem.call(this, async (itemIndex) => {
		const by = this.getNodeParameter('agentBy', itemIndex, 'email') as string;
		const agent = String(this.getNodeParameter('agent', itemIndex, '') ?? '').trim();
		const givenType = String(this.getNodeParameter('typeId', itemIndex, '') ?? '').trim();
		if (!agent) throw rowError(this.getNode(), 'Agent is empty', 'invalidItem', { itemIndex });
		if (!givenType) throw new NodeOperationError(this.getNode(), 'Activity Type is empty', { itemIndex });
		const typeId = await resolveTypeId.call(this, types, givenType, itemIndex);
		const start = unixSecondsParameter(this, 'startTime', 'Start', itemIndex);
		const end = unixSecondsParameter(this, 'endTime', 'End', itemIndex);
		if (end <= start) {
			throw rowError(this.getNode(), 'End must be after Start', 'invalidItem', { itemIndex });
		}
		const text = String(this.getNodeParameter('description', itemIndex, '') ?? '').trim();
		const itemOptions = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const { agentId, person } = await resolveAgentId.call(this, client, by, agent, itemIndex);
		const payload: IDataObject = { agent_id: agentId, type_id: typeId, start_time: start, end_time: end };
		if (text) payload.description = text;
		const who = person ? { agent_email: person.email ?? null } : {};

		if (itemOptions.skipExisting !== false) {
			const existing = (await listActivities(client, start, end, itemIndex)).find(
				(activity) =>
					activity.agent_id === agentId &&
					activity.type_id === typeId &&
					activity.start_time === start &&
					activity.end_time === end,
			);
			if (existing) return [{ status: 'exists', ...who, activity: existing }];
		}
		if (itemOptions.dryRun === true) return [{ status: 'dryRun', ...who, payload }];
		const created = await client.request<IDataObject>({ method: 'POST', path: '/v0/activities', body: payload }, itemIndex);
		return [{ status: 'created', ...who, activity: created ?? payload }];
	});
}
