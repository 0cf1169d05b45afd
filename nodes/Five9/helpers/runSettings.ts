/**
 * How long a report run may take, how it is polled and how much of it is read: the settings an
 * operation asks for (Options in version 1, Advanced later), and the values used when one is not set.
 */
import type { IDataObject } from 'n8n-workflow';
import { numberOr } from '../../shared/options';

export interface RunSettings {
	/** Seconds Five9 may hold each isReportRunning call (its long-poll timeout). */
	pollTimeoutSeconds: number;
	/** Longest wait for one report run to finish. */
	maxWaitMs: number;
	/** Rows at which Five9 truncates a result (50,000 by default). */
	rowCap: number;
	/** Largest report answer read for one window (bytes). */
	maxAnswerBytes: number;
}

export const DEFAULT_ROW_CAP = 50_000;

/** A 50,000-row Call Log window is about 15 MB; this leaves room for very wide reports. */
export const DEFAULT_MAX_ANSWER_MB = 256;

/**
 * What a run uses when an option is not set: the same values as the defaults of
 * `reportRunAdvancedFields` (`actions/report/report.descriptions.ts`); a unit test keeps the two equal.
 */
export const DEFAULT_RUN_SETTINGS: RunSettings = {
	// Five9 recommends holding each poll at least 5 seconds.
	pollTimeoutSeconds: 5,
	maxWaitMs: 600_000,
	rowCap: DEFAULT_ROW_CAP,
	maxAnswerBytes: DEFAULT_MAX_ANSWER_MB * 1024 * 1024,
};


/** The run settings an operation asks for (`settingsOf`), each kept within its field's bounds. */
export function runSettingsFrom(options: IDataObject): RunSettings {
	const defaults = DEFAULT_RUN_SETTINGS;
	return {
		pollTimeoutSeconds: Math.min(60, Math.max(0, numberOr(options.pollTimeoutSeconds, defaults.pollTimeoutSeconds))),
		maxWaitMs: Math.max(1, numberOr(options.maxWaitSeconds, defaults.maxWaitMs / 1000)) * 1000,
		rowCap: Math.max(2, Math.floor(numberOr(options.rowCap, defaults.rowCap))),
		maxAnswerBytes: Math.max(1, numberOr(options.maxAnswerMb, DEFAULT_MAX_ANSWER_MB)) * 1024 * 1024,
	};
}
