/** The fields of the operations that run reports: what to run, over which range, and how. */
import type { INodeProperties } from 'n8n-workflow';

import { OBJECT_TYPES } from '../../helpers/report';
import { DEFAULT_ROW_CAP } from '../../helpers/runSettings';
import { timeZoneOptionField, type Show } from '../common.descriptions';

const rangeField: INodeProperties = {
	displayName: 'Range',
	name: 'range',
	type: 'options',
	options: [
		{ name: 'Custom', value: 'custom', description: 'From Start up to (not including) End' },
		{ name: 'Previous Days', value: 'previousDays', description: 'Whole days before today, e.g. 1 for yesterday' },
		{ name: 'Today So Far', value: 'today', description: 'From midnight until now' },
	],
	default: 'previousDays',
	description: 'Days are calendar days of the report time zone',
};

/** Object types that can be picked from Five9's directory in a criterion, one field each. */
export const PICKED_OBJECTS = [
	{ type: 'Campaign', field: 'campaign', displayName: 'Campaign', searchListMethod: 'searchCampaigns' },
	{ type: 'Skill', field: 'skill', displayName: 'Skill', searchListMethod: 'searchSkills' },
	{ type: 'AgentGroup', field: 'agentGroup', displayName: 'Agent Group', searchListMethod: 'searchAgentGroups' },
	{ type: 'User', field: 'user', displayName: 'User', searchListMethod: 'searchUsers' },
] as const;

/** A picker for one object of a type, shown when the criterion's Object Type is that type. */
function pickedObjectField(type: string, displayName: string, searchListMethod: string): INodeProperties {
	const field = PICKED_OBJECTS.find((object) => object.type === type)!.field;
	return {
		displayName,
		name: field,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		displayOptions: { show: { objectType: [type] } },
		description: `A ${displayName.toLowerCase()} from Five9's directory; Five9 names are case-sensitive, so picking avoids typos`,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${displayName.toLowerCase()}…`,
				typeOptions: { searchListMethod, searchable: true },
			},
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'e.g. Support Inbound' },
		],
	};
}

/** Folder, report, range and criteria; read back by `report.readers.ts`. */
export function reportFields(show: Show): INodeProperties[] {
	const displayOptions = { show };
	return [
		{
			displayName: 'Folder Name',
			name: 'folderName',
			type: 'string',
			required: true,
			displayOptions,
			default: 'Call Log Reports',
			description: 'Report folder exactly as in Five9 (case-sensitive), e.g. Call Log Reports or Digital Channel Reports',
		},
		{
			displayName: 'Report Name',
			name: 'reportName',
			type: 'string',
			required: true,
			displayOptions,
			default: 'Call Log',
			description: 'Report name exactly as in Five9 (case-sensitive); custom reports work too',
		},
		// Version 1 keeps Custom as the default: n8n leaves a value equal to the default out of a saved
		// workflow, so changing it would move saved custom ranges to yesterday. Later versions
		// default to a range that runs without further input.
		{ ...rangeField, displayOptions: { show: { ...show, '@version': [1] } }, default: 'custom' },
		{ ...rangeField, displayOptions: { show: { ...show, '@version': [{ _cnd: { gte: 1.1 } }] } }, default: 'previousDays' },
		{
			displayName: 'Days',
			name: 'days',
			type: 'number',
			typeOptions: { minValue: 1 },
			displayOptions: { show: { ...show, range: ['previousDays'] } },
			default: 1,
			description: 'How many whole days before today: 1 is yesterday, 7 the last seven days',
		},
		{
			displayName: 'Start',
			name: 'start',
			type: 'dateTime',
			required: true,
			displayOptions: { show: { ...show, range: ['custom'] } },
			default: '',
			description:
				'First moment included. A date or time without an offset, as the date picker gives, is read in the report time zone (not the workflow’s).',
		},
		{
			displayName: 'End',
			name: 'end',
			type: 'dateTime',
			required: true,
			displayOptions: { show: { ...show, range: ['custom'] } },
			default: '',
			description: 'First moment not included; 2024-03-12 ends the range at midnight starting 12 March',
		},
		{
			displayName: 'Criteria',
			name: 'criteria',
			type: 'fixedCollection',
			placeholder: 'Add Criteria',
			typeOptions: { multipleValues: true },
			displayOptions,
			default: {},
			description: 'Limit the report to named Five9 objects, e.g. some campaigns or skills',
			options: [
				{
					displayName: 'Objects',
					name: 'objects',
					values: [
						{
							displayName: 'Object Type',
							name: 'objectType',
							type: 'options',
							options: OBJECT_TYPES.map((type) => ({ name: type.replace(/([a-z])([A-Z])/g, '$1 $2'), value: type })),
							default: 'Campaign',
						},
						...PICKED_OBJECTS.map(({ type, displayName, searchListMethod }) => pickedObjectField(type, displayName, searchListMethod)),
						{
							displayName: 'Names',
							name: 'objectNames',
							type: 'string',
							default: '',
							placeholder: 'Support Inbound, Sales Inbound',
							description: 'Comma-separated names, exactly as in Five9 (case-sensitive), besides or instead of one picked above',
						},
					],
				},
			],
		},
	];
}

/**
 * How a report is cut into runs and in which zone; read by the window plan (`plan.ts`). Adaptive
 * Windows is on from node version 1.2 when not set (`adaptiveWindowsOf`): a default only changes
 * with a version.
 */
export const reportRunOptionFields: INodeProperties[] = [
	{
		displayName: 'Adaptive Windows',
		name: 'adaptiveWindows',
		type: 'boolean',
		default: true,
		description:
			'Whether to read several days (or windows) in one report run while their rows stay well under the row cap, and fewer when a run comes back capped. Rows and files stay one per day, put into their day by the Timestamp Column. Nodes before version 1.2 read one day per run when this is not set.',
	},
	{
		displayName: 'Timestamp Column',
		name: 'timestampColumn',
		type: 'string',
		default: '',
		placeholder: 'TIMESTAMP',
		description:
			'With Adaptive Windows: the column whose date-time says which day a row belongs to (TIMESTAMP when empty, as in the Call Log). A report without it is read one day per run.',
	},
	{
		displayName: 'Window Hours',
		name: 'windowHours',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 24 },
		default: 24,
		description:
			'Size of each window (report run, unless Adaptive Windows reads several together). 24 is one calendar day of the report time zone; a busy domain can use smaller windows.',
	},
	timeZoneOptionField,
];

/**
 * How a report run is polled, waited for and read: developer settings, read back by
 * `runSettingsFrom` (helpers/runSettings.ts), whose `DEFAULT_RUN_SETTINGS` holds the same defaults.
 */
export const reportRunAdvancedFields: INodeProperties[] = [
	{
		displayName: 'Max Answer Size (MB)',
		name: 'maxAnswerMb',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 256,
		description:
			'Largest report answer read for one window. A larger one fails with the window named, instead of filling the memory; use smaller windows then.',
	},
	{
		displayName: 'Poll Timeout (Seconds)',
		name: 'pollTimeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 60 },
		default: 5,
		description: 'How long Five9 may hold each "is the report ready?" request. Five9 recommends at least 5.',
	},
	{
		displayName: 'Max Wait (Seconds)',
		name: 'maxWaitSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 600,
		description: 'Longest wait for one report run before the node gives up',
	},
	{
		displayName: 'Row Cap',
		name: 'rowCap',
		type: 'number',
		typeOptions: { minValue: 2 },
		default: DEFAULT_ROW_CAP,
		description:
			'Rows at which Five9 cuts a result off (50,000 unless Five9 changed it for your domain). A window that returns this many is run again in halves.',
	},
];
