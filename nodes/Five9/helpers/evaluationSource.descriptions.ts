/**
 * Where evaluations come from, declared once for the Five9 node's Evaluation → Get Many and the
 * Five9 Evaluation Trigger: Source, Folder Name, Report Name, the Column Names overrides and Fill
 * Agent Emails From Five9. Here
 * rather than under `actions/`, since the trigger may use its node's helpers only. `show` holds the
 * node's resource and operation; the trigger has none.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { sortedOptions } from '../../shared/options';
import { DEFAULT_EVALUATION_COLUMNS, type EvaluationField } from './evaluation';
import type { Show } from '../../shared/options';

const REPORT_AND_API_SOURCES: INodePropertyOptions[] = [
	{
		name: 'Five9 Report',
		value: 'report',
		description: 'A QM/AQM evaluation report you named in Five9 (Configuration Web Services)',
	},
	{
		name: 'Evaluations API (Provisional)',
		value: 'api',
		description:
			'An endpoint implementing the provisional evaluations contract in the README; Five9 documents no evaluations API',
	},
];

const FILE_SOURCE: INodePropertyOptions = {
	name: 'File (CSV or JSON)',
	value: 'file',
	description: 'An AQM export in the input item’s binary data',
};

/** Source, Folder Name and Report Name; only the node has input items to read an export file from. */
export function evaluationSourceFields(show: Show, { withFile }: { withFile: boolean }): INodeProperties[] {
	const reportSource = { show: { ...show, source: ['report'] } };
	return [
		{
			displayName: 'Source',
			name: 'source',
			type: 'options',
			...(Object.keys(show).length > 0 ? { displayOptions: { show } } : {}),
			options: withFile ? [...REPORT_AND_API_SOURCES, FILE_SOURCE] : REPORT_AND_API_SOURCES,
			default: 'report',
		},
		{
			displayName: 'Folder Name',
			name: 'folderName',
			type: 'string',
			displayOptions: reportSource,
			default: 'Quality Management Reports',
			description: 'Report folder in Five9, exactly as written there (names are case-sensitive)',
		},
		{
			displayName: 'Report Name',
			name: 'reportName',
			type: 'string',
			displayOptions: reportSource,
			default: 'AQM Evaluations',
			description: 'Your evaluation report in that folder, with one row per evaluation',
		},
	];
}

/** Column overrides for the sources read by column name, one per normalized field. */
export function columnNamesField(show: Show): INodeProperties {
	return {
		displayName: 'Column Names',
		name: 'columns',
		type: 'collection',
		placeholder: 'Override a column name',
		description: 'Names of the columns in your evaluation report or export, when they differ from the defaults',
		displayOptions: { show },
		default: {},
		options: sortedOptions(
			(Object.entries(DEFAULT_EVALUATION_COLUMNS) as Array<[EvaluationField, string]>).map(([field, column]) => ({
				displayName: field
					.split('_')
					.map((part) => (part === 'id' ? 'ID' : part.charAt(0).toUpperCase() + part.slice(1)))
					.join(' '),
				name: field,
				type: 'string',
				default: column,
			})),
		),
	};
}

/** Read back as `fillAgentEmails` by both nodes; the lookup is `fillAgentEmails` (agentEmails.ts). */
export function fillAgentEmailsField(show: Show): INodeProperties {
	return {
		displayName: 'Fill Agent Emails From Five9',
		name: 'fillAgentEmails',
		type: 'boolean',
		// A literal, so the Five9 credential's visibility (five9LoginUnusedField) follows it.
		noDataExpression: true,
		displayOptions: { show },
		default: false,
		description:
			'Whether to fill a missing agent email from Five9’s user list, by the agent’s Five9 user name or user ID. One Five9 request (getUsersGeneralInfo) per run or poll, only when some evaluation has no email. Agents Five9 does not know keep no email.',
	};
}

/**
 * Present exactly when the node reads a file without filling emails; the node's Five9 credential
 * hides on it. Credential display rules cannot say "file and not filling" themselves (`show`
 * requires every parameter to match, `hide` any one), and a file needs no Five9 login otherwise.
 */
export function five9LoginUnusedField(show: Show): INodeProperties {
	return {
		displayName: 'Five9 Login Unused',
		name: 'five9LoginUnused',
		type: 'hidden',
		displayOptions: { show: { ...show, source: ['file'], fillAgentEmails: [false] } },
		default: true,
	};
}
