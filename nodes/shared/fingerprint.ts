import { createHash } from 'node:crypto';

/** A short hash of a text: enough to tell versions of one record apart, not a security measure. */
export const shortDigest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** Same content, same JSON, whatever the key order. */
function canonical(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(canonical);
	if (value !== null && typeof value === 'object') {
		const object = value as Record<string, unknown>;
		return Object.fromEntries(
			Object.keys(object)
				.sort()
				.map((key) => [key, canonical(object[key])]),
		);
	}
	return value;
}

/** A short hash of a record's whole content: a record whose content changed gets another one. */
export function contentFingerprint(record: unknown): string {
	return shortDigest(JSON.stringify(canonical(record)) ?? 'undefined');
}
