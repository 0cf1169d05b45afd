/**
 * What a report run should tell the user besides its rows: windows that returned nothing, and
 * windows that reached the row cap and were run again in parts. Shown as execution hints above the
 * output of Report → Run and Get Day Files.
 */
import type { NodeExecutionHint } from 'n8n-workflow';

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

	hints(): NodeExecutionHint[] {
		const hints: NodeExecutionHint[] = [];
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
