/**
 * The Quota Reserve option of the operations that run several report windows (Report → Run, Get
 * Day Files), read back by `quotaReserveFrom` (quota.ts), whose default is the same. Here rather
 * than under `actions/`, since operations never import each other.
 */
import type { INodeProperties } from 'n8n-workflow';

export const quotaReserveField: INodeProperties = {
	displayName: 'Quota Reserve (%)',
	name: 'quotaReservePercent',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 90 },
	default: 25,
	description:
		'Share of each of Five9’s request limits (report runs and result downloads, per hour and per day) that this node leaves for other workflows such as the 5-minute sync. With several report windows, the node reads Five9’s counters before each one: Get Day Files stops there and says so (the next run resumes from the checkpoint), Run fails before starting windows it cannot finish. 0 turns the check off.',
};
