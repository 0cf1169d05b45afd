import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * What a resource locator holds: `{ __rl, mode, value }`, or a plain string in workflows saved
 * before the field was a locator (and in templates). Both give the same value; an expression in
 * either is resolved by n8n before this sees it.
 */
export function locatorValue(raw: unknown): string {
	const value = raw !== null && typeof raw === 'object' && 'value' in raw ? (raw as { value: unknown }).value : raw;
	if (value === null || value === undefined) return '';
	return String(value).trim();
}

export function locatorParameter(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	return locatorValue(ctx.getNodeParameter(name, itemIndex, ''));
}

/** A locator that may name several ids, separated by commas (typed, or from an expression). */
export function locatorList(raw: unknown): string[] {
	return locatorValue(raw)
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);
}
