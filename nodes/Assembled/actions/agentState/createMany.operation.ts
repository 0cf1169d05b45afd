import type { IExecuteFunctions, INodeExecutionData, INodeProperties, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../../shared/errors';
import { fieldReader } from '../../../shared/fieldReader';
import { settingsOf } from '../../../shared/options';
import {
	CREATE_AGENT_STATES_WIRE,
	DEFAULT_STATE_BATCH,
	MAX_STATES_PER_REQUEST,
	agentOfState,
	stateKey,
	toAgentStatePayload,
	validateAgentState,
	type AgentStateFields,
	type AgentStatePayload,
	type ParsedAgentState,
} from '../../helpers/agentStateIngest';
import { pushInBulk, type ReadyItem, type RefusedItem, type UnsentItem } from '../../helpers/bulkPush';
import { peopleDirectory, type PeopleDirectory } from '../../helpers/people';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { bulkPushOptions } from '../common.descriptions';

const show = { resource: ['agentState'], operation: ['createMany'] };

export const description: INodeProperties[] = [
	{
		displayName:
			"Assembled's public API reference confirms how agent states are read, not how they are sent: this request mirrors the read shape. Try it with Dry Run first, then check the states in Assembled.",
		name: 'unconfirmedNotice',
		type: 'notice',
		displayOptions: { show },
		default: '',
	},
	{
		displayName: 'Agent ID',
		name: 'assembledAgentId',
		type: 'string',
		displayOptions: { show },
		default: '={{ $json.agent_id }}',
		description: 'The Assembled agent ID (not the person ID). When empty, the agent is found by Agent Email or Agent Platform ID.',
	},
	{
		displayName: 'Agent Email',
		name: 'agentEmail',
		type: 'string',
		displayOptions: { show },
		default: '={{ $json.agent_email }}',
		placeholder: 'name@example.com',
		description: 'Looked up in Assembled People when Agent ID is empty',
	},
	{
		displayName: 'Agent Platform ID',
		name: 'agentPlatformId',
		type: 'string',
		displayOptions: { show },
		default: '={{ $json.agent_platform_id }}',
		description: "The agent's ID in the source platform (for Five9, the user ID or username), matched against the person's platform IDs in Assembled",
	},
	{
		displayName: 'Platform',
		name: 'platform',
		type: 'string',
		displayOptions: { show },
		default: 'five9',
		description: 'Key of the source platform in Assembled, as in a person’s platforms list',
	},
	{
		displayName: 'State',
		name: 'state',
		type: 'string',
		required: true,
		displayOptions: { show },
		default: '={{ $json.state }}',
		description: 'Name of the state in the source platform (e.g. Ready, Not Ready: Lunch). Assembled maps state names to productive or not under Settings → Agent States.',
	},
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'string',
		required: true,
		displayOptions: { show },
		default: '={{ $json.start_time }}',
		description: 'When the agent entered the state. ISO 8601, unix seconds or unix milliseconds.',
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'string',
		displayOptions: { show },
		default: '={{ $json.end_time }}',
		description: 'When the state ended; empty for a state the agent is still in',
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		displayOptions: { show },
		default: '={{ $json.external_id }}',
		description: 'ID of the state in the source platform, so a state sent again is recognised as the same one',
	},
	...bulkPushOptions(show, {
		deduplicate: {
			displayName: 'Deduplicate',
			description:
				'Whether to send each state once per execution (same External ID, else same agent and start): the last copy is sent, the others are reported as "superseded" or "duplicate"',
		},
		batchSize: { maxValue: MAX_STATES_PER_REQUEST, default: DEFAULT_STATE_BATCH, description: 'Agent states per request, up to 1,000' },
	}),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const node = this.getNode();
	const timeZone = this.getTimezone();
	const options = settingsOf(this, 0);
	const batchSize = (options.batchSize ?? DEFAULT_STATE_BATCH) as number;
	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_STATES_PER_REQUEST) {
		throw new NodeOperationError(node, `Batch Size must be a whole number from 1 to ${MAX_STATES_PER_REQUEST}`);
	}
	const client = new AssembledClient(this, clientOptionsFrom(options));
	const read = (name: string) => fieldReader(this, name, items, undefined);
	const readers: Record<keyof AgentStateFields, (index: number) => unknown> = {
		agent_id: read('assembledAgentId'),
		agent_email: read('agentEmail'),
		agent_platform_id: read('agentPlatformId'),
		platform: read('platform'),
		state: read('state'),
		start_time: read('startTime'),
		end_time: read('endTime'),
		external_id: read('externalId'),
	};

	// 1. Read and validate every item before anything is sent.
	const refused: RefusedItem[] = [];
	const valid: Array<{ index: number; state: ParsedAgentState }> = [];
	for (let index = 0; index < items.length; index++) {
		const fields: Record<string, unknown> = {};
		try {
			for (const [key, reader] of Object.entries(readers)) fields[key] = reader(index);
		} catch (error) {
			refused.push({ index, reasons: [(error as Error).message], kind: 'invalidItem' });
			continue;
		}
		const validation = validateAgentState(fields as AgentStateFields, timeZone);
		if (validation.ok) valid.push({ index, state: validation.state });
		else {
			const id = fields.external_id;
			refused.push({ index, rawId: typeof id === 'string' ? id : undefined, reasons: validation.reasons, kind: 'invalidItem' });
		}
	}

	// 2. Agents given by email or platform id are found in Assembled People (fetched once).
	const needPeople = valid.filter(({ state }) => !state.agent_id);
	let directory: PeopleDirectory | undefined;
	let peopleFailure: NodeApiError | NodeOperationError | undefined;
	if (needPeople.length > 0) {
		try {
			directory = await peopleDirectory(client, needPeople[0].index);
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(node, error, needPeople[0].index);
			peopleFailure = asNodeError(node, error, needPeople[0].index);
		}
	}
	// Assembled People could not be read: the items that needed it are not sent (run level).
	const unsent: UnsentItem[] = [];
	const ready: Array<ReadyItem<AgentStatePayload>> = [];
	for (const { index, state } of valid) {
		if (state.agent_id) {
			ready.push({ index, payload: toAgentStatePayload(state, state.agent_id) });
			continue;
		}
		if (!directory) {
			unsent.push({ index, rawId: state.external_id, error: peopleFailure! });
			continue;
		}
		const match = agentOfState(directory, state);
		if ('problem' in match) {
			refused.push({ index, rawId: state.external_id, reasons: [match.problem], kind: 'unknownAgent' });
			continue;
		}
		const { person, matchedBy } = match;
		const name = [person.first_name, person.last_name].filter(Boolean).join(' ') || null;
		ready.push({
			index,
			payload: toAgentStatePayload(state, String(person.agent_id)),
			extra: { agent_email: person.email ?? null, agent_name: name, matched_by: matchedBy },
		});
	}
	refused.sort((a, b) => a.index - b.index);

	return await pushInBulk(this, {
		client,
		wire: CREATE_AGENT_STATES_WIRE,
		ready,
		refused,
		unsent,
		batchSize,
		dryRun: options.dryRun === true,
		deduplicate: options.deduplicate !== false,
		isolateRejected: options.isolateRejected !== false,
		singular: 'agent state',
		keyOf: stateKey,
	});
}
