import type { IExecuteFunctions } from 'n8n-workflow';

import { timestampParameter } from '../../shared/parameters';

/** A date parameter as unix seconds (Assembled's unit everywhere: docs/assembled.md, "Collections and timestamps"). */
export function unixSecondsParameter(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): number {
	return Math.floor(timestampParameter(ctx, name, label, itemIndex) / 1000);
}
