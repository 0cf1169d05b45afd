import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

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
import { reportFields, reportRunOptionFields } from './report.descriptions';

const show = { resource: ['report'], operation: ['run'] };

export const description: INodeProperties[] = [
	...reportFields(show),
	operationOptions(show, [...conversionOptionFields, ...reportRunOptionFields]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new Five9Client(this, clientOptionsFrom(this.getNodeParameter('options', 0, {}) as IDataObject));
	const notes = new WindowNotes();
	const items = await runPerItem.call(this, async (itemIndex) => {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const { request, windows, timeZone } = await planWindows.call(this, client, options, itemIndex);
		const settings = runSettingsFrom(options);
		const buildRow = objectRows(convertOptionsFrom(options), timeZone, ['_window']);
		const output: IDataObject[] = [];
		for (const window of windows) {
			const result = await fetchWindow(client, request, window, settings, buildRow, itemIndex);
			notes.add(window, timeZone, result.rows.length, result.parts.length);
			const split = result.parts.length > 1;
			// One object per window, shared by its rows: the rows of a day say which day they are.
			const info: IDataObject = { ...windowInfo(window, timeZone), split };
			if (split) info.parts = result.parts.length;
			for (const row of result.rows) {
				row._window = info;
				output.push(row);
			}
		}
		return output;
	});
	const hints = notes.hints();
	if (hints.length > 0) this.addExecutionHints(...hints);
	return items;
}
