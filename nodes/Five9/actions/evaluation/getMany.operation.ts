import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { timeZoneOptions } from '../../../../credentials/Five9Api.credentials';
import { errorOutputItem } from '../../../shared/errors';
import { optionsCollection } from '../../../shared/options';
import { locatorText, timestampParameter } from '../../../shared/parameters';
import { runPerItem } from '../../../shared/perItem';
import { Five9Client } from '../../transport';
import { EvaluationsApiClient } from '../../transport/evaluationsApi';
import { fillAgentEmails } from '../../helpers/agentEmails';
import { EvaluationFileError, rowsFromFile, type FileRows } from '../../helpers/evaluationFile';
import { columnMap, fetchEvaluations, normalizeRows, type EvaluationBatch, type SourceSettings } from '../../helpers/evaluationSource';
import {
	columnNamesField,
	evaluationSourceFields,
	fillAgentEmailsField,
	five9LoginUnusedField,
} from '../../helpers/evaluationSource.descriptions';
import { directoryLocator } from '../common.descriptions';

const show = { resource: ['evaluation'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	...evaluationSourceFields(show, { withFile: true }),
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		displayOptions: { show: { ...show, source: ['file'] } },
		default: 'data',
		description: 'Binary field of the input item holding the CSV or JSON export',
	},
	{
		displayName: 'Evaluated From',
		name: 'start',
		type: 'dateTime',
		displayOptions: { show: { ...show, source: ['report', 'api'] } },
		default: '={{ $today.minus(1, "day").toISO() }}',
		description: 'Start of the range of evaluation times (inclusive)',
	},
	{
		displayName: 'Evaluated Until',
		name: 'end',
		type: 'dateTime',
		displayOptions: { show: { ...show, source: ['report', 'api'] } },
		default: '={{ $today.toISO() }}',
		description: 'End of the range (exclusive). The Five9 report is run once for the whole range while it fits under the row cap, else in fewer days per run.',
	},
	// The evaluations API has its own credential; filling there would need a Five9 login as well.
	fillAgentEmailsField({ ...show, source: ['report', 'file'] }),
	five9LoginUnusedField(show),
	columnNamesField({ ...show, source: ['report', 'file'] }),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		displayOptions: { show },
		default: {},
		options: [
			directoryLocator({
				displayName: 'Agent',
				name: 'agent',
				searchListMethod: 'searchUsers',
				description: 'Only evaluations of this agent, by Five9 user name (the Five9 login is used for the list)',
				placeholder: 'e.g. jane.doe@example.com',
			}),
		],
	},
	// No transport options: the sources keep their clients' own defaults.
	optionsCollection(
		show,
		[
			{
				displayName: 'File Time Zone',
				name: 'fileTimeZone',
				type: 'options',
				options: timeZoneOptions('Workflow’s Time Zone'),
				default: '',
				description: 'Zone of times without an offset in the file',
			},
		],
		[],
	),
];

/** A row that went to no evaluation: unreadable in the file, or without what an evaluation needs. */
interface BadRow {
	reasons: string[];
	/** The row by column, or the cells of a file row whose cells could not be put under columns. */
	row: IDataObject | string[];
	rowNumber?: number;
	line?: number;
}

const where = (bad: BadRow) =>
	bad.rowNumber === undefined ? '' : `Row ${bad.rowNumber}${bad.line === undefined ? '' : ` (line ${bad.line})`} of the file. `;

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	let apiClient: EvaluationsApiClient | undefined;
	// One Five9 client for every item: one login, and one user list for the emails.
	let five9: Five9Client | undefined;
	let filled = 0;
	const unmatched = new Set<string>();
	const output = await runPerItem.call(this, async (itemIndex) => {
		const source = this.getNodeParameter('source', itemIndex) as 'report' | 'api' | 'file';
		const columns = columnMap(this.getNodeParameter('columns', itemIndex, {}) as IDataObject);
		let batch: EvaluationBatch;
		let bad: BadRow[];
		if (source === 'file') {
			const property = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
			const binary = this.getInputData()[itemIndex]?.binary?.[property];
			// Typically the node reading the file found none, or may not read its folder.
			if (!binary) {
				throw new NodeOperationError(this.getNode(), `No file to read: the input item has no binary field "${property}"`, {
					itemIndex,
					description:
						'Check the file path in the node that reads the file, and that n8n may read that folder (N8N_RESTRICT_FILE_ACCESS_TO).',
				});
			}
			const buffer = await this.helpers.getBinaryDataBuffer(itemIndex, property);
			let file: FileRows;
			try {
				file = rowsFromFile(buffer, binary.fileName, binary.mimeType, columns);
			} catch (error) {
				if (error instanceof EvaluationFileError) {
					throw new NodeOperationError(this.getNode(), error.message, {
						itemIndex,
						description: `File: ${binary.fileName ?? property}. Nothing of it was read.`,
					});
				}
				throw new NodeOperationError(this.getNode(), `The file ${binary.fileName ?? ''} could not be read: ${(error as Error).message}`, { itemIndex });
			}
			const zone = String((this.getNodeParameter('options.fileTimeZone', itemIndex, '') as string) || this.getTimezone());
			batch = normalizeRows(file.rows, columns, zone, 'file', file.places);
			bad = [...file.unreadable.map(({ cells, ...rest }) => ({ ...rest, row: cells })), ...batch.rejected];
			// In file order, so the first bad row named is the first in the file.
			bad.sort((a, b) => (a.rowNumber ?? 0) - (b.rowNumber ?? 0));
		} else {
			const start = timestampParameter(this, 'start', 'Evaluated From', itemIndex);
			const end = timestampParameter(this, 'end', 'Evaluated Until', itemIndex);
			if (end <= start) throw new NodeOperationError(this.getNode(), 'Evaluated Until must be after Evaluated From', { itemIndex });
			const settings: SourceSettings = {
				source,
				folderName: String(this.getNodeParameter('folderName', itemIndex, '')),
				reportName: String(this.getNodeParameter('reportName', itemIndex, '')),
				columns,
			};
			if (source === 'api') apiClient ??= new EvaluationsApiClient(this);
			else five9 ??= new Five9Client(this);
			// The report source runs the whole range in one report while it fits under the row cap; the API source pages.
			batch = await fetchEvaluations(this, settings, start, end, { api: apiClient, five9 });
			bad = batch.rejected;
		}
		if (bad.length > 0 && !this.continueOnFail()) {
			const [first] = bad;
			throw new NodeOperationError(this.getNode(), `Evaluation row could not be read: ${first.reasons.join('; ')}`, {
				itemIndex,
				description: `${where(first)}${bad.length} of ${bad.length + batch.evaluations.length} rows could not be read. Turn on "On Error → Continue (using error output)" to keep the others and route these with their reasons.`,
			});
		}
		const agentFilter = locatorText((this.getNodeParameter('filters', itemIndex, {}) as IDataObject).agent).toLowerCase();
		const evaluations = agentFilter ? batch.evaluations.filter((evaluation) => evaluation.agent_username?.toLowerCase() === agentFilter) : batch.evaluations;
		if (source !== 'api' && this.getNodeParameter('fillAgentEmails', itemIndex, false) === true) {
			five9 ??= new Five9Client(this);
			const fill = await fillAgentEmails(five9, evaluations, itemIndex);
			filled += fill.filled;
			for (const agent of fill.unmatched) unmatched.add(agent);
		}
		// Bad rows are row-level error items: the run goes on with the others.
		return [
			...evaluations,
			...bad.map(({ reasons, row, rowNumber, line }) =>
				errorOutputItem(
					new NodeOperationError(this.getNode(), `Evaluation row could not be read: ${reasons.join('; ')}`, { itemIndex }),
					'unreadableRow',
					itemIndex,
					{ reasons, row, ...(rowNumber === undefined ? {} : { rowNumber }), ...(line === undefined ? {} : { line }) },
				),
			),
		];
	});
	if (filled > 0) {
		this.addExecutionHints({
			message: `${filled} agent email${filled === 1 ? ' was' : 's were'} filled from the Five9 user list`,
			type: 'info',
			location: 'outputPane',
		});
	}
	if (unmatched.size > 0) {
		const names = [...unmatched];
		this.addExecutionHints({
			message: `Not in the Five9 user list, or listed there without an email, so left without agent_email: ${names
				.slice(0, 10)
				.join(', ')}${names.length > 10 ? ` and ${names.length - 10} more` : ''}`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return output;
}
