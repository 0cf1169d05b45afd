import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { versionedOptions, type Show } from '../../shared/options';

/** Assembled's channels (docs/assembled.md), for every field that picks one or several. */
export const CHANNEL_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Back Office', value: 'back_office' },
	{ name: 'Chat', value: 'chat' },
	{ name: 'Email', value: 'email' },
	{ name: 'Phone', value: 'phone' },
	{ name: 'SMS', value: 'sms' },
	{ name: 'Social', value: 'social' },
];

/**
 * Pacing and retry settings every Assembled operation offers (under Options in version 1,
 * Advanced later). n8n's lint rules want literal defaults here; `ASSEMBLED_TRANSPORT_DEFAULTS`
 * (transport) holds the same values.
 */
export const transportOptionFields: INodeProperties[] = [
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 20 },
		default: 5,
		description:
			'How often to retry a request after a rate limit (429), a server error (5xx), a timeout or a dropped connection',
	},
	{
		displayName: 'Request Timeout (Ms)',
		name: 'timeoutMs',
		type: 'number',
		typeOptions: { minValue: 100 },
		default: 30_000,
		description: 'Longest time one request may take, the whole answer included',
	},
	{
		displayName: 'Requests per Minute',
		name: 'requestsPerMinute',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 300,
		description:
			'Sustained request rate for this node, shared by all its requests. Assembled allows 300 unless support raised it.',
	},
	{
		displayName: 'Burst Size',
		name: 'burst',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 20,
		description: 'Requests that may go out at once before pacing starts. Assembled allows bursts of 20.',
	},
	{
		displayName: 'Retry Delay (Ms)',
		name: 'retryDelayMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 1000,
		description:
			'First back-off wait when the server gives no Retry-After; doubles on each retry, with jitter',
	},
];

/**
 * The settings of an operation: its own options and the transport settings, laid out by node
 * version (`versionedOptions`); `ownFieldsInVersion1` are developer settings that version 1 has as
 * fields of their own and later versions under Advanced.
 */
export function operationOptions(show: Show, own: INodeProperties[] = [], ownFieldsInVersion1: INodeProperties[] = []): INodeProperties[] {
	return versionedOptions(show, own, transportOptionFields, ownFieldsInVersion1);
}

/**
 * The settings of an operation that pushes its input in batches (`helpers/bulkPush.ts`):
 * Deduplicate, Dry Run and Isolate Rejected Items besides the operation's `own` options, the
 * transport settings, and Batch Size, which version 1 nodes never had (these operations came with
 * 1.1), so it shows under Advanced only. `deduplicate` and `batchSize` carry the operation's wording.
 */
export function bulkPushOptions(
	show: Show,
	push: {
		deduplicate: { displayName: string; description: string };
		batchSize: { maxValue: number; default: number; description: string };
		own?: INodeProperties[];
	},
): INodeProperties[] {
	// n8n's lint rules read a default from a literal or a plain name, not from a member.
	const batchSize = push.batchSize.default;
	return versionedOptions(
		show,
		[
			{
				displayName: push.deduplicate.displayName,
				name: 'deduplicate',
				type: 'boolean',
				default: true,
				description: push.deduplicate.description,
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description: 'Whether to validate, batch and return the exact payloads without sending anything to Assembled',
			},
			{
				displayName: 'Isolate Rejected Items',
				name: 'isolateRejected',
				type: 'boolean',
				default: true,
				description: 'Whether to split a batch Assembled rejects (400) into smaller batches, so only the items at fault fail',
			},
			...(push.own ?? []),
		],
		transportOptionFields,
		[
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: push.batchSize.maxValue },
				default: batchSize,
				description: push.batchSize.description,
			},
		],
	);
}

export function returnAllAndLimit(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			displayOptions: { show },
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			displayOptions: { show: { ...show, returnAll: [false] } },
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
		},
	];
}

/** Start and End of a time range; for a list, `listed` names what overlapping the range is returned. */
export function timeRange(show: Show, listed?: string): INodeProperties[] {
	return [
		{
			displayName: 'Start',
			name: 'startTime',
			type: 'dateTime',
			required: true,
			displayOptions: { show },
			default: '',
			...(listed ? { description: `${listed} overlapping the range from Start to End are returned` } : {}),
		},
		{
			displayName: 'End',
			name: 'endTime',
			type: 'dateTime',
			required: true,
			displayOptions: { show },
			default: '',
		},
	];
}

/** Assembled ids are UUIDs (docs/assembled.md, "Collections and timestamps"). */
const ID_PLACEHOLDER = 'e.g. 7c9e6679-7425-40de-944b-e07fc1f90ae7';

/**
 * A field naming an Assembled object: picked from a searchable list (a `methods/listSearch.ts`
 * method), or given by ID, by an expression, or (with `byName`) by name. Workflows saved with a
 * plain string in the field keep working: `helpers/locators.ts` reads both forms.
 */
export function resourceLocator(field: {
	displayName: string;
	name: string;
	searchListMethod: string;
	description: string;
	show?: Show;
	required?: boolean;
	/** Also offer "By Name", for objects a name identifies. */
	byName?: { placeholder: string };
	/** The ID mode takes several IDs, separated by commas. */
	severalIds?: boolean;
}): INodeProperties {
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		...(field.required ? { required: true } : {}),
		...(field.show ? { displayOptions: { show: field.show } } : {}),
		description: field.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select ${field.displayName.toLowerCase()}…`,
				typeOptions: { searchListMethod: field.searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: field.severalIds ? `${ID_PLACEHOLDER}, …` : ID_PLACEHOLDER,
			},
			...(field.byName
				? [{ displayName: 'By Name', name: 'name', type: 'string' as const, placeholder: field.byName.placeholder }]
				: []),
		],
	};
}

/**
 * Agent By and Agent, as Activity → Create and Time Off → Create have them. One name, two fields: a
 * typed email or Five9 ID, or an agent picked from Assembled. Which one shows follows Agent By; with
 * Agent By as an expression both show and either may hold the value (`helpers/agentMatch.ts`).
 */
export function agentFields(show: Show): INodeProperties[] {
	return [
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
			displayOptions: { show: { ...show, agentBy: ['email', 'five9Id'] } },
			default: '',
			placeholder: 'name@example.com',
			description: "The agent's email, or their Five9 user ID or user name, as Agent By says",
		},
		resourceLocator({
			displayName: 'Agent',
			name: 'agent',
			searchListMethod: 'searchAgents',
			description: 'The agent: search by name or email, or give the Assembled agent ID (not the person ID)',
			show: { ...show, agentBy: ['agentId'] },
			required: true,
		}),
	];
}
