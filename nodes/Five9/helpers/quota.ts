/**
 * The quota reserve (docs/five9.md, "Quota reserve" and "Limits"). Five9 counts a domain's
 * requests per operation type over several windows and refuses more with
 * OperationsLimitExceededFault until a window frees up. A long report run or a backfill could use
 * all of it and leave the 5-minute live sync failing for hours, so before each report run of a
 * backfill, or of a run that takes several, the node reads the counters (`getCallCountersState`,
 * itself not limited, at most once per report run) and leaves *Quota Reserve (%)* of every limit
 * its report runs count against unused:
 *
 * - a backfill (Get Day Files) stops before the window that would dip into the reserve and says
 *   where and why in one item; its checkpoint holds what it finished, so the next run resumes;
 * - a run that cannot stop halfway (Report → Run, the evaluation report source) fails before
 *   starting windows it cannot finish within what is left;
 * - a counter whose window is short (5 minutes or less) is waited out once instead.
 *
 * Counters that cannot be read leave the run as it was before this check existed (with a hint).
 */
import type { IDataObject, NodeExecutionHint } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { asNodeError } from '../../shared/errors';
import { dateInZone, formatInZone } from '../../shared/time';
import { isLoginError, readCallCounters, type CallCounter, type CallCounters, type Five9Client } from '../transport';
import type { ReportWindow } from './windows';

export const DEFAULT_QUOTA_RESERVE_PERCENT = 25;

/** A reserve above this would leave a backfill nothing to run with. */
export const MAX_QUOTA_RESERVE_PERCENT = 90;

/**
 * What one report window counts against: `runReport` is a ReportRequest, `getReportResultCsv` a
 * RetrieveReport (the reference's `apiOperationType` examples). `isReportRunning` has no type there.
 */
export const REPORT_OPERATION_TYPES: readonly string[] = ['ReportRequest', 'RetrieveReport'];

/** A counter whose window is this short (seconds) is waited out rather than ending the run. */
export const SHORT_WINDOW_SECONDS = 300;

/** Quota Reserve (%) of an item's settings, within its field's bounds; 0 turns the check off. */
export function quotaReserveFrom(options: IDataObject): number {
	const raw = options.quotaReservePercent;
	const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
	if (!Number.isFinite(value)) return DEFAULT_QUOTA_RESERVE_PERCENT;
	return Math.min(MAX_QUOTA_RESERVE_PERCENT, Math.max(0, value));
}

/** Requests of a limit kept for other workflows: rounded up, so a reserve is never zero by rounding. */
export function reserveOf(limit: number, percent: number): number {
	return Math.ceil((limit * percent) / 100);
}

export interface QuotaShortfall {
	counter: CallCounter;
	/** Requests of this limit kept for other workflows. */
	reserve: number;
	/** Requests the run may still send in this window without touching the reserve. */
	available: number;
	/** Requests the run wanted to send in this window. */
	need: number;
}

/**
 * The counters of `types` that cannot take `need(counter)` more requests without dipping into
 * the reserve. A counter without a positive limit restricts nothing.
 */
export function quotaShortfalls(
	counters: CallCounter[],
	types: readonly string[],
	percent: number,
	need: (counter: CallCounter) => number,
): QuotaShortfall[] {
	const shortfalls: QuotaShortfall[] = [];
	for (const counter of counters) {
		if (!types.includes(counter.operationType) || counter.limit <= 0) continue;
		const reserve = reserveOf(counter.limit, percent);
		const available = Math.max(0, counter.limit - reserve - counter.used);
		const wanted = need(counter);
		if (wanted > available) shortfalls.push({ counter, reserve, available, need: wanted });
	}
	return shortfalls;
}

/** The counter that stops a run: the one that frees up last, since the run can go on only then. */
function decisive(shortfalls: QuotaShortfall[]): QuotaShortfall {
	return shortfalls.reduce((latest, next) => (next.counter.resetsByMs > latest.counter.resetsByMs ? next : latest));
}

/** `86400` → "24-hour", `3600` → "1-hour", `60` → "1-minute", `45` → "45-second". */
export function windowName(seconds: number): string {
	if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600}-hour`;
	if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60}-minute`;
	return `${seconds}-second`;
}

export interface QuotaStop {
	/** The counter that stopped the run. */
	stop: QuotaShortfall;
	/** Every counter short at that moment, the stopping one included. */
	all: QuotaShortfall[];
	percent: number;
}

/** A counter as an output item or a message shows it. */
export function counterFacts(shortfall: QuotaShortfall, timeZone: string): IDataObject {
	const { counter, reserve } = shortfall;
	return {
		operationType: counter.operationType,
		used: counter.used,
		limit: counter.limit,
		reserve,
		windowSeconds: counter.windowSeconds,
		resetsBy: formatInZone(counter.resetsByMs, timeZone),
		resetEstimated: counter.resetEstimated,
	};
}

function counterWords(shortfall: QuotaShortfall, percent: number, timeZone: string): string {
	const { counter, reserve } = shortfall;
	return (
		`Five9's ${counter.operationType} counter is at ${counter.used} of ${counter.limit} in its ${windowName(counter.windowSeconds)} window, ` +
		`and ${reserve} (${percent}%) are kept for other workflows such as the live sync; ` +
		`that window frees up by ${formatInZone(counter.resetsByMs, timeZone)}` +
		(counter.resetEstimated ? ' at the latest (estimated: Five9 gives only the window’s length)' : '')
	);
}

/**
 * The item a backfill ends with when the reserve stops it: where it stopped, which counter stopped
 * it and when that counter frees up. It has no `_window`, so Mark Days as Done passes it by.
 */
export function quotaStopItem(
	quota: QuotaStop,
	at: { window: ReportWindow; timeZone: string; checkpoint?: string; windowsDone: number },
): IDataObject {
	const date = dateInZone(at.window.startMs, at.timeZone);
	const resume = at.checkpoint
		? `The next run continues from checkpoint "${at.checkpoint}" at ${date}.`
		: 'Without Resume From Checkpoint, the next run starts again at the beginning of the range.';
	return {
		stoppedBy: 'quotaReserve',
		message: `Stopped before ${date} to keep the quota reserve: ${counterWords(quota.stop, quota.percent, at.timeZone)}. ${resume}`,
		stoppedAt: date,
		stoppedAtTime: formatInZone(at.window.startMs, at.timeZone),
		windowsDone: at.windowsDone,
		checkpoint: at.checkpoint || null,
		reservePercent: quota.percent,
		counter: counterFacts(quota.stop, at.timeZone),
		...(quota.all.length > 1 ? { otherCounters: quota.all.filter((s) => s !== quota.stop).map((s) => counterFacts(s, at.timeZone)) } : {}),
	};
}

export interface QuotaCheck {
	/** Quota Reserve (%); 0 checks nothing and reads nothing. */
	percent: number;
	itemIndex?: number;
	/** Requests per operation type the rest of the run needs in a long window (1: just the next window). */
	need?: number;
}

/**
 * One per execution: reads the counters when a check asks (at most once per check, plus once
 * after waiting out a short window) and remembers when they cannot be read or guard nothing.
 */
export class QuotaGuard {
	private off?: 'unreadable' | 'unlimited';
	private unreadableReason = '';
	private readonly waits: string[] = [];

	constructor(
		private readonly client: Five9Client,
		private readonly types: readonly string[] = REPORT_OPERATION_TYPES,
	) {}

	/**
	 * Before a report window: whether the next one may start. Undefined to go on; a QuotaStop when
	 * it would dip into the reserve of a long window (or of a short one still full after waiting).
	 */
	async check({ percent, itemIndex, need = 1 }: QuotaCheck): Promise<QuotaStop | undefined> {
		if (percent <= 0 || this.off) return undefined;
		const perCounter = (counter: CallCounter) => (counter.windowSeconds <= SHORT_WINDOW_SECONDS ? 1 : need);
		let counters = await this.read(itemIndex);
		if (!counters) return undefined;
		let shortfalls = quotaShortfalls(counters.counters, this.types, percent, perCounter);
		if (shortfalls.length > 0 && shortfalls.every((s) => s.counter.windowSeconds <= SHORT_WINDOW_SECONDS)) {
			const waitSeconds = Math.max(...shortfalls.map((s) => s.counter.windowSeconds));
			const { counter } = decisive(shortfalls);
			this.waits.push(`${counter.operationType} ${windowName(counter.windowSeconds)}`);
			await sleep(waitSeconds * 1000 + 500);
			counters = await this.read(itemIndex);
			if (!counters) return undefined;
			shortfalls = quotaShortfalls(counters.counters, this.types, percent, perCounter);
		}
		if (shortfalls.length === 0) return undefined;
		return { stop: decisive(shortfalls), all: shortfalls, percent };
	}

	/**
	 * For a run that cannot stop halfway: throws before a window when the rest of the run
	 * (`need` windows) would dip into the reserve.
	 */
	async mustFit(check: QuotaCheck & { timeZone: string; what: string }): Promise<void> {
		const quota = await this.check(check);
		if (!quota) return;
		const need = check.need ?? 1;
		throw new NodeOperationError(
			this.client.node,
			`This run would exceed the quota reserve: ${check.what} needs ${need} more report run${need === 1 ? '' : 's'}, and ${counterWords(quota.stop, quota.percent, check.timeZone)}`,
			{
				itemIndex: check.itemIndex,
				description:
					'No further report window was started. Run a shorter range, run again after that time, read long ranges with Get Day Files and a checkpoint (it stops at the reserve and resumes on its own), or lower Quota Reserve (%) in the node options (0 turns the check off).',
			},
		);
	}

	hints(): NodeExecutionHint[] {
		const hints: NodeExecutionHint[] = [];
		if (this.off === 'unreadable') {
			hints.push({
				message: `Five9’s request counters could not be read (${this.unreadableReason}), so this run kept no quota reserve.`,
				type: 'warning',
				location: 'outputPane',
			});
		}
		if (this.waits.length > 0) {
			hints.push({
				message: `Waited ${this.waits.length} time${this.waits.length === 1 ? '' : 's'} for a short Five9 request window to free up, keeping the quota reserve (${[...new Set(this.waits)].join(', ')}).`,
				type: 'info',
				location: 'outputPane',
			});
		}
		return hints;
	}

	private async read(itemIndex?: number): Promise<CallCounters | undefined> {
		let counters: CallCounters;
		try {
			counters = await readCallCounters(this.client, itemIndex);
		} catch (error) {
			// A wrong login fails the report itself with the same message; anything else only costs the check.
			if (isLoginError(error)) throw asNodeError(this.client.node, error, itemIndex);
			this.off = 'unreadable';
			this.unreadableReason = (error as Error).message ?? String(error);
			return undefined;
		}
		// Limits do not appear during a run: with none for the run's types there is nothing to read again.
		if (!counters.counters.some((c) => this.types.includes(c.operationType) && c.limit > 0)) {
			this.off = 'unlimited';
			return undefined;
		}
		return counters;
	}
}
