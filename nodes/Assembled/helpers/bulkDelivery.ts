/**
 * Sends batches of items to one of Assembled's bulk endpoints (QA scores, conversations, agent
 * states) and settles every item as sent or failed. A batch Assembled rejects (400, 413, 422) is
 * split in halves until the items at fault are alone, within a budget of requests; a rejection
 * about the request itself stops at once; a refused key or a server still failing after the
 * retries stops the batches after it too (docs/reliability.md, "Bounded requests").
 */
import type { IDataObject, IHttpRequestMethods, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { DELIVERY_NOTE_TTL_MS, deliveryKey, deliveryNote } from '../../shared/coordination';
import { asNodeError, type ErrorKind } from '../../shared/errors';
import type { AssembledClient } from '../transport';

export interface DeliverySettings {
	node: INode;
	continueOnFail: boolean;
	/** Split a rejected batch to single out the items at fault; otherwise the whole batch fails. */
	isolateRejected: boolean;
}

/** One bulk endpoint and how its answers name items. */
export interface BulkWire<P> {
	method: IHttpRequestMethods;
	path: string;
	/** The body's array: `{ [bodyKey]: [payload, …] }`. */
	bodyKey: string;
	/** What the items are called in messages ("scores"). */
	noun: string;
	/** The id a per-item error in a 2xx answer may name the item by. */
	idField: string;
	idOf(payload: P): string | undefined;
	/** Words of a 400 about the request as a whole (a header, the body's shape) rather than items in it. */
	requestWords: RegExp;
	/** Words that name an item (`scores[3]`, its id): such a 400 is about items, whatever else it says. */
	itemWords: RegExp;
}

/** The words a bulk endpoint's errors are judged by, for a body key and an item id field. */
export function wordsFor(noun: string, bodyKey: string, idField: string): Pick<BulkWire<unknown>, 'requestWords' | 'itemWords'> {
	return {
		requestWords: new RegExp(
			String.raw`\b(api[- ]?version|content[- ]type|header|not valid json|malformed|request body|must be an array|too many ${noun}|payload too large|unsupported media)\b`,
			'i',
		),
		itemWords: new RegExp(String.raw`${bodyKey}\[\d+\]|\b${idField}\b|\bindex\b`, 'i'),
	};
}

/** An item on its way: its input position, the payload sent for it, its batch (from 1). */
export interface DeliveryItem<P> {
	index: number;
	payload: P;
	batch: number;
}

export type Sent<T> = T & { status: 'sent'; httpStatus: number };

/** An item Assembled did not take; the reasons are the error's words when it happened. */
export type Failed<T> = T & {
	status: 'failed';
	kind: ErrorKind;
	reasons: string[];
	error: NodeApiError | NodeOperationError;
	httpStatus?: number;
};

/** The reasons are the error's words now: a description added to the error later shows only in `details`. */
export function failedItem<T extends object>(item: T, error: NodeApiError, kind: ErrorKind = 'notSent'): Failed<T> {
	return {
		...item,
		status: 'failed',
		kind,
		reasons: [error.message, ...(error.description ? [error.description] : [])],
		error,
	};
}

type Verdict = { kind: 'settled' } | { kind: 'rejected'; error: NodeApiError };

function isFatal(error: unknown): boolean {
	// Nothing later in this execution can succeed after these: stop sending.
	return error instanceof NodeApiError && ['401', '402', '403', '404'].includes(String(error.httpCode));
}

function isRejection(error: unknown): error is NodeApiError {
	return error instanceof NodeApiError && ['400', '413', '422'].includes(String(error.httpCode));
}

/** Requests one rejected batch may cost while its items at fault are looked for. */
function isolationBudget(size: number): number {
	return 4 * Math.ceil(Math.log2(Math.max(2, size))) + 5;
}

/** One run's batches, sent one after another through the client's shared limiter. */
export class BulkDelivery<P, T extends DeliveryItem<P>> {
	/** The error that stopped the sending; later batches fail with it unsent. */
	private abortedBy?: NodeApiError;

	constructor(
		private readonly client: AssembledClient,
		private readonly wire: BulkWire<P>,
		private readonly settings: DeliverySettings,
		/** Receives the outcome of every item, once. */
		private readonly settle: (outcome: Sent<T> | Failed<T>) => void,
	) {}

	async send(batches: T[][]): Promise<void> {
		for (const batch of batches) await this.sendBatch(batch);
	}

	/** Sends one batch, after the ones sent before it (the caller awaits each in turn). */
	async sendBatch(batch: T[]): Promise<void> {
		const verdict = await this.attempt(batch);
		if (verdict.kind === 'rejected') await this.isolate(batch, verdict.error, { left: isolationBudget(batch.length) });
	}

	private namesTheRequest(error: NodeApiError): boolean {
		// The opening words only: a server that echoes the request would name headers further on.
		const opening = error.message.slice(0, 200);
		return this.wire.requestWords.test(opening) && !this.wire.itemWords.test(opening);
	}

	/** An error's words without the numbers and ids that change from answer to answer (request ids). */
	private wordsOf(error: NodeApiError): string | undefined {
		if (this.wire.itemWords.test(error.message)) return undefined;
		return error.message.replace(/\b[0-9a-f]{8,}\b|[0-9a-f-]{36}/gi, '#').replace(/\d+/g, '#');
	}

	/**
	 * Maps a per-item `errors` (or `failed`) array in a bulk response to batch positions. Assembled
	 * documents no such array (docs/assembled.md, "QA scores"); it is read in case one is sent.
	 */
	private itemErrors(body: unknown, batch: T[]): Map<number, string> {
		const result = new Map<number, string>();
		const errors = (body as { errors?: unknown; failed?: unknown } | undefined)?.errors ??
			(body as { failed?: unknown } | undefined)?.failed;
		if (!Array.isArray(errors)) return result;
		for (const entry of errors) {
			if (!entry || typeof entry !== 'object') continue;
			const { index, error, message } = entry as IDataObject;
			const id = (entry as IDataObject)[this.wire.idField];
			let position = typeof index === 'number' && index >= 0 && index < batch.length ? index : -1;
			if (position < 0 && id !== undefined) {
				position = batch.findIndex((item) => this.wire.idOf(item.payload) === String(id));
			}
			const words = typeof error === 'string' ? error : typeof message === 'string' ? message : JSON.stringify(error ?? message ?? 'rejected by Assembled');
			if (position >= 0) result.set(position, words);
		}
		return result;
	}

	private fail(batch: T[], error: NodeApiError, kind: ErrorKind = 'notSent') {
		for (const item of batch) this.settle(failedItem(item, error, kind));
	}

	private abort(error: NodeApiError, batch: T[]) {
		this.abortedBy = error;
		this.fail(batch, error);
	}

	/**
	 * In queue mode, n8n's main process learns only whether a run failed, not which scores it
	 * delivered: accepted scores are noted in Redis, where the Evaluation Trigger reads them.
	 */
	private async noteDelivered(accepted: T[]) {
		const scores = accepted
			.map((item) => item.payload as { imported_id?: unknown; score?: unknown; max_score?: unknown })
			.filter((payload) => typeof payload?.imported_id === 'string' && payload.score !== undefined);
		if (scores.length === 0) return;
		const shared = await this.client.sharedState();
		if (shared.kind !== 'redis') return;
		const now = Date.now();
		await shared.note(
			scores.map((payload) => [deliveryKey(payload.imported_id as string), deliveryNote(now, payload.score, payload.max_score)]),
			DELIVERY_NOTE_TTL_MS,
		);
	}

	/** Sends one batch once. Success, per-item errors and hard failures settle it; a rejection is returned. */
	private async attempt(batch: T[]): Promise<Verdict> {
		if (this.abortedBy) {
			this.fail(batch, this.abortedBy);
			return { kind: 'settled' };
		}
		const { client, wire } = this;
		try {
			const response = await client.send(
				{
					method: wire.method,
					path: wire.path,
					body: { [wire.bodyKey]: batch.map((item) => item.payload) } as unknown as IDataObject,
				},
				batch[0].index,
			);
			const rejected = this.itemErrors(response.body, batch);
			batch.forEach((item, position) => {
				const httpStatus = response.statusCode;
				const reason = rejected.get(position);
				if (reason === undefined) {
					this.settle({ ...item, status: 'sent', httpStatus });
					return;
				}
				// A server may echo the request in its reasons: masked like every other message.
				const said = client.redact(reason).slice(0, 300);
				const error = client.apiError(
					`Assembled rejected item ${item.index}: ${said}`,
					`Assembled accepted the other ${wire.noun} of the request.`,
					{ itemIndex: item.index, httpCode: String(response.statusCode) },
				);
				this.settle(failedItem({ ...item, httpStatus }, error, 'rejectedItem'));
			});
			await this.noteDelivered(batch.filter((_, position) => !rejected.has(position)));
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
		const note = `The error is about the request itself, not about particular ${this.wire.noun}, so nothing more was sent.`;
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
	private async isolate(batch: T[], error: NodeApiError, budget: { left: number }, suspect = false): Promise<void> {
		if (this.namesTheRequest(error)) return this.abort(this.requestLevel(error), batch);
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
		const words = this.wordsOf(error);
		const sameWords =
			words !== undefined && verdicts.every((verdict) => verdict.kind === 'rejected' && this.wordsOf(verdict.error) === words);
		if (sameWords && suspect) {
			for (const part of parts) this.abort(this.requestLevel(error), part);
			return;
		}
		for (const [position, verdict] of verdicts.entries()) {
			if (verdict.kind === 'rejected') await this.isolate(parts[position], verdict.error, budget, sameWords && position === 0);
		}
	}
}
