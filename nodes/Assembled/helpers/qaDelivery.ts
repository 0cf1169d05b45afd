/**
 * Sends batches of QA scores to `POST /v0/qa_scores/bulk` (docs/assembled.md, "QA scores") through
 * the bulk delivery every bulk operation shares: rejected batches split to single out the scores at
 * fault, request-level errors and hard failures stop the sending.
 */
import type { AssembledClient } from '../transport';
import { BulkDelivery, wordsFor, type BulkWire, type DeliverySettings } from './bulkDelivery';
import type { QaScorePayload } from './qaScore';
import type { BatchedScore, ScoreOutcome } from './qaStages';

export type { DeliverySettings } from './bulkDelivery';

export const QA_WIRE: BulkWire<QaScorePayload> = {
	method: 'POST',
	path: '/v0/qa_scores/bulk',
	bodyKey: 'scores',
	noun: 'scores',
	idField: 'imported_id',
	idOf: (payload) => payload.imported_id,
	...wordsFor('scores', 'scores', 'imported_id'),
};

/** One run's batches of scores, sent one after another through the client's shared limiter. */
export class QaDelivery extends BulkDelivery<QaScorePayload, BatchedScore> {
	constructor(client: AssembledClient, settings: DeliverySettings, settle: (outcome: ScoreOutcome) => void) {
		super(client, QA_WIRE, settings, settle);
	}
}
