import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { clientOptionsFrom, Five9Client } from '../../transport';
import { WindowReader } from '../../helpers/adaptiveWindows';
import { QuotaGuard, quotaReserveFrom } from '../../helpers/quota';
import { quotaReserveField } from '../../helpers/quota.descriptions';
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
	...operationOptions(show, [...conversionOptionFields, ...reportRunOptionFields, ...rowShapeFields, quotaReserveField], reportRunAdvancedFields),
];

type WindowDetails = 'none' | 'flat' | 'object';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new Five9Client(this, clientOptionsFrom(settingsOf(this, 0)));
	const notes = new WindowNotes();
	const quota = new QuotaGuard(client);
	// Version 1 keeps its output: Five9's names in Five9's order and a nested _window on every row.
	const version1 = this.getNode().typeVersion < 1.1;
	const items = await runPerItem.call(this, async (itemIndex) => {
		const options = settingsOf(this, itemIndex);
		const { request, windows, timeZone, adaptive, timeColumn } = await planWindows.call(this, client, options, itemIndex);
		const settings = runSettingsFrom(options);
		const details = (options.windowDetails as WindowDetails | undefined) ?? (version1 ? 'object' : 'none');
		const extraKeys = details === 'object' ? ['_window'] : details === 'flat' ? FLAT_WINDOW_KEYS : [];
		const buildRow = objectRows(convertOptionsFrom(options), timeZone, extraKeys, {
			snakeCase: options.columnNames === 'snakeCase',
			readableFirst: !version1,
		});
		const output: IDataObject[] = [];
		// Each read is one report run (or a window split for the cap); its rows come back day by day.
		const reader = new WindowReader(client, request, windows, settings, buildRow, { timeZone, adaptive, timeColumn, itemIndex });
		while (!reader.done) {
			// Not resumable: fail before windows the quota reserve cannot take (helpers/quota.ts).
			if (windows.length > 1) await quota.mustFit({ percent: quotaReserveFrom(options), need: reader.runsLeft(), itemIndex, timeZone, what: 'the rest of this report' });
			for (const { window, rows, parts } of await reader.read()) {
				notes.add(window, timeZone, rows.length, parts);
				const split = parts > 1;
				// One object per window, shared by its rows: the rows of a day say which day they are.
				const info: IDataObject = { ...windowInfo(window, timeZone), split };
				if (split) info.parts = parts;
				for (const row of rows) {
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
		}
		notes.addReader(reader.stats);
		return output;
	});
	const hints = [...notes.hints(), ...quota.hints()];
	if (hints.length > 0) this.addExecutionHints(...hints);
	return items;
}
