import type { PayloadScore, ScoreOutcome } from './qaStages';

/** Which copy of an imported_id is the newest: latest graded time, then the later item. */
function isNewer(candidate: PayloadScore, current: PayloadScore): boolean {
	const a = candidate.payload.graded_at ?? Number.NEGATIVE_INFINITY;
	const b = current.payload.graded_at ?? Number.NEGATIVE_INFINITY;
	return a > b || (a === b && candidate.index > current.index);
}

function samePayload(a: PayloadScore, b: PayloadScore): boolean {
	return JSON.stringify(a.payload) === JSON.stringify(b.payload);
}

/**
 * Within one input, the newest copy of each imported_id is the one sent; the other copies are
 * `duplicate` (identical payload) or `superseded`. Without `deduplicate` every score is sent.
 * The scores to send keep their input order.
 */
export function newestCopies(
	scores: PayloadScore[],
	deduplicate: boolean,
): { toSend: PayloadScore[]; replaced: ScoreOutcome[] } {
	if (!deduplicate) return { toSend: scores, replaced: [] };
	const newest = new Map<string, PayloadScore>();
	for (const score of scores) {
		const current = newest.get(score.payload.imported_id);
		if (!current || isNewer(score, current)) newest.set(score.payload.imported_id, score);
	}
	const toSend: PayloadScore[] = [];
	const replaced: ScoreOutcome[] = [];
	for (const score of scores) {
		const winner = newest.get(score.payload.imported_id)!;
		if (winner === score) toSend.push(score);
		else replaced.push({ ...score, status: samePayload(winner, score) ? 'duplicate' : 'superseded', replacedBy: winner.index });
	}
	return { toSend, replaced };
}
