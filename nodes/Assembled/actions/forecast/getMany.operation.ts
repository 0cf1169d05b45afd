import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { rowError } from '../../../shared/errors';
import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { locatorList } from '../../helpers/locators';
import { itemUnixSeconds, maxResults, rowsOf } from '../../helpers/planning';
import { withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { CHANNEL_OPTIONS, operationOptions, resourceLocator, returnAllAndLimit, timeRange } from '../common.descriptions';
import { unconfirmedNotice } from '../planning.descriptions';

const show = { resource: ['forecast'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	unconfirmedNotice(show, 'forecastGetManyNotice', false),
	...timeRange(show, 'Forecast intervals'),
	...returnAllAndLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		displayOptions: { show },
		default: {},
		options: [
			{
				displayName: 'Channel',
				name: 'channel',
				type: 'options',
				options: CHANNEL_OPTIONS,
				default: 'phone',
				description: 'Only forecasts of this channel',
			},
			{
				displayName: 'Interval',
				name: 'interval',
				type: 'options',
				options: [
					{ name: '30 Minutes', value: '30m' },
					{ name: '1 Day', value: '24h' },
					{ name: '1 Week', value: '1w' },
				],
				default: '30m',
				description: 'Length of each forecast interval, as Assembled\'s reports take it; left out, Assembled uses its own',
			},
			resourceLocator({
				displayName: 'Queue',
				name: 'queueIds',
				searchListMethod: 'searchQueues',
				description: 'Only forecasts of this queue. By ID takes several queue IDs separated by commas.',
				severalIds: true,
			}),
		],
	},
	...operationOptions(show),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new AssembledClient(this, clientOptionsFrom(settingsOf(this, 0)));
	return await runPerItem.call(this, async (itemIndex) => {
		const node = this.getNode();
		const start = itemUnixSeconds(this, 'startTime', 'Start', itemIndex);
		const end = itemUnixSeconds(this, 'endTime', 'End', itemIndex);
		if (end <= start) throw rowError(node, 'End must be after Start', 'invalidItem', { itemIndex });
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const queues = locatorList(filters.queueIds);
		const channel = typeof filters.channel === 'string' ? filters.channel : '';
		// Parameter names from the one public description there is (docs/assembled.md, "Forecasts").
		const qs: IDataObject = { start_time: start, end_time: end };
		if (queues.length) qs.queue_ids = queues.join(',');
		if (channel) qs.channel = channel;
		if (typeof filters.interval === 'string' && filters.interval) qs.interval = filters.interval;
		const body = await client.request<unknown>({ method: 'GET', path: '/v0/forecasts', qs }, itemIndex);
		// Should Assembled ignore a filter, rows that name another queue or channel are left out here.
		const wanted = new Set(queues);
		const rows = rowsOf(node, body, 'forecasts', [], 'forecasts', itemIndex).filter(
			(row) =>
				(wanted.size === 0 || row.queue_id === undefined || wanted.has(String(row.queue_id))) &&
				(!channel || row.channel === undefined || row.channel === channel),
		);
		return rows.slice(0, maxResults(this, itemIndex)).map(withIsoTimes);
	});
}
