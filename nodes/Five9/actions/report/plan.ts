import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Five9Client } from '../../transport';
import type { ReportRequest } from '../../helpers/report';
import { resolveRange, splitIntoWindows, type ReportWindow } from '../../helpers/windows';
import { readRange, readReportRequest } from './report.readers';

export interface WindowPlan {
	request: ReportRequest;
	windows: ReportWindow[];
	timeZone: string;
	/** Where the range starts before any checkpoint is applied. */
	rangeStartMs: number;
	/** Read several windows per report run when they fit (helpers/adaptiveWindows.ts). */
	adaptive: boolean;
	/** The column that puts a row into its window; empty: TIMESTAMP. */
	timeColumn: string;
}

/** The version from which Adaptive Windows is on when not set (Five9.node.ts). */
export const ADAPTIVE_FROM_VERSION = 1.2;

/** Adaptive Windows of an item: as set, else on from node version 1.2 (earlier nodes keep one run per window). */
export function adaptiveWindowsOf(options: IDataObject, typeVersion: number): boolean {
	return typeof options.adaptiveWindows === 'boolean' ? options.adaptiveWindows : typeVersion >= ADAPTIVE_FROM_VERSION;
}

/** Reads folder, report and range of one item and cuts the range into report windows. */
export async function planWindows(
	this: IExecuteFunctions,
	client: Five9Client,
	options: IDataObject,
	itemIndex: number,
	resumeFromMs?: number,
): Promise<WindowPlan> {
	const request = readReportRequest.call(this, itemIndex);
	const { timeZone } = await client.settings();
	const range = resolveRange(readRange.call(this, itemIndex), Date.now(), timeZone);
	if (!range.ok) {
		throw new NodeOperationError(this.getNode(), range.reason, {
			itemIndex,
			description: 'Dates may be ISO 8601 (2024-03-09 or 2024-03-09T06:00:00-08:00), unix seconds or milliseconds.',
		});
	}
	const startMs = resumeFromMs !== undefined ? Math.max(range.startMs, resumeFromMs) : range.startMs;
	const windowHours = typeof options.windowHours === 'number' ? options.windowHours : 24;
	let windows: ReportWindow[];
	try {
		windows = startMs < range.endMs ? splitIntoWindows(startMs, range.endMs, timeZone, windowHours) : [];
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex });
	}
	return {
		request,
		windows,
		timeZone,
		rangeStartMs: range.startMs,
		adaptive: adaptiveWindowsOf(options, this.getNode().typeVersion),
		timeColumn: String(options.timestampColumn ?? '').trim(),
	};
}
