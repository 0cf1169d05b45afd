/**
 * What a report run should tell the user besides its rows: windows that returned nothing, and
 * windows that reached the row cap and were run again in parts. Shown as execution hints above the
 * output of Report → Run and Get Day Files.
 */
import type { NodeExecutionHint } from 'n8n-workflow';

import type { ReaderStats } from './adaptiveWindows';
import { windowInfo, type ReportWindow } from './windows';

/** How many windows a hint names before it says "and N more". */
const NAMED = 8;

function listed(labels: string[]): string {
	return `${labels.slice(0, NAMED).join(', ')}${labels.length > NAMED ? ` and ${labels.length - NAMED} more` : ''}`;
}

export class WindowNotes {
	private windows = 0;
	private readonly empty: string[] = [];
	private readonly split: string[] = [];
	private readonly runs = { windows: 0, reportRuns: 0, groupedRuns: 0, cappedRuns: 0 };
	private readonly fallbacks: string[] = [];

	/** Records one finished window: its row count and how many runs it took. */
	add(window: ReportWindow, timeZone: string, rows: number, parts: number): void {
		const info = windowInfo(window, timeZone);
		const time = String(info.start).slice(11, 16);
		// A day names itself by its date; a smaller window also by its start.
		const label = time === '00:00' ? String(info.date) : `${info.date} ${time}`;
		this.windows += 1;
		if (rows === 0) this.empty.push(label);
		if (parts > 1) this.split.push(`${label} (${parts} parts)`);
	}

	/** Records how an item's windows were read: report runs, runs of several days, capped runs. */
	addReader(stats: ReaderStats): void {
		this.runs.windows += stats.windows;
		this.runs.reportRuns += stats.reportRuns;
		this.runs.groupedRuns += stats.groupedRuns;
		this.runs.cappedRuns += stats.cappedRuns;
		if (stats.fallback && !this.fallbacks.includes(stats.fallback)) this.fallbacks.push(stats.fallback);
	}

	hints(): NodeExecutionHint[] {
		const hints: NodeExecutionHint[] = [];
		const runs = this.runs;
		if (runs.groupedRuns > 0) {
			const capped = runs.cappedRuns > 0 ? `, ${runs.cappedRuns} of them came back with the row cap and were read again in smaller windows` : '';
			hints.push({
				message: `Adaptive windows: ${runs.windows} window${runs.windows === 1 ? '' : 's'} read in ${runs.reportRuns} report run${runs.reportRuns === 1 ? '' : 's'}${capped}.`,
				type: 'info',
				location: 'outputPane',
			});
		}
		if (this.fallbacks.length > 0) {
			hints.push({
				message: `Adaptive windows read one day per run instead: ${this.fallbacks.join('; ')}. Set Timestamp Column to the report’s date-time column, or turn Adaptive Windows off.`,
				type: 'info',
				location: 'outputPane',
			});
		}
		if (this.empty.length > 0) {
			hints.push({
				message: `No rows for ${this.empty.length} of ${this.windows} window${this.windows === 1 ? '' : 's'}: ${listed(this.empty)}. If rows were expected there, check the range, the criteria and the report’s own filters in Five9.`,
				type: 'info',
				location: 'outputPane',
			});
		}
		if (this.split.length > 0) {
			hints.push({
				message: `${this.split.length} window${this.split.length === 1 ? '' : 's'} reached Five9’s row cap and ran again in smaller parts, so nothing was cut off: ${listed(this.split)}. A smaller Window Hours saves those extra report runs.`,
				type: 'info',
				location: 'outputPane',
			});
		}
		return hints;
	}
}
