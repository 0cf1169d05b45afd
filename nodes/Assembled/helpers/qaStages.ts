/**
 * One input item on its way through the QA push, with a type per stage: read and validated →
 * agent matched → payload built → batched → outcome. Every item ends with exactly one outcome,
 * and the outcome is what its output item is built from.
 */
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { errorOutputItem, type ErrorKind } from '../../shared/errors';
import type { ParsedQaScore, QaScorePayload } from './qaScore';

/** An input item by position, with the imported_id it gave (for reporting items never sent). */
export interface ItemRef {
	index: number;
	rawImportedId?: string;
}

/** Read and validated: its agent may still have to be found in Assembled People. */
export interface ValidScore extends ItemRef {
	parsed: ParsedQaScore;
	/** More ids of the agent to look for in Assembled People; never sent. */
	lookupIds: string[];
}

export type MatchedQaScore = ParsedQaScore & { agent_email: string };

/** Its agent's email known: given, or found in Assembled People. */
export interface MatchedScore extends ItemRef {
	parsed: MatchedQaScore;
}

/** With the payload that is sent for it. */
export interface PayloadScore extends MatchedScore {
	payload: QaScorePayload;
}

/** In a batch, numbered from 1. */
export interface BatchedScore extends PayloadScore {
	batch: number;
}

/** What any outcome may carry, as far as its item got. */
interface Progress extends ItemRef {
	parsed?: ParsedQaScore;
	payload?: QaScorePayload;
	batch?: number;
	httpStatus?: number;
}

/** An item that was not sent (invalid) or that Assembled did not take (failed). */
export interface ScoreProblem extends Progress {
	status: 'invalid' | 'failed';
	/** Row level (the item is at fault) or run level (it could not be sent): see shared/errors.ts. */
	kind: ErrorKind;
	reasons: string[];
	error: NodeApiError | NodeOperationError;
}

/** How an item ended; for a duplicate or superseded one, `replacedBy` is the item sent instead. */
export type ScoreOutcome =
	| (BatchedScore & { status: 'sent'; httpStatus: number })
	| (BatchedScore & { status: 'dryRun' })
	| (PayloadScore & { status: 'duplicate' | 'superseded'; replacedBy: number })
	| ScoreProblem;

export function invalidScore(
	node: INode,
	item: Progress,
	reasons: string[],
	kind: ErrorKind = 'invalidItem',
): ScoreProblem {
	return {
		...item,
		status: 'invalid',
		kind,
		reasons,
		error: new NodeOperationError(node, `Item ${item.index}: ${reasons.join('; ')}`, {
			itemIndex: item.index,
			description: 'The item was not sent to Assembled.',
		}),
	};
}

/** The reasons are the error's words now: a description added to the error later shows only in `details`. */
export function failedScore(item: Progress, error: NodeApiError, kind: ErrorKind = 'notSent'): ScoreProblem {
	return {
		...item,
		status: 'failed',
		kind,
		reasons: [error.message, ...(error.description ? [error.description] : [])],
		error,
	};
}

/**
 * Sent, dry-run, duplicate and superseded items carry `status` at the top. Invalid and failed
 * items go to the error output with `error`, `errorLevel`, `errorKind` and `details` (with `status`
 * inside), and n8n adds the input item's own fields: a row to fix arrives with its data and reason.
 */
export function toOutputItem(outcome: ScoreOutcome, batchCount: number): INodeExecutionData {
	const progress: Progress = outcome;
	const summary: IDataObject = {
		status: outcome.status,
		imported_id: progress.payload?.imported_id ?? (progress.parsed?.imported_id || progress.rawImportedId || null),
		batch: progress.batch ?? null,
		batches: batchCount,
		payload: (progress.payload as unknown as IDataObject) ?? null,
	};
	if (progress.httpStatus !== undefined) summary.httpStatus = progress.httpStatus;
	if (outcome.status === 'duplicate' || outcome.status === 'superseded') {
		summary[outcome.status === 'duplicate' ? 'duplicateOf' : 'supersededBy'] = outcome.replacedBy;
	}
	if (outcome.status === 'invalid' || outcome.status === 'failed') {
		const { error } = outcome;
		summary.itemIndex = outcome.index;
		summary.reasons = outcome.reasons;
		if (error instanceof NodeApiError && error.httpCode) summary.httpCode = error.httpCode;
		const item = errorOutputItem(error, outcome.kind, outcome.index, summary);
		item.json.error = outcome.reasons.join('; ');
		return item;
	}
	return { json: summary, pairedItem: { item: outcome.index } };
}
