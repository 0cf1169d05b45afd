/**
 * Forms the batches of a bulk push in input order while the items are still being read, so a
 * batch can leave as soon as it is complete instead of after the last item is validated. The
 * batches are the same as reading everything first would give: the items kept in input order,
 * the newest copy of each key kept across the whole input (`newestCopies` in bulkPush.ts).
 *
 * Which copy is the newest needs every copy read and valid; reading is the expensive part, but
 * the key alone is cheap. So the keys of all items are read first; an item whose key no other
 * item has is kept when it is valid, and the copies of a shared key are all read when the first
 * of them is reached.
 */
import { sleep } from 'n8n-workflow';

import { newestCopies } from './bulkPush';

export interface StreamSource<T extends { index: number; payload: object }> {
	/** Items in the input. */
	count: number;
	/**
	 * The key of the item as `keyOf` will give it once the item is read, or undefined when the
	 * item cannot become ready (no id, or unreadable). Only read when copies are deduplicated.
	 */
	keyHint(index: number): string | undefined;
	/**
	 * Reads, validates and matches one item; undefined when it is not sent (its outcome settled).
	 * The item is the stream's: its batch number is added to it.
	 */
	prepare(index: number): T | undefined | Promise<T | undefined>;
	keyOf(item: T): string;
	/** Higher is newer (e.g. the graded time). */
	rankOf(item: T): number;
}

export interface StreamOptions<T> {
	deduplicate: boolean;
	batchSize: number;
	/** Receives each copy that is not sent, with the item sent instead. */
	onReplaced(item: T & { status: 'duplicate' | 'superseded'; replacedBy: number }): void;
	/**
	 * Receives each batch once complete (the last one possibly short), numbered from 1. Reading
	 * waits for a promise it returns (e.g. until the first request is out).
	 */
	onBatch(batch: Array<T & { batch: number }>): void | Promise<void>;
	/**
	 * Batches are sent while reading goes on: reading then pauses after each batch and every few
	 * milliseconds, so a request in flight is never held up by it. Off when nothing is sent while
	 * reading (pausing would only make the run longer).
	 */
	cooperative: boolean;
}

/** The longest stretch of reading between two pauses, when cooperative. */
const SLICE_MS = 4;

/** Returns how many batches were formed. */
export async function streamBatches<T extends { index: number; payload: object }>(
	source: StreamSource<T>,
	options: StreamOptions<T>,
): Promise<number> {
	const { batchSize } = options;
	// Keys that more than one item has, with their items: only these copies have to be compared.
	// Found in two steps, so the first batch need not wait for every key to be hashed: the keys of
	// the first items are looked up across the whole input (a small set, quick), and the copies
	// among the other items when the reading gets there.
	const hints: Array<string | undefined> = [];
	const shared = new Map<string, number[]>();
	const head = Math.min(source.count, 2 * batchSize);
	/** Every item of each key the head has. */
	const headKeys = new Map<string, number[]>();
	if (options.deduplicate) {
		for (let index = 0; index < source.count; index++) hints.push(source.keyHint(index));
		for (let index = 0; index < head; index++) {
			const key = hints[index];
			if (key !== undefined && !headKeys.has(key)) headKeys.set(key, []);
		}
		for (let index = 0; index < source.count; index++) headKeys.get(hints[index]!)?.push(index);
		for (const [key, indexes] of headKeys) if (indexes.length > 1) shared.set(key, indexes);
	}
	/** The copies among the items after the head whose key no head item has. */
	const findRestCopies = () => {
		const seen = new Set<string>();
		const twice = new Set<string>();
		for (let index = head; index < source.count; index++) {
			const key = hints[index];
			if (key === undefined || headKeys.has(key)) continue;
			const size = seen.size;
			if (seen.add(key).size === size) twice.add(key);
		}
		if (twice.size === 0) return;
		for (let index = head; index < source.count; index++) {
			const key = hints[index]!;
			if (!twice.has(key)) continue;
			const indexes = shared.get(key);
			if (indexes) indexes.push(index);
			else shared.set(key, [index]);
		}
	};
	const checkKey = (item: T, hint: string | undefined) => {
		// The batches would differ from reading everything first if a key read early were not the key.
		if (options.deduplicate && source.keyOf(item) !== hint) {
			throw new Error(`Item ${item.index}: its key was read as ${JSON.stringify(hint)} but is ${JSON.stringify(source.keyOf(item))}`);
		}
	};

	/** Copies of a shared key read ahead: the one to send (when its turn comes), or nothing. */
	const decided = new Map<number, T | undefined>();
	let batch: Array<T & { batch: number }> = [];
	let batchCount = 0;
	let sliceStart = Date.now();
	const pause = async () => {
		await sleep(0);
		sliceStart = Date.now();
	};
	const flush = async () => {
		if (batch.length === 0) return;
		const sent = options.onBatch(batch);
		batch = [];
		if (sent) await sent;
		if (options.cooperative) await pause();
	};

	for (let index = 0; index < source.count; index++) {
		if (index === head && options.deduplicate) findRestCopies();
		let ready: T | undefined;
		if (decided.has(index)) {
			ready = decided.get(index);
			decided.delete(index);
		} else {
			const copies = hints[index] === undefined ? undefined : shared.get(hints[index]!);
			if (copies) {
				const read: T[] = [];
				for (const copy of copies) {
					const item = await source.prepare(copy);
					if (item) {
						checkKey(item, hints[copy]);
						read.push(item);
					}
					decided.set(copy, undefined);
				}
				const { kept, replaced } = newestCopies(read, true, source.keyOf, source.rankOf);
				replaced.forEach(options.onReplaced);
				for (const item of kept) decided.set(item.index, item);
				ready = decided.get(index);
				decided.delete(index);
			} else {
				const item = source.prepare(index);
				ready = item instanceof Promise ? await item : item;
				if (ready) checkKey(ready, hints[index]);
			}
		}
		if (options.cooperative && (index & 31) === 31 && Date.now() - sliceStart >= SLICE_MS) await pause();
		if (!ready) continue;
		if (batch.length === 0) batchCount += 1;
		const batched = ready as T & { batch: number };
		batched.batch = batchCount;
		batch.push(batched);
		if (batch.length === batchSize) await flush();
	}
	await flush();
	return batchCount;
}
