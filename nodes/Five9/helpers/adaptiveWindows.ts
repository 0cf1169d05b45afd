/**
 * Adaptive report windows (docs/five9.md, "Adaptive windows"). A range stays cut into the windows
 * the node outputs — calendar days of the report time zone, or Window Hours pieces — but
 * consecutive windows are read in one report run while their rows stay well under the row cap:
 * after each run the reader predicts the next run's rows from the rows per hour it saw. A run that
 * comes back with the cap is dropped and its windows read again in half as many per run, down to
 * one window, which `fetchWindow` splits in halves as before. The rows of a run go back into their
 * windows by the report's timestamp column; a report without one is read one window per run.
 */
import { zoneOffsetMs } from '../../shared/time';
import type { Five9Client } from '../transport';
import { fetchWindow, type ReportRequest } from './report';
import type { RunSettings } from './runSettings';
import { timestampReader } from './values';
import type { ReportWindow } from './windows';

/** A run below this share of the row cap lets the next one cover more windows. */
export const GROW_BELOW = 0.4;
/** The share of the row cap a grown run is sized for: room for days busier than the last run's. */
export const TARGET_FILL = 0.75;
/** A run above this share of the row cap makes the next one cover fewer windows. */
export const SHRINK_ABOVE = 0.9;

/** The column that dates a row when none is named: the Call Log family's event time. */
export const DEFAULT_TIME_COLUMN = 'TIMESTAMP';

const HOUR_MS = 3_600_000;

export interface ReaderOptions {
	timeZone: string;
	/** Read several windows per run. Off: one run per window (split in halves when capped). */
	adaptive: boolean;
	/** Column whose date-time puts a row into its window; empty: `TIMESTAMP`. */
	timeColumn?: string;
	/** Windows the first run covers (default 1). */
	firstRunWindows?: number;
	/** Rows per millisecond an earlier run of the same backfill saw: the first run is sized from it. */
	rowsPerMs?: number;
	/**
	 * Return a run's rows as one block (its window is the run's span) instead of window by window:
	 * for callers that merge all rows anyway, so no timestamp column is needed.
	 */
	merged?: boolean;
	itemIndex?: number;
}

/** The rows of one output window. */
export interface WindowRows<T> {
	window: ReportWindow;
	header: string[];
	rows: T[];
	/** Report runs whose rows make up the window: more than 1 when it was read alone and split for the cap. */
	parts: number;
}

export interface ReaderStats {
	/** Output windows read. */
	windows: number;
	/** runReport calls, capped ones included. */
	reportRuns: number;
	/** Runs that covered more than one window. */
	groupedRuns: number;
	/** Runs dropped because they came back with the row cap. */
	cappedRuns: number;
	/** Why the reader went back to one window per run, if it did. */
	fallback?: string;
}

type RowBuilder<T> = (header: string[]) => (record: string[]) => T;

/** Reads `windows` in as few report runs as the row cap allows; call `read()` until `done`. */
export class WindowReader<T> {
	readonly stats: ReaderStats = { windows: 0, reportRuns: 0, groupedRuns: 0, cappedRuns: 0 };
	private next = 0;
	/** Windows the next run covers. */
	private size: number;
	/** Rows per millisecond in the last run that was read. */
	private rate: number | undefined;
	private grouping: boolean;
	private readonly timeColumn: string;
	private readonly readTimestamp: (value: string) => string | undefined;
	// Filled while a run is parsed (see `builderFor`).
	private times: number[] = [];
	private undated = 0;
	private columnFound = true;
	private readonly safeBoundaries = new Map<number, boolean>();

	constructor(
		private readonly client: Five9Client,
		private readonly request: ReportRequest,
		private readonly windows: ReportWindow[],
		private readonly settings: RunSettings,
		private readonly rowBuilder: RowBuilder<T>,
		private readonly options: ReaderOptions,
	) {
		this.grouping = options.adaptive && windows.length > 1;
		this.size = Math.max(1, Math.floor(options.firstRunWindows ?? 1));
		this.timeColumn = (options.timeColumn ?? '').trim() || DEFAULT_TIME_COLUMN;
		this.readTimestamp = timestampReader(options.timeZone);
		if (this.grouping && options.rowsPerMs !== undefined && options.rowsPerMs >= 0) {
			this.rate = options.rowsPerMs;
			this.size = Math.max(this.size, this.balancedCount());
		}
	}

	/** Rows per millisecond of the last run read (or the one given), for the next run of a backfill. */
	get rowsPerMs(): number | undefined {
		return this.grouping ? this.rate : undefined;
	}

	get done(): boolean {
		return this.next >= this.windows.length;
	}

	/** Output windows finished so far (all of them read, whatever the runs). */
	get windowsDone(): number {
		return this.next;
	}

	/** The first window the next run reads, if any is left. */
	get nextWindow(): ReportWindow | undefined {
		return this.windows[this.next];
	}

	/**
	 * Report runs the rest is expected to take: one per window left when windows are read alone, or
	 * before an adaptive read has seen any rows (unless its first run covers several); else as many
	 * as the planned windows per run need.
	 */
	runsLeft(): number {
		const remaining = this.windows.length - this.next;
		if (remaining <= 0) return 0;
		if (!this.grouping || (this.rate === undefined && this.size <= 1)) return remaining;
		return Math.ceil(remaining / Math.max(1, this.size));
	}

	/** The next report run's windows, in order, each with its rows (one block when `merged`). */
	async read(): Promise<Array<WindowRows<T>>> {
		for (;;) {
			const count = this.grouping ? this.countForNextRun() : 1;
			if (count <= 1) return [await this.readOne()];
			const rows = await this.readGroup(count);
			if (rows) return rows;
		}
	}

	/** One window on its own; a capped result is split in halves by `fetchWindow`. */
	private async readOne(): Promise<WindowRows<T>> {
		const window = this.windows[this.next];
		this.undated = 0;
		this.columnFound = true;
		const result = await fetchWindow(
			this.client,
			this.request,
			window,
			this.settings,
			this.builderFor(window),
			this.options.itemIndex,
		);
		this.stats.reportRuns += result.runs;
		this.stats.cappedRuns += result.runs - result.parts.length;
		this.stats.windows += 1;
		this.next += 1;
		if (this.grouping) {
			const reason = this.undatedReason(result.rows.length);
			if (reason) this.stopGrouping(reason);
			else this.learn(result.rows.length, window, 1);
		}
		this.times = [];
		return { window, header: result.header, rows: result.rows, parts: result.parts.length };
	}

	/** `count` windows in one run; undefined when the run was dropped and the windows must be read again. */
	private async readGroup(count: number): Promise<Array<WindowRows<T>> | undefined> {
		const group = this.windows.slice(this.next, this.next + count);
		const run: ReportWindow = { startMs: group[0].startMs, endMs: group[group.length - 1].endMs };
		this.undated = 0;
		this.columnFound = true;
		const result = await fetchWindow(this.client, this.request, run, this.settings, this.builderFor(run), this.options.itemIndex, {
			split: false,
		});
		this.stats.reportRuns += result.runs;
		if (result.capped) {
			this.stats.cappedRuns += 1;
			this.size = Math.max(1, Math.floor(count / 2));
			return undefined;
		}
		if (!this.options.merged) {
			const reason = this.undatedReason(result.rows.length);
			if (reason) {
				// Rows that cannot be put into their windows: read these windows again, one per run.
				this.stopGrouping(reason);
				return undefined;
			}
		}
		this.stats.groupedRuns += 1;
		this.stats.windows += this.options.merged ? 1 : group.length;
		this.next += group.length;
		this.learn(result.rows.length, run, group.length);
		if (this.options.merged) return [{ window: run, header: result.header, rows: result.rows, parts: 1 }];
		return this.intoWindows(group, result.header, result.rows);
	}

	/** Puts each row into the window its time falls in (`times` holds them in row order). */
	private intoWindows(group: ReportWindow[], header: string[], rows: T[]): Array<WindowRows<T>> {
		const out = group.map((window) => ({ window, header, rows: [] as T[], parts: 1 }));
		const times = this.times;
		let at = 0;
		for (let i = 0; i < rows.length; i++) {
			const time = times[i];
			// Rows usually come in time order: look from the last window first.
			if (time < group[at].startMs || time >= group[at].endMs) at = windowIndex(group, time);
			out[at].rows.push(rows[i]);
		}
		this.times = [];
		return out;
	}

	/**
	 * The row builder, wrapped (while grouping, window by window) so each row's time is read from
	 * Five9's own text in the timestamp column, whatever the conversion options.
	 */
	private builderFor(span: ReportWindow): RowBuilder<T> {
		if (!this.grouping || this.options.merged) return this.rowBuilder;
		return (header) => {
			const build = this.rowBuilder(header);
			const wanted = this.timeColumn.toUpperCase();
			const column = header.findIndex((name) => name.trim().toUpperCase() === wanted);
			const times: number[] = [];
			this.times = times;
			this.columnFound = column >= 0;
			if (column < 0) return build;
			return (record) => {
				const time = this.instantIn(record[column] ?? '', span);
				if (Number.isNaN(time)) this.undated += 1;
				times.push(time);
				return build(record);
			};
		};
	}

	/**
	 * The instant a cell names, if it is a date-time inside `span`; NaN otherwise. On the night
	 * clocks go back Five9 writes the repeated hour twice without an offset, and it reads as the first
	 * (docs/five9.md, "Report values"): a time just before the span may be the second reading.
	 */
	private instantIn(text: string, span: ReportWindow): number {
		const iso = this.readTimestamp(text);
		// A date alone does not say which window of a run its row belongs to.
		if (iso === undefined || iso.length <= 10) return NaN;
		const time = Date.parse(iso);
		if (time >= span.startMs && time < span.endMs) return time;
		const shift = zoneOffsetMs(time, this.options.timeZone) - zoneOffsetMs(time + 3 * HOUR_MS, this.options.timeZone);
		const later = time + shift;
		return shift > 0 && later >= span.startMs && later < span.endMs ? later : NaN;
	}

	private undatedReason(rows: number): string | undefined {
		if (rows === 0) return undefined;
		if (!this.columnFound) return `the report has no column "${this.timeColumn}" to put rows into their days`;
		if (this.undated > 0) {
			return `${this.undated} row${this.undated === 1 ? '' : 's'} had no date-time inside ${this.undated === 1 ? 'its' : 'their'} report window in column "${this.timeColumn}"`;
		}
		return undefined;
	}

	private stopGrouping(reason: string): void {
		this.grouping = false;
		this.size = 1;
		this.stats.fallback = reason;
	}

	/** Sizes the next run from the rows the last one returned over its span. */
	private learn(rows: number, span: ReportWindow, count: number): void {
		const cap = this.settings.rowCap;
		const fill = rows / cap;
		this.rate = rows / Math.max(1, span.endMs - span.startMs);
		if (fill < GROW_BELOW) this.size = Math.max(count * 2, this.balancedCount());
		else if (fill > SHRINK_ABOVE) this.size = Math.max(1, Math.floor((count * TARGET_FILL) / fill));
		else this.size = count;
	}

	/**
	 * Windows per run that read the rest of the range in the fewest runs of at most TARGET_FILL of
	 * the cap at the last run's rate, spread evenly (no small last run).
	 */
	private balancedCount(): number {
		const remaining = this.windows.length - this.next;
		if (remaining <= 0 || this.rate === undefined) return 1;
		const spanMs = this.windows[this.windows.length - 1].endMs - this.windows[this.next].startMs;
		const runs = Math.max(1, Math.ceil((this.rate * spanMs) / (TARGET_FILL * this.settings.rowCap)));
		return Math.max(1, Math.ceil(remaining / runs));
	}

	/**
	 * How many windows the next run covers: the planned size, within the range, and never across a
	 * boundary near a clock change inside a run (its rows could not be told apart there).
	 */
	private countForNextRun(): number {
		const count = Math.min(this.size, this.windows.length - this.next);
		if (this.options.merged) return count;
		for (let i = 1; i < count; i++) {
			if (!this.safeBoundary(this.windows[this.next + i].startMs)) return i;
		}
		return count;
	}

	/**
	 * No clock going back within an hour of the instant: there a row of the repeated hour, read as
	 * the first one, could land on the wrong side (clocks going forward repeat nothing).
	 */
	private safeBoundary(ms: number): boolean {
		let safe = this.safeBoundaries.get(ms);
		if (safe === undefined) {
			const zone = this.options.timeZone;
			safe = zoneOffsetMs(ms - HOUR_MS, zone) <= zoneOffsetMs(ms + HOUR_MS - 1000, zone);
			this.safeBoundaries.set(ms, safe);
		}
		return safe;
	}
}

/** The window of sorted, contiguous `windows` that holds `time` (the last one at or before it). */
function windowIndex(windows: ReportWindow[], time: number): number {
	let low = 0;
	let high = windows.length - 1;
	while (low < high) {
		const middle = (low + high + 1) >> 1;
		if (windows[middle].startMs <= time) low = middle;
		else high = middle - 1;
	}
	return low;
}
