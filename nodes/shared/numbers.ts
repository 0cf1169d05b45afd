/**
 * Numbers written in plain decimal notation. `Number(text)` also reads `0x50` as 80, `0b1`, `0o7`,
 * `Infinity` and a blank string as 0, none of which is a score anyone wrote.
 */

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** Comma thousands grouping: groups of exactly three digits after the first. */
const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;

/** Whether the text, exactly as given (no trimming), is a plain decimal number such as -5 or 1e5. */
export function isDecimalText(text: string): boolean {
	return DECIMAL.test(text) && Number.isFinite(Number(text));
}

/**
 * A finite number, or a trimmed string in plain decimal notation; undefined when it is not one.
 * `percent` allows a trailing `%` (the number is kept as written: "80%" is 80), `thousands` allows
 * comma grouping such as `1,234.5`.
 */
export function parseDecimal(value: unknown, options: { percent?: boolean; thousands?: boolean } = {}): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string') return undefined;
	let text = value.trim();
	if (options.percent && text.endsWith('%')) text = text.slice(0, -1).trimEnd();
	if (options.thousands && GROUPED.test(text)) text = text.replace(/,/g, '');
	if (!DECIMAL.test(text)) return undefined;
	const number = Number(text);
	// 1e999 is decimal notation but no finite number.
	return Number.isFinite(number) ? number : undefined;
}
