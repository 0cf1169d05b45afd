/**
 * Five9's request counters (docs/five9.md, "Limits"): `getCallCountersState` answers, per time
 * window (`limitTimeoutState.timeout`, seconds), how many requests of each operation type
 * (`callCounterState.operationType`) the domain sent (`value`) and may send (`limit`). The answer
 * does not say when a window started or resets, so the reset is estimated conservatively: at the
 * latest one window length after the answer.
 */
import type { Five9Client } from './client';
import { childElements, childText, type XmlElement } from './xml';

export interface CallCounter {
	/** `apiOperationType`: ReportRequest, RetrieveReport, Query, QueryStatistics, … */
	operationType: string;
	/** Requests already counted in the window (`value`). */
	used: number;
	limit: number;
	/** The window's length (`timeout`). */
	windowSeconds: number;
	/** When the window frees up at the latest: now + its length, as Five9 does not say. */
	resetsByMs: number;
	/** True while the reset time is an estimate (always, with the answer Five9 documents). */
	resetEstimated: boolean;
}

export interface CallCounters {
	/** When the answer was read. */
	readAtMs: number;
	counters: CallCounter[];
	/** Entries the parser could not use (no operation type, a value that is not a whole number). */
	skipped: number;
}

/** A non-negative whole number written as an `xs:long`, else undefined. */
function long(text: string | null | undefined): number | undefined {
	const trimmed = (text ?? '').trim();
	if (!/^\+?\d{1,15}$/.test(trimmed)) return undefined;
	return Number(trimmed);
}

/**
 * The counters of a `getCallCountersStateResponse` element (or of anything holding its `return`
 * elements). Unusable entries are counted in `skipped`, never guessed.
 */
export function parseCallCounters(response: XmlElement, readAtMs: number): CallCounters {
	const counters: CallCounter[] = [];
	let skipped = 0;
	for (const state of childElements(response, 'return')) {
		const windowSeconds = long(childText(state, 'timeout'));
		const entries = childElements(state, 'callCounterStates').filter((entry) => !entry.nil);
		if (windowSeconds === undefined || windowSeconds <= 0) {
			skipped += entries.length;
			continue;
		}
		for (const entry of entries) {
			const operationType = (childText(entry, 'operationType') ?? '').trim();
			const used = long(childText(entry, 'value'));
			const limit = long(childText(entry, 'limit'));
			if (!operationType || used === undefined || limit === undefined) {
				skipped += 1;
				continue;
			}
			counters.push({
				operationType,
				used,
				limit,
				windowSeconds,
				resetsByMs: readAtMs + windowSeconds * 1000,
				resetEstimated: true,
			});
		}
	}
	return { readAtMs, counters, skipped };
}

/** Reads the domain's counters. Five9 sets no limit on this request itself. */
export async function readCallCounters(client: Five9Client, itemIndex?: number): Promise<CallCounters> {
	const response = await client.call('admin', 'getCallCountersState', {}, { itemIndex });
	// The answer's own time, not the request's: the estimate of each reset only gets later.
	const readAtMs = Date.now();
	return parseCallCounters(response, readAtMs);
}
