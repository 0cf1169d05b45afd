import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { clientOptionsFrom, Five9Client } from '../../transport';
import { fetchWindow } from '../../helpers/report';
import { runSettingsFrom } from '../../helpers/runSettings';
import { objectRows } from '../../helpers/rows';
import { convertOptionsFrom } from '../../helpers/values';
import { WindowNotes } from '../../helpers/windowHints';
import { windowInfo } from '../../helpers/windows';
import { conversionOptionFields, operationOptions } from '../common.descriptions';
import { planWindows } from './plan';
import { reportFields, reportRunAdvancedFields, reportRunOptionFields } from './report.descriptions';

const show = { resource: ['report'], operation: ['run'] };

const FLAT_WINDOW_KEYS = ['window_date', 'window_start', 'window_end', 'window_split'];

/** How a row reads: Five9's column names or snake_case, and where the window it came from goes. */
const rowShapeFields: INodeProperties[] = [
	{
		displayName: 'Column Names',
		name: 'columnNames',
		type: 'options',
		options: [
			{ name: 'As in Five9', value: 'five9', description: 'CALL ID, AGENT NAME, …' },
			{ name: 'Snake_case', value: 'snakeCase', description: 'Like call_id and agent_name: what tables and code expect' },
		],
		default: 'five9',
	},
	{
		displayName: 'Window Details',
		name: 'windowDetails',
		type: 'options',
		options: [
			{ name: 'None', value: 'none', description: 'Only the report’s columns' },
			{ name: 'Flat Fields', value: 'flat', description: 'Fields window_date, window_start, window_end and window_split on every row' },
			{ name: 'Nested Object', value: 'object', description: 'A _window object on every row (version 1’s output)' },
		],
		default: 'none',
		description: 'Which day (window) of the report each row came from. Version 1 of the node outputs the nested object when this is not set.',
	},
];

export const description: INodeProperties[] = [
	...reportFields(show),
	...operationOptions(show, [...conversionOptionFields, ...reportRunOptionFields, ...rowShapeFields], reportRunAdvancedFields),
];

type WindowDetails = 'none' | 'flat' | 'object';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new Five9Client(this, clientOptionsFrom(settingsOf(this, 0)));
	const notes = new WindowNotes();
	// Version 1 keeps its output: Five9's names in Five9's order and a nested _window on every row.
	const version1 = this.getNode().typeVersion < 1.1;
	const items = await runPerItem.call(this, async (itemIndex) => {
		const options = settingsOf(this, itemIndex);
		const { request, windows, timeZone } = await planWindows.call(this, client, options, itemIndex);
		const settings = runSettingsFrom(options);
		const details = (options.windowDetails as WindowDetails | undefined) ?? (version1 ? 'object' : 'none');
		const extraKeys = details === 'object' ? ['_window'] : details === 'flat' ? FLAT_WINDOW_KEYS : [];
		const buildRow = objectRows(convertOptionsFrom(options), timeZone, extraKeys, {
			snakeCase: options.columnNames === 'snakeCase',
			readableFirst: !version1,
		});
		const output: IDataObject[] = [];
		for (const window of windows) {
			const result = await fetchWindow(client, request, window, settings, buildRow, itemIndex);
			notes.add(window, timeZone, result.rows.length, result.parts.length);
			const split = result.parts.length > 1;
			// One object per window, shared by its rows: the rows of a day say which day they are.
			const info: IDataObject = { ...windowInfo(window, timeZone), split };
			if (split) info.parts = result.parts.length;
			for (const row of result.rows) {
				if (details === 'object') row._window = info;
				else if (details === 'flat') {
					row.window_date = info.date;
					row.window_start = info.start;
					row.window_end = info.end;
					row.window_split = split;
				}
				output.push(row);
			}
		}
		return output;
	});
	const hints = notes.hints();
	if (hints.length > 0) this.addExecutionHints(...hints);
	return items;
}
