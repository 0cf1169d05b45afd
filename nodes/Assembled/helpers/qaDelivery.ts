/**
 * Sends batches of QA scores to `POST /v0/qa_scores/bulk` and settles every score as sent or
 * failed. A batch Assembled rejects (400, 413, 422) is split in halves until the items at fault are
 * alone, within a budget of requests; a rejection about the request itself stops at once; a refused
 * key or a server still failing after the retries stops the batches after it too.
 */
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { asNodeError, type ErrorKind } from '../../shared/errors';
import type { AssembledClient } from '../transport';
import { failedScore, type BatchedScore, type ScoreOutcome } from './qaStages';

export interface DeliverySettings {
	node: INode;
	continueOnFail: boolean;
	/** Split a rejected batch to single out the items at fault; otherwise the whole batch fails. */
	isolateRejected: boolean;
}

type Verdict = { kind: 'settled' } | { kind: 'rejected'; error: NodeApiError };

function isFatal(error: unknown): boolean {
	// Nothing later in this execution can succeed after these: stop sending.
	return error instanceof NodeApiError && ['401', '402', '403', '404'].includes(String(error.httpCode));
}

function isRejection(error: unknown): error is NodeApiError {
	return error instanceof NodeApiError && ['400', '413', '422'].includes(String(error.httpCode));
}

// A 400 about the request as a whole — a header, the body's shape — rather than about scores in it.
const REQUEST_WORDS = /\b(api[- ]?version|content[- ]type|header|not valid json|malformed|request body|must be an array|too many scores|payload too large|unsupported media)\b/i;
const ITEM_WORDS = /scores\[\d+\]|\bimported_id\b|\bindex\b/i;

function namesTheRequest(error: NodeApiError): boolean {
	// The opening words only: a server that echoes the request would name headers further on.
	const opening = error.message.slice(0, 200);
	return REQUEST_WORDS.test(opening) && !ITEM_WORDS.test(opening);
}

/** An error's words without the numbers and ids that change from answer to answer (request ids). */
function wordsOf(error: NodeApiError): string | undefined {
	if (ITEM_WORDS.test(error.message)) return undefined;
	return error.message.replace(/\b[0-9a-f]{8,}\b|[0-9a-f-]{36}/gi, '#').replace(/\d+/g, '#');
}

/** Requests one rejected batch may cost while its items at fault are looked for. */
function isolationBudget(size: number): number {
	return 4 * Math.ceil(Math.log2(Math.max(2, size))) + 5;
}

/**
 * Maps a per-item `errors` (or `failed`) array in a bulk response to batch positions. Assembled
 * documents no such array (docs/assembled.md, "QA scores"); it is read in case one is sent.
 */
function itemErrors(body: unknown, batch: BatchedScore[]): Map<number, string> {
	const result = new Map<number, string>();
	const errors = (body as { errors?: unknown; failed?: unknown } | undefined)?.errors ??
		(body as { failed?: unknown } | undefined)?.failed;
	if (!Array.isArray(errors)) return result;
	for (const entry of errors) {
		if (!entry || typeof entry !== 'object') continue;
		const { index, imported_id: importedId, error, message } = entry as IDataObject;
		let position = typeof index === 'number' && index >= 0 && index < batch.length ? index : -1;
		if (position < 0 && importedId !== undefined) {
			position = batch.findIndex((score) => score.payload.imported_id === String(importedId));
		}
		const words = typeof error === 'string' ? error : typeof message === 'string' ? message : JSON.stringify(error ?? message ?? 'rejected by Assembled');
		if (position >= 0) result.set(position, words);
	}
	return result;
}

/** One run's batches, sent one after another through the client's shared limiter. */
export class QaDelivery {
	/** The error that stopped the sending; later batches fail with it unsent. */
	private abortedBy?: NodeApiError;

	constructor(
		private readonly client: AssembledClient,
		private readonly settings: DeliverySettings,
		/** Receives the outcome of every score, once. */
		private readonly settle: (outcome: ScoreOutcome) => void,
	) {}

	async send(batches: BatchedScore[][]): Promise<void> {
		for (const batch of batches) {
			const verdict = await this.attempt(batch);
			if (verdict.kind === 'rejected') await this.isolate(batch, verdict.error, { left: isolationBudget(batch.length) });
		}
	}

	private fail(batch: BatchedScore[], error: NodeApiError, kind: ErrorKind = 'notSent') {
		for (const score of batch) this.settle(failedScore(score, error, kind));
	}

	private abort(error: NodeApiError, batch: BatchedScore[]) {
		this.abortedBy = error;
		this.fail(batch, error);
	}

	/** Sends one batch once. Success, per-item errors and hard failures settle it; a rejection is returned. */
	private async attempt(batch: BatchedScore[]): Promise<Verdict> {
		if (this.abortedBy) {
			this.fail(batch, this.abortedBy);
			return { kind: 'settled' };
		}
		const { client } = this;
		try {
			const response = await client.send(
				{
					method: 'POST',
					path: '/v0/qa_scores/bulk',
					body: { scores: batch.map((score) => score.payload) } as unknown as IDataObject,
				},
				batch[0].index,
			);
			const rejected = itemErrors(response.body, batch);
			batch.forEach((score, position) => {
				const httpStatus = response.statusCode;
				const reason = rejected.get(position);
				if (reason === undefined) {
					this.settle({ ...score, status: 'sent', httpStatus });
					return;
				}
				// A server may echo the request in its reasons: masked like every other message.
				const said = client.redact(reason).slice(0, 300);
				const error = client.apiError(
					`Assembled rejected item ${score.index}: ${said}`,
					'Assembled accepted the other scores of the request.',
					{ itemIndex: score.index, httpCode: String(response.statusCode) },
				);
				this.settle(failedScore({ ...score, httpStatus }, error, 'rejectedItem'));
			});
			return { kind: 'settled' };
		} catch (error) {
			if (isRejection(error)) return { kind: 'rejected', error };
			const failure = asNodeError(this.settings.node, error, batch[0].index) as NodeApiError;
			if (isFatal(failure) && !this.settings.continueOnFail) throw failure;
			// Assembled refused the key, or was still failing after the retry budget: the later
			// batches would meet the same, so they are not sent either.
			this.abort(failure, batch);
			return { kind: 'settled' };
		}
	}

	private requestLevel(error: NodeApiError): NodeApiError {
		const note = 'The error is about the request itself, not about particular scores, so nothing more was sent.';
		// The same error may be judged for both halves of a batch: say it once.
		if (!error.description?.includes(note)) error.description = `${error.description ?? ''} ${note}`.trim();
		return error;
	}

	/**
	 * A rejected batch is split in halves until the items at fault are alone: one bad item among
	 * 1,000 costs about 21 requests. When both halves are rejected in the words of their batch (ids
	 * and numbers aside) — twice in a row — the request itself is at fault (a wrong API-Version, say)
	 * and splitting further would only repeat it; and no batch may cost more than its budget.
	 */
	private async isolate(batch: BatchedScore[], error: NodeApiError, budget: { left: number }, suspect = false): Promise<void> {
		if (namesTheRequest(error)) return this.abort(this.requestLevel(error), batch);
		if (!this.settings.isolateRejected || batch.length === 1) {
			this.fail(batch, error, batch.length === 1 ? 'rejectedItem' : 'notSent');
			return;
		}
		if (budget.left < 2) {
			error.description = `${error.description ?? ''} Splitting the batch did not single out the items at fault, so these were not sent.`.trim();
			this.fail(batch, error);
			return;
		}
		const half = Math.ceil(batch.length / 2);
		const parts = [batch.slice(0, half), batch.slice(half)];
		const verdicts: Verdict[] = [];
		for (const part of parts) {
			budget.left -= 1;
			verdicts.push(await this.attempt(part));
		}
		const words = wordsOf(error);
		const sameWords =
			words !== undefined && verdicts.every((verdict) => verdict.kind === 'rejected' && wordsOf(verdict.error) === words);
		if (sameWords && suspect) {
			for (const part of parts) this.abort(this.requestLevel(error), part);
			return;
		}
		for (const [position, verdict] of verdicts.entries()) {
			if (verdict.kind === 'rejected') await this.isolate(parts[position], verdict.error, budget, sameWords && position === 0);
		}
	}
}
