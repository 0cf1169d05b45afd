/**
 * Remembers recently emitted events so a redelivery within the window is not emitted twice.
 *
 * Kept in this process's memory, one bounded list per trigger (workflow id + node id + whether it
 * is the test or the production URL), not in workflow static data: `webhook()` runs before any
 * execution exists, and n8n saves static data only when an execution ends, so a retry arriving
 * while the first run is still going would not see it, and a dropped duplicate starts no
 * execution that could save anything. In queue mode the memory is in n8n's Redis instead
 * (`coordination.ts`), shared by every webhook process and kept across restarts. The cost of this
 * one: after a restart of a single n8n a redelivery can get through; steps after the trigger
 * should tolerate that (the shipped workflow records Five9's event id with every line).
 */
export const MAX_REMEMBERED_PER_TRIGGER = 5_000;
const MAX_TRIGGERS = 500;

/** key → time (ms) after which it is forgotten; insertion order is arrival order. */
const triggers = new Map<string, Map<string, number>>();

/**
 * Records `key` for `windowMs` and returns true, or returns false when it was already recorded
 * and has not expired. A window of 0 or less turns the check off.
 */
export function firstDelivery(
	scope: string,
	key: string,
	windowMs: number,
	now = Date.now(),
): boolean {
	if (!(windowMs > 0)) return true;
	let seen = triggers.get(scope);
	if (!seen) {
		seen = new Map();
		triggers.set(scope, seen);
		// The scope list is bounded too: the least recently created trigger is forgotten first.
		if (triggers.size > MAX_TRIGGERS) triggers.delete(triggers.keys().next().value as string);
	}
	forgetExpired(seen, now);
	const expiresAt = seen.get(key);
	if (expiresAt !== undefined && expiresAt > now) return false;
	seen.delete(key);
	seen.set(key, now + windowMs);
	while (seen.size > MAX_REMEMBERED_PER_TRIGGER) seen.delete(seen.keys().next().value as string);
	return true;
}

function forgetExpired(seen: Map<string, number>, now: number) {
	// Entries are in arrival order, which is expiry order while the window stays the same. After
	// the window is edited a few expired entries may linger behind a live one; the lookup compares
	// times, so they never count as duplicates, and the cap still bounds them.
	for (const [key, expiresAt] of seen) {
		if (expiresAt > now) break;
		seen.delete(key);
	}
}

/** How many keys a trigger currently remembers (for tests and diagnostics). */
export function rememberedCount(scope: string): number {
	return triggers.get(scope)?.size ?? 0;
}
