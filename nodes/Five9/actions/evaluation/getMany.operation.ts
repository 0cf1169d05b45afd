import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { parse as parseCsv } from 'csv-parse/sync';

import { timestampParameter } from '../../../shared/parameters';
import { runPerItem } from '../../../shared/perItem';
import {
	columnMap,
	columnMappingProperty,
	evaluationSourceOptionsWithFile,
	fetchEvaluations,
	normalizeRows,
	type EvaluationBatch,
	type SourceSettings,
} from '../../helpers/evaluationSource';
import { EvaluationsApiClient } from '../../transport/evaluationsApi';

const show = { resource: ['evaluation'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		displayOptions: { show },
		options: evaluationSourceOptionsWithFile,
		default: 'report',
	},
	{
		displayName: 'Folder Name',
		name: 'folderName',
		type: 'string',
		displayOptions: { show: { ...show, source: ['report'] } },
		default: 'Quality Management Reports',
		description: 'Report folder in Five9, exactly as written there (names are case-sensitive)',
	},
	{
		displayName: 'Report Name',
		name: 'reportName',
		type: 'string',
		displayOptions: { show: { ...show, source: ['report'] } },
		default: 'AQM Evaluations',
		description: 'Your evaluation report in that folder, with one row per evaluation',
	},
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
		description: 'End of the range (exclusive). Five9 reports are run one calendar day at a time.',
	},
	columnMappingProperty({ ...show, source: ['report', 'file'] }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		displayOptions: { show },
		default: {},
		options: [
			{
				displayName: 'File Time Zone',
				name: 'fileTimeZone',
				type: 'string',
				default: '',
				placeholder: 'America/Los_Angeles',
				description:
					'Zone of times without an offset in the file (IANA name). Empty: the workflow’s time zone.',
			},
		],
	},
];

/** Rows of a CSV or JSON export: JSON may be an array, or an object with `items`/`evaluations`. */
export function rowsFromFile(buffer: Buffer, fileName: string | undefined, mimeType: string | undefined): IDataObject[] {
	const text = buffer.toString('utf8').replace(/^\uFEFF/, '');
	const looksJson = /json/i.test(mimeType ?? '') || /\.json$/i.test(fileName ?? '') || /^\s*[[{]/.test(text);
	if (looksJson) {
		const parsed = JSON.parse(text) as unknown;
		const rows = Array.isArray(parsed)
			? parsed
			: ((parsed as IDataObject).items ?? (parsed as IDataObject).evaluations ?? [parsed]);
		if (!Array.isArray(rows)) throw new Error('the JSON holds no list of evaluations');
		return rows as IDataObject[];
	}
	return parseCsv(text, { columns: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as IDataObject[];
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	let apiClient: EvaluationsApiClient | undefined;
	return await runPerItem.call(this, async (itemIndex) => {
		const source = this.getNodeParameter('source', itemIndex) as 'report' | 'api' | 'file';
		const columns = columnMap(this.getNodeParameter('columns', itemIndex, {}) as IDataObject);
		let batch: EvaluationBatch;
		if (source === 'file') {
			const property = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
			const binary = this.helpers.assertBinaryData(itemIndex, property);
			const buffer = await this.helpers.getBinaryDataBuffer(itemIndex, property);
			let rows: IDataObject[];
			try {
				rows = rowsFromFile(buffer, binary.fileName, binary.mimeType);
			} catch (error) {
				throw new NodeOperationError(this.getNode(), `The file ${binary.fileName ?? ''} could not be read: ${(error as Error).message}`, { itemIndex });
			}
			const zone = String((this.getNodeParameter('options.fileTimeZone', itemIndex, '') as string) || this.getTimezone());
			batch = normalizeRows(rows, columns, zone, 'file');
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
			// The report source runs one report per calendar day; the API source pages.
			batch = await fetchEvaluations(this, settings, start, end, apiClient);
		}
		if (batch.rejected.length > 0 && !this.continueOnFail()) {
			const [first] = batch.rejected;
			throw new NodeOperationError(this.getNode(), `Evaluation row could not be read: ${first.reasons.join('; ')}`, {
				itemIndex,
				description: `${batch.rejected.length} of ${batch.rejected.length + batch.evaluations.length} rows could not be read. Turn on "On Error → Continue (using error output)" to keep the others and route these with their reasons.`,
			});
		}
		// Rejected rows in the shape n8n routes to the error output, with their reasons.
		return [
			...batch.evaluations,
			...batch.rejected.map((rejected) => ({
				error: `Evaluation row could not be read: ${rejected.reasons.join('; ')}`,
				details: { reasons: rejected.reasons, row: rejected.row },
			})),
		];
	});
}
