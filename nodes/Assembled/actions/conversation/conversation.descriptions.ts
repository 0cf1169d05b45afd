/** The fields of Conversation → Create Many and Update Many, and the push both run. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../../shared/errors';
import { fieldReader } from '../../../shared/fieldReader';
import { settingsOf, type Show } from '../../../shared/options';
import { pushInBulk, type ReadyItem, type RefusedItem, type UnsentItem } from '../../helpers/bulkPush';
import {
	CONVERSATION_CHANNELS,
	CONVERSATION_STATUSES,
	CREATE_CONVERSATIONS_WIRE,
	DEFAULT_CONVERSATION_BATCH,
	MAX_CONVERSATIONS_PER_REQUEST,
	UPDATE_CONVERSATIONS_WIRE,
	assigneeByEmail,
	toConversationPayload,
	validateConversation,
	type ConversationFields,
	type ConversationPayload,
	type ParsedConversation,
} from '../../helpers/conversations';
import { peopleDirectory, type PeopleDirectory } from '../../helpers/people';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { bulkPushOptions } from '../common.descriptions';

export type ConversationMode = 'create' | 'update';

const label = (value: string) =>
	({ back_office: 'Back Office', sms: 'SMS' })[value] ?? value.charAt(0).toUpperCase() + value.slice(1);

const UNCONFIRMED =
	"Assembled's public API reference does not confirm this request's shape (the fields follow its conversation upload format): try it with Dry Run first, then check the conversations in Assembled";

function timeField(displayName: string, name: string, show: Show, required: boolean, what: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		...(required ? { required: true } : {}),
		displayOptions: { show },
		default: `={{ $json.${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} }}`,
		description: [what, 'ISO 8601, unix seconds or unix milliseconds.'].join(' '),
	};
}

/** The fields of one operation; every mapping field reads the same-named input field by default. */
export function conversationFields(operation: ConversationMode): INodeProperties[] {
	const show: Show = { resource: ['conversation'], operation: [operation === 'create' ? 'createMany' : 'updateMany'] };
	const create = operation === 'create';
	// An update changes only the fields given.
	const keep = (text: string) => (create ? text : `${text} Leave empty to keep what Assembled has.`);
	return [
		{ displayName: UNCONFIRMED, name: 'unconfirmedNotice', type: 'notice', displayOptions: { show }, default: '' },
		{
			displayName: 'Import ID',
			name: 'importId',
			type: 'string',
			required: true,
			displayOptions: { show },
			default: '={{ $json.import_id }}',
			description: create
				? 'Unique ID of the conversation in its source (e.g. the Five9 call ID). Sending the same ID again updates that conversation instead of adding one.'
				: 'The Import ID the conversation was created with',
		},
		...(create
			? [
					timeField('Created At', 'createdAt', show, true, 'When the conversation started.'),
					{
						displayName: 'Channel',
						name: 'channel',
						type: 'options' as const,
						displayOptions: { show },
						options: CONVERSATION_CHANNELS.map((value) => ({ name: label(value), value })),
						default: 'phone',
						description: 'The channel of the conversation; use an expression when it differs between items',
					},
					{
						displayName: 'Status',
						name: 'status',
						type: 'options' as const,
						displayOptions: { show },
						options: CONVERSATION_STATUSES.map((value) => ({ name: label(value), value })),
						default: 'solved',
						description: 'Status when sent; use an expression when it differs between items (e.g. abandoned calls)',
					},
				]
			: [
					{
						displayName: 'Status',
						name: 'status',
						type: 'string' as const,
						displayOptions: { show },
						default: '={{ $json.status }}',
						description: keep(`One of ${CONVERSATION_STATUSES.join(', ')}.`),
					},
				]),
		{
			displayName: 'Agent Import ID',
			name: 'assigneeImportId',
			type: 'string',
			displayOptions: { show },
			default: '={{ $json.assignee_import_id }}',
			description: keep('The Imported ID of the agent who handled it, as on the People page in Assembled. When empty, the agent is found by Agent Email.'),
		},
		{
			displayName: 'Agent Email',
			name: 'agentEmail',
			type: 'string',
			displayOptions: { show },
			default: '={{ $json.agent_email }}',
			placeholder: 'name@example.com',
			description: "Looked up in Assembled People (by email, then Five9 username) to find the agent's Imported ID",
		},
		timeField('First Responded At', 'firstRespondedAt', show, false, keep('When an agent first answered.')),
		timeField('Solved At', 'solvedAt', show, false, keep('When the conversation was solved.')),
		{
			displayName: 'Handle Time (Seconds)',
			name: 'handleTime',
			type: 'string',
			displayOptions: { show },
			default: '={{ $json.handle_time }}',
			description: keep('Time agents spent on it, in seconds.'),
		},
		{
			displayName: 'Tags',
			name: 'tags',
			type: 'string',
			displayOptions: { show },
			default: '={{ $json.tags }}',
			description: keep('A list of tags, or text separated by commas. Assembled maps tags to queues by its queue rules.'),
		},
		{
			displayName: 'Queue',
			name: 'queue',
			type: 'string',
			displayOptions: { show },
			default: '={{ $json.queue }}',
			description: keep('Name of a queue in Assembled.'),
		},
		...bulkPushOptions(show, {
			deduplicate: {
				displayName: 'Deduplicate by Import ID',
				description:
					'Whether to send each Import ID once per execution: the last copy is sent; the others are reported with status "superseded", or "duplicate" when identical',
			},
			batchSize: {
				maxValue: MAX_CONVERSATIONS_PER_REQUEST,
				default: DEFAULT_CONVERSATION_BATCH,
				description: 'Conversations per request, up to 1,000',
			},
			own: [
				{
					displayName: 'Look Up Agents by Email',
					name: 'resolveAgents',
					type: 'boolean',
					default: true,
					description: "Whether to find the Imported ID of agents given by Agent Email in Assembled People (one people fetch per execution)",
				},
				{
					displayName: 'Report Unknown Agents',
					name: 'reportUnknownAgents',
					type: 'boolean',
					default: false,
					description:
						'Whether to send an item whose agent is not in Assembled People to the error output instead of sending the conversation without an agent',
				},
			],
		}),
	];
}

/** Reads, validates and pushes the input items (Create Many or Update Many). */
export async function pushConversations(this: IExecuteFunctions, mode: ConversationMode): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const node = this.getNode();
	const timeZone = this.getTimezone();
	const options = settingsOf(this, 0);
	const batchSize = (options.batchSize ?? DEFAULT_CONVERSATION_BATCH) as number;
	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_CONVERSATIONS_PER_REQUEST) {
		throw new NodeOperationError(node, `Batch Size must be a whole number from 1 to ${MAX_CONVERSATIONS_PER_REQUEST}`);
	}
	const resolveAgents = options.resolveAgents !== false;
	const reportUnknownAgents = options.reportUnknownAgents === true;
	const client = new AssembledClient(this, clientOptionsFrom(options));

	const read = (name: string) => fieldReader(this, name, items, undefined);
	const readers: Record<keyof ConversationFields, (index: number) => unknown> = {
		import_id: read('importId'),
		created_at: mode === 'create' ? read('createdAt') : () => undefined,
		channel: mode === 'create' ? read('channel') : () => undefined,
		status: read('status'),
		assignee_import_id: read('assigneeImportId'),
		agent_email: read('agentEmail'),
		first_responded_at: read('firstRespondedAt'),
		solved_at: read('solvedAt'),
		handle_time: read('handleTime'),
		tags: read('tags'),
		queue: read('queue'),
	};

	// 1. Read and validate every item before anything is sent.
	const refused: RefusedItem[] = [];
	const valid: Array<{ index: number; conversation: ParsedConversation }> = [];
	for (let index = 0; index < items.length; index++) {
		const fields: Record<string, unknown> = {};
		let rawId: string | undefined;
		try {
			for (const [key, reader] of Object.entries(readers)) fields[key] = reader(index);
			const id = fields.import_id;
			rawId = typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
		} catch (error) {
			refused.push({ index, reasons: [(error as Error).message], kind: 'invalidItem' });
			continue;
		}
		const validation = validateConversation(fields as ConversationFields, timeZone, mode);
		if (validation.ok) valid.push({ index, conversation: validation.conversation });
		else refused.push({ index, rawId, reasons: validation.reasons, kind: 'invalidItem' });
	}

	// 2. Agents given by email get their Imported ID from Assembled People (fetched once).
	const needPeople = valid.filter(({ conversation }) => !conversation.assignee_import_id && conversation.agent_email);
	let directory: PeopleDirectory | undefined;
	let peopleFailure: NodeApiError | NodeOperationError | undefined;
	if (resolveAgents && needPeople.length > 0) {
		try {
			directory = await peopleDirectory(client, needPeople[0].index);
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(node, error, needPeople[0].index);
			peopleFailure = asNodeError(node, error, needPeople[0].index);
		}
	}
	// Assembled People could not be read: the items that needed it are not sent (run level).
	const unsent: UnsentItem[] = [];
	const ready: Array<ReadyItem<ConversationPayload>> = [];
	for (const { index, conversation } of valid) {
		const email = conversation.agent_email;
		if (peopleFailure && email && !conversation.assignee_import_id) {
			unsent.push({ index, rawId: conversation.import_id, error: peopleFailure });
			continue;
		}
		if (conversation.assignee_import_id || !email || !directory) {
			ready.push({ index, payload: toConversationPayload(conversation) });
			continue;
		}
		const match = assigneeByEmail(directory, email);
		if ('importId' in match) {
			ready.push({ index, payload: toConversationPayload(conversation, match.importId), extra: { agent_email: email, agent_matched: true } });
		} else if (reportUnknownAgents) {
			refused.push({ index, rawId: conversation.import_id, reasons: [match.problem], kind: 'unknownAgent' });
		} else {
			ready.push({ index, payload: toConversationPayload(conversation), extra: { agent_email: email, agent_matched: false, agent_problem: match.problem } });
		}
	}
	refused.sort((a, b) => a.index - b.index);

	return await pushInBulk(this, {
		client,
		wire: mode === 'create' ? CREATE_CONVERSATIONS_WIRE : UPDATE_CONVERSATIONS_WIRE,
		ready,
		refused,
		unsent,
		batchSize,
		dryRun: options.dryRun === true,
		deduplicate: options.deduplicate !== false,
		isolateRejected: options.isolateRejected !== false,
		singular: 'conversation',
	});
}
