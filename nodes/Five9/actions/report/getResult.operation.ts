import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { clientOptionsFrom, Five9Client } from '../../transport';
import { parseReportCsv } from '../../helpers/csv';
import { fetchResultCsv } from '../../helpers/report';
import { runSettingsFrom } from '../../helpers/runSettings';
import { objectRows } from '../../helpers/rows';
import { convertOptionsFrom } from '../../helpers/values';
import { conversionOptionFields, operationOptions } from '../common.descriptions';
import { reportRunAdvancedFields, reportRunOptionFields } from './report.descriptions';

const show = { resource: ['report'], operation: ['getResult'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Report Identifier',
		name: 'identifier',
		type: 'string',
		required: true,
		displayOptions: { show },
		default: '',
		placeholder: '095BE6486ACC24E04rt1.c.ie.o260BA@8pC028Fs5l4f4vF97c8m',
		description: 'What Five9’s runReport returned, for a report started elsewhere by the same Five9 user',
	},
	// A run started elsewhere has its windows already: Window Hours has nothing to cut.
	...operationOptions(
		show,
		[...conversionOptionFields, ...reportRunOptionFields.filter((field) => field.name !== 'windowHours')],
		reportRunAdvancedFields,
	),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new Five9Client(this, clientOptionsFrom(settingsOf(this, 0)));
	return await runPerItem.call(this, async (itemIndex) => {
		const identifier = String(this.getNodeParameter('identifier', itemIndex, '')).trim();
		if (!identifier) throw new NodeOperationError(this.getNode(), 'Report Identifier is empty', { itemIndex });
		const options = settingsOf(this, itemIndex);
		const settings = runSettingsFrom(options);
		const { timeZone } = await client.settings();
		const csv = await fetchResultCsv(client, identifier, settings, Date.now(), itemIndex);
		const parsed = parseReportCsv(csv, objectRows(convertOptionsFrom(options), timeZone, ['_report']));
		if (!parsed.ok) {
			throw new NodeApiError(this.getNode(), { message: parsed.reason }, {
				message: `Five9 sent report data that is not valid CSV — report ${identifier}`,
				description: `The CSV reader said: ${parsed.reason}. Nothing was output.`,
				itemIndex,
			});
		}
		const rows = parsed.rows;
		// A result can't be split after the fact: say when it may have been cut off.
		const report: IDataObject = { identifier, rowCount: rows.length, possiblyTruncated: rows.length >= settings.rowCap };
		for (const row of rows) row._report = report;
		return rows;
	});
}
