import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { wallClockAt } from '../../../shared/time';
import { clientOptionsFrom, Five9Client } from '../../transport';
import { readCheckpoint, readWindowRate, writeWindowRate } from '../../helpers/checkpoint';
import { toCsv } from '../../helpers/csv';
import { WindowReader } from '../../helpers/adaptiveWindows';
import { QuotaGuard, quotaReserveFrom, quotaStopItem } from '../../helpers/quota';
import { quotaReserveField } from '../../helpers/quota.descriptions';
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
		quotaReserveField,
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
	const quota = new QuotaGuard(client);
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
			let stopped: IDataObject | undefined;
			// Each read is one report run (or a day split for the cap); a run of several days comes
			// back day by day, so files and the checkpoint stay one per day.
			const reader = new WindowReader(client, plan.request, windows, settings, buildRow, {
				timeZone: plan.timeZone,
				adaptive: plan.adaptive,
				timeColumn: plan.timeColumn,
				// A backfill's next run starts at the size its last run ended with, not at one day.
				rowsPerMs: checkpointName ? readWindowRate(this, checkpointName) : undefined,
				itemIndex,
			});
			while (!reader.done) {
				// A backfill stops green at the quota reserve; the checkpoint resumes it (helpers/quota.ts).
				const quotaStop = await quota.check({ percent: quotaReserveFrom(options), itemIndex });
				if (quotaStop) {
					stopped = quotaStopItem(quotaStop, { window: reader.nextWindow!, timeZone: plan.timeZone, checkpoint: checkpointName, windowsDone: reader.windowsDone });
					break;
				}
				for (const { window, header, rows, parts } of await reader.read()) {
					const csv = header.length ? toCsv(header, rows, { neutralizeFormulas: options.neutralizeFormulas !== false }) : '';
					const rowCount = rows.length;
					notes.add(window, plan.timeZone, rowCount, parts);
					const info: IDataObject = { ...windowInfo(window, plan.timeZone), split: parts > 1 };
					if (parts > 1) info.parts = parts;
					const fileName = fileNameFor(plan.request.reportName, window, plan.timeZone, info.date as string);
					const binary = await this.helpers.prepareBinaryData(Buffer.from(csv, 'utf8'), fileName, 'text/csv');
					// Emitted at once: if a later run fails, the finished days still go out (error output on).
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
			}
			notes.addReader(reader.stats);
			if (checkpointName && reader.rowsPerMs !== undefined) writeWindowRate(this, checkpointName, reader.rowsPerMs);
			return stopped ? [{ json: stopped }] : [];
		},
		{ asOutputs: true },
	);
	const hints = [...notes.hints(), ...quota.hints()];
	if (hints.length > 0) this.addExecutionHints(...hints);
	return output;
}
