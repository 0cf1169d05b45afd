/** Whether a value is missing: undefined, null, or text that is only whitespace. */
export function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Whether a value is there: not blank. */
export function isPresent(value: unknown): boolean {
	return !isBlank(value);
}
