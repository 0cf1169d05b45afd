import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { filtersFrom, reportItems, reportPageSize, reportSettingsFrom, waitForReport } from '../../helpers/reports';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { returnAllAndLimit } from '../common.descriptions';
import { reportFilters, reportOptions } from './report.descriptions';

const show = { resource: ['report'], operation: ['get'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Report ID',
		name: 'reportId',
		type: 'string',
		required: true,
		displayOptions: { show },
		default: '',
		placeholder: 'e.g. 7c9e6679-7425-40de-944b-e07fc1f90ae7',
		description:
			'The ID of a report started earlier, e.g. by Report → Run that gave up waiting (its error names the ID). Waits for it like Run does.',
	},
	...returnAllAndLimit(show),
	reportFilters(show),
	...reportOptions(show),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new AssembledClient(this, clientOptionsFrom(settingsOf(this, 0)));
	return await runPerItem.call(this, async (itemIndex) => {
		const reportId = String(this.getNodeParameter('reportId', itemIndex, '') ?? '').trim();
		if (!reportId) throw new NodeOperationError(this.getNode(), 'Report ID is empty', { itemIndex });
		const settings = settingsOf(this, itemIndex);
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const max = returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const filters = filtersFrom(this.getNodeParameter('filters', itemIndex, {}) as IDataObject);
		const pageSize = reportPageSize(max, filters);
		const first = await waitForReport(client, reportId, reportSettingsFrom(settings), pageSize, itemIndex);
		return await reportItems(client, reportId, first, {
			max,
			pageSize,
			filters,
			agentDetails: settings.agentDetails !== false,
			source: { report_id: reportId },
			itemIndex,
		});
	});
}
