/**
 * The QA push's two shortcuts against what they stand in for: the quick check of a score against
 * the zod schema, on random fields; the batches formed while reading against batches formed after
 * reading everything (newest copy of each id across the whole input), on random inputs.
 */
import { chunk } from '../../nodes/shared/batching';
import { newestCopies } from '../../nodes/Assembled/helpers/bulkPush';
import { streamBatches } from '../../nodes/Assembled/helpers/bulkStream';
import { plainQaScore, qaScoreSchema, type QaScoreFields } from '../../nodes/Assembled/helpers/qaScore';

function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
		return state / 2 ** 32;
	};
}

// Values valid for some fields, invalid for others, and the edges between.
const VALUES: unknown[] = [
	undefined, null, '', '   ', 'x', ' padded ', 'a'.repeat(64), 'a'.repeat(65), 'a'.repeat(256), 'a'.repeat(321),
	'ana@example.com', ' Ana@Example.com ', 'not an email', 'a@b', 'a@b.c', 0, -1, 5, 99.5, 100, 101, 1e3, NaN, Infinity,
	'5', ' 80% ', '0x50', '1,234.5', '1e3', 'Infinity', '-0', 1_762_000_000, 1_762_000_000_000, 946_684_799, 946_684_800,
	4_102_444_800, '1762000000', '2026-11-02T08:00:00Z', '2026-11-02 08:00', '2026-02-30T10:00:00Z', 'yesterday',
	true, false, {}, [], ['x'], new Date(Date.UTC(2026, 0, 1)), new Date(Number.NaN),
];
const KEYS: Array<keyof QaScoreFields> = [
	'imported_id', 'agent_email', 'agent_name', 'agent_platform_id', 'platform', 'ticket_created_at', 'score', 'max_score', 'grader', 'graded_at',
];
// A valid score to start from, so that random changes land near the valid set as well as outside it.
const BASE: QaScoreFields = {
	imported_id: 'ev-1', agent_email: 'ana@example.com', ticket_created_at: 1_762_000_000, score: 80, max_score: 100, graded_at: '2026-11-02T08:00:00Z',
};

test('5,000 random scores: the quick check accepts only what the schema accepts, with the same result', () => {
	const next = random(20261130);
	const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
	const schemas = { UTC: qaScoreSchema('UTC'), 'America/New_York': qaScoreSchema('America/New_York') };
	let quick = 0;
	let valid = 0;
	for (let i = 0; i < 5000; i++) {
		const fields: Record<string, unknown> = next() < 0.5 ? { ...BASE } : {};
		const changes = 1 + Math.floor(next() * 4);
		for (let j = 0; j < changes; j++) fields[pick(KEYS)] = pick(VALUES);
		for (const timeZone of ['UTC', 'America/New_York'] as const) {
			const schema = schemas[timeZone].safeParse(fields);
			const plain = plainQaScore(fields as QaScoreFields, timeZone);
			if (schema.success) valid += 1;
			if (plain === undefined) continue;
			quick += 1;
			expect({ fields, success: schema.success }).toEqual({ fields, success: true });
			expect({ fields, plain }).toEqual({ fields, plain: schema.data });
			expect(Object.keys(plain)).toEqual(Object.keys(schema.data!));
		}
	}
	// The quick check is worth having only if it takes (nearly) every valid score.
	expect(quick).toBe(valid);
	expect(valid).toBeGreaterThan(1000);
});

interface Item {
	index: number;
	payload: { id: string; rank?: number; body: string };
}

/** Reading everything first: the batches the push formed before it streamed. */
function readAllFirst(input: Array<Item | undefined>, deduplicate: boolean, batchSize: number) {
	const ready = input.filter((item): item is Item => item !== undefined);
	const { kept, replaced } = newestCopies(ready, deduplicate, (item) => item.payload.id, (item) => item.payload.rank ?? Number.NEGATIVE_INFINITY);
	return {
		batches: chunk(kept, batchSize).map((batch, position) => batch.map((item) => ({ ...item, batch: position + 1 }))),
		replaced: replaced.sort((a, b) => a.index - b.index),
	};
}

test('300 random inputs: batches formed while reading equal batches formed after reading everything', async () => {
	const next = random(11);
	for (let round = 0; round < 300; round++) {
		const count = Math.floor(next() * 40);
		const ids = 1 + Math.floor(next() * Math.max(1, count));
		// undefined: an item that is not sent (invalid, or its agent unknown).
		const input: Array<Item | undefined> = Array.from({ length: count }, (_, index) =>
			next() < 0.2
				? undefined
				: {
						index,
						payload: {
							id: `id-${Math.floor(next() * ids)}`,
							...(next() < 0.8 ? { rank: Math.floor(next() * 4) } : {}),
							body: next() < 0.5 ? 'same' : `body-${index}`,
						},
					},
		);
		// An invalid item still gives its id when it has one; some have none.
		const hints = input.map((item, index) => item?.payload.id ?? (next() < 0.5 ? `id-${index % ids}` : undefined));
		const deduplicate = next() < 0.8;
		const batchSize = 1 + Math.floor(next() * 6);
		const expected = readAllFirst(input, deduplicate, batchSize);

		const batches: Item[][] = [];
		const replaced: Item[] = [];
		const prepared: number[] = [];
		const batchCount = await streamBatches<Item>(
			{
				count,
				keyHint: (index) => hints[index],
				prepare: (index) => {
					prepared.push(index);
					// Some items are read asynchronously, as when Assembled People is fetched first.
					return index % 3 === 0 ? Promise.resolve(input[index]) : input[index];
				},
				keyOf: (item) => item.payload.id,
				rankOf: (item) => item.payload.rank ?? Number.NEGATIVE_INFINITY,
			},
			{ deduplicate, batchSize, onReplaced: (item) => replaced.push(item), onBatch: (batch) => void batches.push(batch), cooperative: round % 2 === 0 },
		);
		expect({ round, batches }).toEqual({ round, batches: expected.batches });
		expect({ round, replaced: replaced.sort((a, b) => a.index - b.index) }).toEqual({ round, replaced: expected.replaced });
		expect(batchCount).toBe(expected.batches.length);
		// Every item is read once.
		expect(prepared.sort((a, b) => a - b)).toEqual(input.map((_, index) => index));
	}
});
