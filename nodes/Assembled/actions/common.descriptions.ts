import type { INodeProperties } from 'n8n-workflow';

import { versionedOptions, type Show } from '../../shared/options';

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
