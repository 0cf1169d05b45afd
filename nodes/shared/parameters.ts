import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseTimestamp } from './time';

/** A date parameter as epoch milliseconds; text without an offset is read in the workflow's zone. */
export function timestampParameter(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): number {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const parsed = parseTimestamp(value, ctx.getTimezone());
	if (!parsed.ok) {
		throw new NodeOperationError(ctx.getNode(), `${label} ${parsed.reason}`, {
			itemIndex,
			description: 'Use ISO 8601 (2026-11-23T09:00:00Z), unix seconds or unix milliseconds.',
		});
	}
	return parsed.epochMs;
}

/**
 * What a resource locator holds: `{ __rl, mode, value }`, or a plain string in workflows saved
 * before the field was a locator. An expression in either is resolved by n8n before this sees it.
 */
export function locatorText(raw: unknown): string {
	const value = raw !== null && typeof raw === 'object' && 'value' in raw ? (raw as { value: unknown }).value : raw;
	if (value === null || value === undefined) return '';
	return String(value).trim();
}
