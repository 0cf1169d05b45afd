import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { wallClockAt } from '../../../shared/time';
import { clientOptionsFrom, Five9Client } from '../../transport';
import { readCheckpoint } from '../../helpers/checkpoint';
import { toCsv } from '../../helpers/csv';
import { fetchWindow } from '../../helpers/report';
import { runSettingsFrom } from '../../helpers/runSettings';
import { arrayRows } from '../../helpers/rows';
import { convertOptionsFrom } from '../../helpers/values';
import { WindowNotes } from '../../helpers/windowHints';
import { windowInfo, type ReportWindow } from '../../helpers/windows';
import { conversionOptionFields, operationOptions } from '../common.descriptions';
import { planWindows } from './plan';
import { reportFields, reportRunAdvancedFields, reportRunOptionFields } from './report.descriptions';

const show = { resource: ['report'], operation: ['getWindowFiles'] };

export const description: INodeProperties[] = [
	...reportFields(show),
	...operationOptions(show, [
		{
			displayName: 'Resume From Checkpoint',
			name: 'checkpoint',
			type: 'string',
			default: '',
			placeholder: 'call-log-backfill',
			description:
				'Name of a checkpoint kept by a "Mark Days as Done" node of this workflow. Windows it already covers are skipped, so a stopped backfill continues where it stopped.',
		},
		{
			displayName: 'Max Windows per Run',
			name: 'maxWindows',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Stop after this many windows (0 = all). With a checkpoint, the next run continues from there.',
		},
		{
			displayName: 'Neutralize Spreadsheet Formulas',
			name: 'neutralizeFormulas',
			type: 'boolean',
			default: true,
			description:
				'Whether cells a spreadsheet would run as formulas (starting with =, +, -, @, a tab or a carriage return) get a leading apostrophe. Plain numbers such as -5 or +15551234567 are kept.',
		},
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			hint: 'The name of the output binary field to put the file in',
		},
		...conversionOptionFields,
		...reportRunOptionFields,
	], reportRunAdvancedFields),
];

function slug(text: string): string {
	const cleaned = text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
	return cleaned || 'report';
}

function fileNameFor(reportName: string, window: ReportWindow, timeZone: string, date: string): string {
	const wall = wallClockAt(window.startMs, timeZone);
	const wholeDayStart = wall.hour === 0 && wall.minute === 0 && wall.second === 0;
	const suffix = wholeDayStart ? '' : `T${String(wall.hour).padStart(2, '0')}${String(wall.minute).padStart(2, '0')}`;
	return `${slug(reportName)}-${date}${suffix}.csv`;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new Five9Client(this, clientOptionsFrom(settingsOf(this, 0)));
	const notes = new WindowNotes();
	const output = await runPerItem.call(
		this,
		async (itemIndex, emit) => {
			const options = settingsOf(this, itemIndex);
			const checkpointName = String(options.checkpoint ?? '').trim();
			const resumeFrom = checkpointName ? readCheckpoint(this, checkpointName)?.throughMs : undefined;
			const plan = await planWindows.call(this, client, options, itemIndex, resumeFrom);
			const maxWindows = typeof options.maxWindows === 'number' && options.maxWindows > 0 ? Math.floor(options.maxWindows) : 0;
			const windows = maxWindows ? plan.windows.slice(0, maxWindows) : plan.windows;
			const settings = runSettingsFrom(options);
			const buildRow = arrayRows(convertOptionsFrom(options), plan.timeZone);
			const binaryProperty = String(options.binaryPropertyName ?? 'data').trim() || 'data';
			for (const window of windows) {
				const result = await fetchWindow(client, plan.request, window, settings, buildRow, itemIndex);
				const csv = result.header.length
					? toCsv(result.header, result.rows, { neutralizeFormulas: options.neutralizeFormulas !== false })
					: '';
				const rowCount = result.rows.length;
				const parts = result.parts.length;
				notes.add(window, plan.timeZone, rowCount, parts);
				const info: IDataObject = { ...windowInfo(window, plan.timeZone), split: parts > 1 };
				if (parts > 1) info.parts = parts;
				const fileName = fileNameFor(plan.request.reportName, window, plan.timeZone, info.date as string);
				const binary = await this.helpers.prepareBinaryData(Buffer.from(csv, 'utf8'), fileName, 'text/csv');
				// Emitted at once: if a later window fails, the finished ones still go out (error output on).
				emit({
					json: {
						folderName: plan.request.folderName,
						reportName: plan.request.reportName,
						rowCount,
						fileName,
						...(checkpointName ? { checkpoint: checkpointName } : {}),
						_window: info,
					},
					binary: { [binaryProperty]: binary },
				});
			}
			return [];
		},
		{ asOutputs: true },
	);
	const hints = notes.hints();
	if (hints.length > 0) this.addExecutionHints(...hints);
	return output;
}
