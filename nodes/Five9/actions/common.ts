import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { DEFAULT_RETRY_POLICY } from '../../shared/retry';
import type { Five9ClientOptions } from '../transport';
import { DEFAULT_MAX_ANSWER_MB, DEFAULT_ROW_CAP, type ReportRequest, type RunSettings } from '../helpers/report';
import type { ConvertOptions } from '../helpers/values';
import type { RangeInput, RangeMode } from '../helpers/windows';

const number = (value: unknown, fallback: number) =>
	typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/** Retry and timeout options every Five9 operation offers under "Options". */
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

export const reportRunOptionFields: INodeProperties[] = [
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
		displayName: 'Window Hours',
		name: 'windowHours',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 24 },
		default: 24,
		description:
			'Size of each report run. 24 runs one calendar day (of the report time zone) at a time; a busy domain can use smaller windows.',
	},
	{
		displayName: 'Report Time Zone',
		name: 'timeZone',
		type: 'string',
		default: '',
		placeholder: 'America/Los_Angeles',
		description: 'Overrides the credential’s report time zone for this node',
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

export function clientOptionsFrom(options: IDataObject): Five9ClientOptions {
	return {
		retry: {
			maxRetries: Math.max(0, Math.floor(number(options.maxRetries, DEFAULT_RETRY_POLICY.maxRetries))),
			baseDelayMs: Math.max(0, number(options.retryDelayMs, 2000)),
			maxDelayMs: DEFAULT_RETRY_POLICY.maxDelayMs,
		},
		timeoutMs: Math.max(100, number(options.timeoutMs, 60_000)),
		timeZone: typeof options.timeZone === 'string' ? options.timeZone : undefined,
	};
}

export function runSettingsFrom(options: IDataObject): RunSettings {
	return {
		pollTimeoutSeconds: Math.min(60, Math.max(0, number(options.pollTimeoutSeconds, 5))),
		maxWaitMs: Math.max(1, number(options.maxWaitSeconds, 600)) * 1000,
		rowCap: Math.max(2, Math.floor(number(options.rowCap, DEFAULT_ROW_CAP))),
		maxAnswerBytes: Math.max(1, number(options.maxAnswerMb, DEFAULT_MAX_ANSWER_MB)) * 1024 * 1024,
	};
}

export function convertOptionsFrom(options: IDataObject): ConvertOptions {
	return {
		timestamps: options.convertTimestamps !== false,
		durations: options.durationsToSeconds !== false,
		numbers: options.numbersToNumbers !== false,
		emptyToNull: options.emptyToNull !== false,
		textColumns: String(options.textColumns ?? '')
			.split(',')
			.map((name) => name.trim())
			.filter(Boolean),
	};
}

export const OBJECT_TYPES = [
	'AgentGroup',
	'Campaign',
	'CampaignProfile',
	'CrmField',
	'Disposition',
	'List',
	'Prompt',
	'ReasonCode',
	'Skill',
	'User',
	'UserProfile',
	'IvrScript',
	'CallVariableGroup',
	'CallVariable',
	'Connector',
] as const;

/** Folder, report, range and criteria: shared by the operations that run reports. */
export function reportFields(show: NonNullable<IDisplayOptions['show']>): INodeProperties[] {
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
		{
			displayName: 'Range',
			name: 'range',
			type: 'options',
			displayOptions,
			options: [
				{ name: 'Custom', value: 'custom', description: 'From Start up to (not including) End' },
				{ name: 'Previous Days', value: 'previousDays', description: 'Whole days before today, e.g. 1 for yesterday' },
				{ name: 'Today So Far', value: 'today', description: 'From midnight until now' },
			],
			default: 'custom',
			description: 'Days are calendar days of the report time zone',
		},
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
			description: 'First moment included. A date or time without an offset is read in the report time zone.',
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
						{
							displayName: 'Names',
							name: 'objectNames',
							type: 'string',
							default: '',
							placeholder: 'Support Inbound, Sales Inbound',
							description: 'Comma-separated names, exactly as in Five9',
						},
					],
				},
			],
		},
	];
}

const reportRequestSchema = z.object({
	folderName: z.string().trim().min(1, 'Folder Name is empty'),
	reportName: z.string().trim().min(1, 'Report Name is empty'),
	reportObjects: z.array(
		z.object({
			objectType: z.enum(OBJECT_TYPES),
			objectNames: z.array(z.string().min(1)).min(1, 'an object criterion has no names'),
		}),
	),
});

export function readReportRequest(this: IExecuteFunctions, itemIndex: number): ReportRequest {
	const raw = this.getNodeParameter('criteria.objects', itemIndex, []) as Array<{ objectType?: string; objectNames?: string }>;
	const parsed = reportRequestSchema.safeParse({
		folderName: this.getNodeParameter('folderName', itemIndex, ''),
		reportName: this.getNodeParameter('reportName', itemIndex, ''),
		reportObjects: raw.map((entry) => ({
			objectType: entry.objectType,
			objectNames: String(entry.objectNames ?? '')
				.split(',')
				.map((name) => name.trim())
				.filter(Boolean),
		})),
	});
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new NodeOperationError(this.getNode(), `Report settings: ${issue.message}`, { itemIndex });
	}
	// Names are sent exactly as typed inside; only outer spaces are dropped.
	return parsed.data;
}

export function readRange(this: IExecuteFunctions, itemIndex: number): RangeInput {
	const mode = this.getNodeParameter('range', itemIndex, 'custom') as RangeMode;
	if (mode === 'previousDays') return { mode, days: this.getNodeParameter('days', itemIndex, 1) as number };
	if (mode === 'custom') {
		return {
			mode,
			start: this.getNodeParameter('start', itemIndex, '') as unknown,
			end: this.getNodeParameter('end', itemIndex, '') as unknown,
		};
	}
	return { mode };
}
