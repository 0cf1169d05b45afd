/** Fields several Five9 operations share: transport, value conversion and the report time zone. */
import type { INodeProperties } from 'n8n-workflow';

import { timeZoneOptions } from '../../../credentials/Five9Api.credentials';
import { versionedOptions, type Show } from '../../shared/options';

export type { Show };

/**
 * Retry and timeout settings every Five9 operation that calls Five9 offers (under Options in
 * version 1, Advanced later). n8n's lint rules want literal defaults here;
 * `FIVE9_TRANSPORT_DEFAULTS` (transport) holds the same values.
 */
export const transportOptionFields: INodeProperties[] = [
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 20 },
		default: 5,
		description:
			'How often to retry after Five9’s request limit, a busy session, a 429/5xx answer or a dropped connection',
	},
	{
		displayName: 'Retry Delay (Ms)',
		name: 'retryDelayMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 2000,
		description: 'First back-off wait; doubles on each retry, with jitter',
	},
	{
		displayName: 'Request Timeout (Ms)',
		name: 'timeoutMs',
		type: 'number',
		typeOptions: { minValue: 100 },
		default: 60_000,
		description: 'Longest time one request may take, the whole answer included',
	},
];

/** How report and statistics cells are typed; read back by `convertOptionsFrom` (helpers/values.ts). */
export const conversionOptionFields: INodeProperties[] = [
	{
		displayName: 'Convert Timestamps',
		name: 'convertTimestamps',
		type: 'boolean',
		default: true,
		description:
			'Whether to turn Five9 date-times (read in the report time zone) into ISO 8601 UTC, and dates into YYYY-MM-DD',
	},
	{
		displayName: 'Durations to Seconds',
		name: 'durationsToSeconds',
		type: 'boolean',
		default: true,
		description: 'Whether to turn HH:MM:SS durations into a number of seconds',
	},
	{
		displayName: 'Numbers to Numbers',
		name: 'numbersToNumbers',
		type: 'boolean',
		default: true,
		description:
			'Whether to turn numeric cells into numbers. IDs, phone numbers (ANI, DNIS) and values with leading zeros stay text.',
	},
	{
		displayName: 'Empty and "-" to Null',
		name: 'emptyToNull',
		type: 'boolean',
		default: true,
		description: 'Whether cells that are empty or "-" become null',
	},
	{
		displayName: 'Keep as Text Columns',
		name: 'textColumns',
		type: 'string',
		default: '',
		placeholder: 'SKILL, CAMPAIGN',
		description: 'Comma-separated column names whose values are never turned into numbers',
	},
];

/**
 * Read by `clientOptionsFrom` (transport) with the transport options. Start and End from the date
 * picker have no offset (n8n stores the picked wall-clock time), so this zone, not the workflow's,
 * says which moment they are.
 */
export const timeZoneOptionField: INodeProperties = {
	displayName: 'Report Time Zone',
	name: 'timeZone',
	type: 'options',
	options: timeZoneOptions('Credential’s Report Time Zone'),
	default: '',
	description:
		'Zone Five9 report times are in, for this node. Dates and times picked for Start and End have no zone and are read in this zone, not in the workflow’s time zone, which n8n uses for expressions such as $now and their previews.',
};

/**
 * The settings of an operation that calls Five9: its own options, its own developer settings
 * (`advanced`) and the transport settings, laid out by node version (`versionedOptions`).
 */
export function operationOptions(show: Show, own: INodeProperties[] = [], advanced: INodeProperties[] = []): INodeProperties[] {
	return versionedOptions(show, own, [...advanced, ...transportOptionFields]);
}

/** A user or agent group from Five9's directory, searched as typed; By Name takes the exact name or an expression. */
export function directoryLocator(field: { displayName: string; name: string; searchListMethod: 'searchUsers' | 'searchAgentGroups'; description: string; placeholder: string }): INodeProperties {
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description: field.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select ${field.displayName === 'Agent Group' ? 'an agent group' : 'a user'}…`,
				typeOptions: { searchListMethod: field.searchListMethod, searchable: true },
			},
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: field.placeholder },
		],
	};
}
