/**
 * Quality evaluations from the source a node names: a Five9 report, the provisional evaluations
 * API (docs/five9.md, "Evaluations") or the rows of an export file, normalized alike.
 */
import type { IDataObject, IExecuteFunctions, IPollFunctions } from 'n8n-workflow';

import { Five9Client } from '../transport';
import { EvaluationsApiClient } from '../transport/evaluationsApi';
import { QuotaGuard, DEFAULT_QUOTA_RESERVE_PERCENT } from './quota';
import { WindowReader } from './adaptiveWindows';
import { DEFAULT_RUN_SETTINGS } from './runSettings';
import { splitIntoWindows } from './windows';
import {
	DEFAULT_EVALUATION_COLUMNS,
	fieldsFromApiItem,
	fieldsFromRow,
	normalizeEvaluation,
	type ColumnMap,
	type Evaluation,
	type EvaluationField,
} from './evaluation';

export type EvaluationSourceKind = 'report' | 'api';

export interface RejectedRow {
	reasons: string[];
	row: IDataObject;
	/** For a file row: its number among the data rows and the line it starts on. */
	rowNumber?: number;
	line?: number;
}

export interface EvaluationBatch {
	evaluations: Evaluation[];
	rejected: RejectedRow[];
}

/**
 * Every row of a Five9 report for [fromMs, toMs): all days of the range in one run when they fit
 * under the row cap; a capped run is read again in half as many days per run, down to one
 * calendar day of the report time zone, which fetchWindow splits in halves (adaptiveWindows.ts).
 * Rows are keyed by column name, cells as text.
 */
async function readReportRows(
	client: Five9Client,
	settings: { folderName: string; reportName: string; quotaReservePercent?: number },
	fromMs: number,
	toMs: number,
): Promise<{ rows: IDataObject[]; timeZone: string }> {
	const { timeZone } = await client.settings();
	const request = { folderName: settings.folderName, reportName: settings.reportName, reportObjects: [] };
	const rows: IDataObject[] = [];
	const windows = splitIntoWindows(fromMs, toMs, timeZone, 24);
	const quota = new QuotaGuard(client);
	const reader = new WindowReader(
		client,
		request,
		windows,
		DEFAULT_RUN_SETTINGS,
		(header) => (record) => {
			const row: IDataObject = {};
			header.forEach((name, index) => (row[name] = record[index] ?? null));
			return row;
		},
		// The rows are merged anyway: no day needs its own run, nor a timestamp column.
		{ timeZone, adaptive: true, merged: true, firstRunWindows: windows.length },
	);
	while (!reader.done) {
		// Not resumable within a poll: fail before windows the quota reserve cannot take (quota.ts).
		const percent = settings.quotaReservePercent ?? DEFAULT_QUOTA_RESERVE_PERCENT;
		// A poll read in one run is the live sync the reserve is for: only a read of several runs is held to it.
		if (reader.runsLeft() > 1 || reader.windowsDone > 0) await quota.mustFit({ percent, need: reader.runsLeft(), timeZone, what: 'this read of the evaluation report' });
		for (const block of await reader.read()) for (const row of block.rows) rows.push(row);
	}
	return { rows, timeZone };
}

/** The column of each evaluation field: the node's "Column Names" overrides over the defaults. */
export function columnMap(overrides: IDataObject | undefined): ColumnMap {
	const map = { ...DEFAULT_EVALUATION_COLUMNS } as ColumnMap;
	for (const [field, column] of Object.entries(overrides ?? {})) {
		if (field in map && typeof column === 'string' && column.trim()) map[field as EvaluationField] = column.trim();
	}
	return map;
}

/**
 * Normalizes rows of a report or an export file; what cannot be normalized is kept with its reasons
 * (and its place in the file, when `places` gives one per row).
 */
export function normalizeRows(
	rows: IDataObject[],
	columns: ColumnMap,
	timeZone: string,
	source: 'report' | 'file',
	places?: Array<{ rowNumber: number; line: number }>,
): EvaluationBatch {
	const batch: EvaluationBatch = { evaluations: [], rejected: [] };
	rows.forEach((row, index) => {
		const result = normalizeEvaluation(fieldsFromRow(row, columns), source, timeZone, true);
		if (result.ok) batch.evaluations.push(result.evaluation);
		else batch.rejected.push({ reasons: result.reasons, row, ...places?.[index] });
	});
	return batch;
}

export interface SourceSettings {
	source: EvaluationSourceKind;
	folderName: string;
	reportName: string;
	columns: ColumnMap;
	pageLimit?: number;
	/** Quota Reserve (%) for reads of several report windows (quota.ts); 25 when not set. */
	quotaReservePercent?: number;
}

/** Clients a caller keeps across items or calls (one login, one user list per execution). */
export interface SourceClients {
	api?: EvaluationsApiClient;
	five9?: Five9Client;
}

/** Evaluations with evaluated_at in [fromMs, toMs), from the chosen source. */
export async function fetchEvaluations(
	ctx: IExecuteFunctions | IPollFunctions,
	settings: SourceSettings,
	fromMs: number,
	toMs: number,
	clients: SourceClients = {},
): Promise<EvaluationBatch> {
	if (settings.source === 'api') {
		const api = clients.api ?? new EvaluationsApiClient(ctx);
		const items = await api.list(fromMs, toMs, settings.pageLimit ?? 100);
		const batch: EvaluationBatch = { evaluations: [], rejected: [] };
		for (const item of items) {
			const result = normalizeEvaluation(fieldsFromApiItem(item), 'api', 'UTC', false);
			if (result.ok) batch.evaluations.push(result.evaluation);
			else batch.rejected.push({ reasons: result.reasons, row: item });
		}
		return batch;
	}
	const { rows, timeZone } = await readReportRows(clients.five9 ?? new Five9Client(ctx), settings, fromMs, toMs);
	const batch = normalizeRows(rows, settings.columns, timeZone, 'report');
	// A report window is by interaction or evaluation day; keep exactly the asked range.
	batch.evaluations = batch.evaluations.filter((e) => {
		const at = Date.parse(e.evaluated_at);
		return at >= fromMs && at < toMs;
	});
	return batch;
}
