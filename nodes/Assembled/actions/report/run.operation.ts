import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../../shared/errors';
import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import {
	filtersFrom,
	reportItems,
	reportPageSize,
	reportSettingsFrom,
	startReport,
	waitForReport,
	type ReportRequest,
} from '../../helpers/reports';
import { unixSecondsParameter } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { CHANNEL_OPTIONS, returnAllAndLimit, timeRange } from '../common.descriptions';
import { reportFilters, reportOptions } from './report.descriptions';

const show = { resource: ['report'], operation: ['run'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Report Type',
		name: 'reportType',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: 'Adherence', value: 'adherence', description: "How closely agents kept to their schedules" },
			{ name: 'Agent Ticket Stats', value: 'agent_ticket_stats', description: "Each agent's ticket statistics" },
		],
		default: 'adherence',
	},
	...timeRange(show),
	{
		displayName: 'Interval',
		name: 'interval',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: '1 Day', value: '24h' },
			{ name: '1 Week', value: '1w', description: 'Not confirmed by a working integration: try it on a short range first' },
			{ name: '30 Minutes', value: '30m' },
		],
		default: '24h',
		description: 'Length of each row\'s interval. Each agent also gets one row for the whole range (type "full_interval").',
	},
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		displayOptions: { show },
		options: CHANNEL_OPTIONS,
		default: 'phone',
		description:
			'The channel the report covers; run it once per channel for several. Phone and email are what working integrations use; the other channels are not confirmed for reports yet.',
	},
	...returnAllAndLimit(show),
	reportFilters(show),
	...reportOptions(show),
];

interface Started {
	reportId?: string;
	request?: ReportRequest;
	type?: string;
	error?: unknown;
}

/** A report type goes into the path: a name like Assembled's, nothing else. */
const REPORT_TYPE = /^[a-z][a-z0-9_]{0,63}$/;

function requestOf(ctx: IExecuteFunctions, itemIndex: number): { type: string; request: ReportRequest } {
	const type = String(ctx.getNodeParameter('reportType', itemIndex, 'adherence') ?? '').trim();
	if (!REPORT_TYPE.test(type)) {
		throw new NodeOperationError(ctx.getNode(), `"${type.slice(0, 40)}" is not a report type`, {
			itemIndex,
			description: 'Use adherence or agent_ticket_stats.',
		});
	}
	const start = unixSecondsParameter(ctx, 'startTime', 'Start', itemIndex);
	const end = unixSecondsParameter(ctx, 'endTime', 'End', itemIndex);
	if (end <= start) throw new NodeOperationError(ctx.getNode(), 'End must be after Start', { itemIndex });
	const interval = String(ctx.getNodeParameter('interval', itemIndex, '24h') ?? '').trim();
	const channel = String(ctx.getNodeParameter('channel', itemIndex, 'phone') ?? '').trim();
	if (!interval) throw new NodeOperationError(ctx.getNode(), 'Interval is empty', { itemIndex });
	if (!channel) throw new NodeOperationError(ctx.getNode(), 'Channel is empty', { itemIndex });
	// The body working integrations send (docs/assembled.md, "Reports"); filters are applied here.
	return { type, request: { start_time: start, end_time: end, interval, channel } };
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new AssembledClient(this, clientOptionsFrom(settingsOf(this, 0)));
	const items = this.getInputData();
	// Every item's report is started first, so Assembled builds them side by side while the first
	// is polled (as n8n's BigQuery node starts all its jobs before polling them).
	const started: Started[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const { type, request } = requestOf(this, itemIndex);
			started[itemIndex] = { type, request, reportId: await startReport(client, type, request, itemIndex) };
		} catch (error) {
			started[itemIndex] = { error };
			// The run stops at this item: start nothing after it.
			if (!this.continueOnFail()) break;
		}
	}
	return await runPerItem.call(this, async (itemIndex) => {
		const { reportId, request, type, error } = started[itemIndex] ?? {};
		if (error !== undefined) throw asNodeError(this.getNode(), error, itemIndex);
		if (!reportId || !request || !type) throw new NodeOperationError(this.getNode(), 'The report was not started', { itemIndex });
		const settings = settingsOf(this, itemIndex);
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const max = returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const filters = filtersFrom(this.getNodeParameter('filters', itemIndex, {}) as IDataObject);
		const pageSize = reportPageSize(max, filters);
		const label = `${type.replace(/_/g, ' ')} report`;
		const first = await waitForReport(client, reportId, reportSettingsFrom(settings), pageSize, itemIndex, label);
		return await reportItems(client, reportId, first, {
			max,
			pageSize,
			filters,
			agentDetails: settings.agentDetails !== false,
			source: { report_id: reportId, report_type: type, channel: request.channel, interval: request.interval },
			itemIndex,
		});
	});
}
