import type { INodeProperties } from 'n8n-workflow';

import type { Show } from '../../shared/options';

/**
 * The warning an operation shows when Assembled's public docs do not confirm its request or answer
 * (docs/assembled.md, "Time off, forecasts, requirements, working hours").
 */
export function unconfirmedNotice(show: Show, name: string, write: boolean): INodeProperties {
	return {
		displayName: write
			? "Request shape not confirmed by Assembled's public docs — try it with Dry Run first, then check the result in Assembled"
			: "Request and answer shape not confirmed by Assembled's public docs — check the first results against Assembled",
		name,
		type: 'notice',
		displayOptions: { show },
		default: '',
	};
}

/** A Dry Run option for writes: what would be sent comes out, nothing is sent. */
export function dryRunOption(what: string): INodeProperties {
	return {
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description: `Whether to return the ${what} without sending it to Assembled`,
	};
}
