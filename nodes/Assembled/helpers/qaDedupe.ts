import { newestCopies as newestOfEach } from './bulkPush';
import type { PayloadScore, ScoreOutcome } from './qaStages';

/**
 * Within one input, the newest copy of each imported_id is the one sent (latest graded time, then
 * the later item); the other copies are `duplicate` (identical payload) or `superseded`. Without
 * `deduplicate` every score is sent. The scores to send keep their input order.
 */
export function newestCopies(
	scores: PayloadScore[],
	deduplicate: boolean,
): { toSend: PayloadScore[]; replaced: ScoreOutcome[] } {
	const { kept, replaced } = newestOfEach(
		scores,
		deduplicate,
		(score) => score.payload.imported_id,
		(score) => score.payload.graded_at ?? Number.NEGATIVE_INFINITY,
	);
	return { toSend: kept, replaced };
}
