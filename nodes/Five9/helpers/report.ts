/**
 * One report window end to end (docs/five9.md, "Reports"): runReport → long-poll isReportRunning →
 * getReportResultCsv → parse. A window that comes back with the row cap is run again in halves,
 * recursively, so nothing is silently truncated.
 */
import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { asNodeError } from '../../shared/errors';
import { formatInZone } from '../../shared/time';
import { childElement, childText, faultNameOf, isLoginError, type Five9Client, type XmlValue } from '../transport';
import { parseReportCsv, type ParsedCsv } from './csv';
import type { RunSettings } from './runSettings';
import { halves, windowLabel, type ReportWindow } from './windows';

/** The kinds of Five9 object report criteria can name: `wsObjectType` (docs/five9.md, "Reports"). */
export const OBJECT_TYPES = [
	'AgentGroup',
	'Campaign',
	'CampaignProfile',
	'CrmField',
	'Disposition',
	'List',
	'Prompt',
	'ReasonCode',
	'Skill',
	'User',
	'UserProfile',
	'IvrScript',
	'CallVariableGroup',
	'CallVariable',
	'Connector',
] as const;

export interface ReportObjects {
	objectType: string;
	objectNames: string[];
}

export interface ReportRequest {
	folderName: string;
	reportName: string;
	reportObjects: ReportObjects[];
}

/** Never poll faster than this, even if a server ignores the long-poll timeout. */
const MIN_POLL_INTERVAL_MS = 200;

/** Below this a capped window is not split further (one second of calls cannot be cut). */
const MIN_SPLIT_MS = 2_000;

export interface WindowPart<T> {
	window: ReportWindow;
	header: string[];
	rows: T[];
}

export interface WindowResult<T> {
	header: string[];
	rows: T[];
	/** The runs the window took: one unless it hit the cap and was split. */
	parts: ReportWindow[];
	/** runReport calls made for the window, capped ones included. */
	runs: number;
	/** With `split: false`: the one run came back with the row cap, and no rows are returned. */
	capped?: boolean;
}

/** Adds which window failed to an error's message, keeping its type. */
export function inWindow(error: unknown, node: INode, label: string, itemIndex?: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (!isLoginError(error) && !error.message.includes(label)) error.message = `${error.message} — window ${label}`;
		return error;
	}
	return new NodeOperationError(node, `${(error as Error)?.message ?? String(error)} — window ${label}`, { itemIndex });
}

function criteria(request: ReportRequest, window: ReportWindow, timeZone: string): Record<string, XmlValue> {
	return {
		folderName: request.folderName,
		reportName: request.reportName,
		criteria: {
			reportObjects: request.reportObjects.length
				? request.reportObjects.map((objects) => ({ objectNames: objects.objectNames, objectType: objects.objectType }))
				: undefined,
			// The XSD orders `end` before `start`; Five9 reads both with their offset (docs/five9.md, "Reports").
			time: { end: formatInZone(window.endMs, timeZone), start: formatInZone(window.startMs, timeZone) },
		},
	};
}

/** Polls isReportRunning until Five9 says the run is finished. */
export async function waitForReport(
	client: Five9Client,
	identifier: string,
	settings: RunSettings,
	startedAt: number,
	itemIndex?: number,
): Promise<void> {
	const timeoutSeconds = Math.max(0, Math.floor(settings.pollTimeoutSeconds));
	for (;;) {
		const pollStarted = Date.now();
		const response = await client.call(
			'admin',
			'isReportRunning',
			{ identifier, timeout: timeoutSeconds },
			{ itemIndex, timeoutMs: Math.max(client.timeoutMs, timeoutSeconds * 1000 + 15_000) },
		);
		const running = (childText(response, 'return') ?? '').trim().toLowerCase();
		if (running === 'false') return;
		if (running !== 'true') {
			throw new NodeApiError(client.node, { message: 'Unexpected isReportRunning answer' }, {
				message: `Five9 answered isReportRunning with "${running.slice(0, 40)}" instead of true or false`,
				itemIndex,
			});
		}
		if (Date.now() - startedAt >= settings.maxWaitMs) {
			throw new NodeApiError(client.node, { message: 'Report still running' }, {
				message: `The Five9 report was still running after ${Math.round(settings.maxWaitMs / 1000)} seconds`,
				description:
					'Raise "Max Wait (Seconds)" in the node options, or use smaller windows (option "Window Hours") so each run has less to do.',
				itemIndex,
			});
		}
		const elapsed = Date.now() - pollStarted;
		if (elapsed < MIN_POLL_INTERVAL_MS) await sleep(MIN_POLL_INTERVAL_MS - elapsed);
	}
}

/**
 * Fetches the CSV of a finished run as UTF-8 bytes; "not ready yet" sends it back to polling.
 * Bytes rather than text: the parser reads bytes anyway, and the text can go before parsing starts.
 */
export async function fetchResultCsv(
	client: Five9Client,
	identifier: string,
	settings: RunSettings,
	startedAt: number,
	itemIndex?: number,
): Promise<Buffer> {
	for (;;) {
		await waitForReport(client, identifier, settings, startedAt, itemIndex);
		try {
			const response = await client.call(
				'admin',
				'getReportResultCsv',
				{ identifier },
				{
					itemIndex,
					bulkText: 'return',
					maxBytes: settings.maxAnswerBytes,
					tooLarge: (maxBytes) =>
						client.apiError(
							`Five9's answer for this report window is larger than ${Math.round(maxBytes / 1048576)} MB`,
							'Nothing of it was read. Use smaller windows (option "Window Hours"), or raise "Max Answer Size (MB)" if the machine has the memory.',
							{ itemIndex },
						),
				},
			);
			const result = childElement(response, 'return');
			const bytes = result?.bytes ?? Buffer.from(result?.text ?? '', 'utf8');
			// The element would keep a second copy of the report alive while it is parsed.
			if (result) result.text = '';
			return bytes;
		} catch (error) {
			if (faultNameOf(error) !== 'ResultIsNotReadyFault' || Date.now() - startedAt >= settings.maxWaitMs) {
				throw asNodeError(client.node, error, itemIndex);
			}
		}
	}
}

/** One runReport for exactly this window, returning Five9's CSV. */
export async function runReportCsv(
	client: Five9Client,
	request: ReportRequest,
	window: ReportWindow,
	settings: RunSettings,
	itemIndex?: number,
): Promise<Buffer> {
	const { timeZone } = await client.settings();
	const startedAt = Date.now();
	const response = await client.call('admin', 'runReport', criteria(request, window, timeZone), { itemIndex });
	const identifier = (childText(response, 'return') ?? '').trim();
	if (!identifier) {
		throw new NodeApiError(client.node, { message: 'No report identifier' }, {
			message: 'Five9 started the report but sent no identifier for it',
			itemIndex,
		});
	}
	return await fetchResultCsv(client, identifier, settings, startedAt, itemIndex);
}

/**
 * Everything of one window: run, parse, and when the result has `rowCap` rows (Five9's silent
 * truncation) run both halves instead, down to two-second windows. With `split: false` a capped
 * run is not split but answered `capped` (the adaptive reader picks a smaller window itself).
 */
export async function fetchWindow<T>(
	client: Five9Client,
	request: ReportRequest,
	window: ReportWindow,
	settings: RunSettings,
	rowBuilder: (header: string[]) => (record: string[]) => T,
	itemIndex?: number,
	options: { split?: boolean } = {},
): Promise<WindowResult<T>> {
	const { timeZone } = await client.settings();
	const node = client.node;
	const parts: Array<WindowPart<T>> = [];
	let runs = 0;
	let capped = false;

	const fetchPart = async (part: ReportWindow): Promise<void> => {
		const label = windowLabel(part, timeZone);
		let csv: Buffer | undefined;
		runs += 1;
		try {
			csv = await runReportCsv(client, request, part, settings, itemIndex);
		} catch (error) {
			throw inWindow(error, node, label, itemIndex);
		}
		let parsed: ParsedCsv<T> | undefined = parseReportCsv(csv, rowBuilder);
		csv = undefined;
		if (!parsed.ok) {
			throw new NodeApiError(node, { message: parsed.reason }, {
				message: `Five9 sent report data that is not valid CSV — window ${label}`,
				description: `The CSV reader said: ${parsed.reason}. Nothing of this window was output. Run again; if it persists, try smaller windows or check the report in Five9.`,
				itemIndex,
			});
		}
		if (parsed.rows.length >= settings.rowCap) {
			if (options.split === false) {
				capped = true;
				return;
			}
			if (part.endMs - part.startMs < MIN_SPLIT_MS) {
				throw new NodeApiError(node, { message: 'Row cap reached' }, {
					message: `Five9 returned its row cap (${settings.rowCap}) for a window of under two seconds — window ${label}`,
					description: 'The window cannot be split further. Check "Row Cap" in the node options matches your domain’s limit.',
					itemIndex,
				});
			}
			parsed = undefined;
			const [first, second] = halves(part);
			await fetchPart(first);
			await fetchPart(second);
			return;
		}
		parts.push({ window: part, header: parsed.header, rows: parsed.rows });
	};

	await fetchPart(window);
	if (capped) return { header: [], rows: [], parts: [window], runs, capped };

	const withHeader = parts.find((part) => part.header.length > 0);
	const header = withHeader?.header ?? [];
	for (const part of parts) {
		if (part.header.length > 0 && part.header.join('\u0000') !== header.join('\u0000')) {
			throw new NodeApiError(node, { message: 'Columns changed' }, {
				message: `The report's columns changed between the halves of a split window — window ${windowLabel(window, timeZone)}`,
				description: 'Someone may have edited the report in Five9 during the run. Run again.',
				itemIndex,
			});
		}
	}
	if (parts.length === 1) return { header, rows: parts[0].rows, parts: [parts[0].window], runs };
	const rows: T[] = [];
	for (const part of parts) for (const row of part.rows) rows.push(row);
	return { header, rows, parts: parts.map((part) => part.window), runs };
}
