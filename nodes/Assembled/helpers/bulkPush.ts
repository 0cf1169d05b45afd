/**
 * The push every bulk write of the Assembled node shares once its items are read: copies of one id
 * within the input, batches, a dry run or the delivery (bulkDelivery.ts), and one output item per
 * input item. Invalid items and items Assembled did not take go to the error output when the node
 * continues on fail; otherwise the run stops, naming them.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { chunk } from '../../shared/batching';
import { errorOutputItem, type ErrorKind } from '../../shared/errors';
import type { AssembledClient } from '../transport';
import { BulkDelivery, type BulkWire, type DeliveryItem, type Failed, type Sent } from './bulkDelivery';

/** An item read and valid, with the payload sent for it and what its output item adds. */
export interface ReadyItem<P> {
	index: number;
	payload: P;
	/** Fields of the output item besides status, id, batch and payload (e.g. how the agent was found). */
	extra?: IDataObject;
}

/** An item that is not sent: invalid, or its agent unknown. */
export interface RefusedItem {
	index: number;
	/** The id it gave, for the output item. */
	rawId?: string;
	reasons: string[];
	kind: ErrorKind;
}

/** An item that could not be sent for a reason that is not its own (e.g. Assembled People unreachable). */
export interface UnsentItem {
	index: number;
	rawId?: string;
	error: NodeApiError | NodeOperationError;
}

type Batched<P> = ReadyItem<P> & DeliveryItem<P>;

type Outcome<P> =
	| Sent<Batched<P>>
	| Failed<Batched<P>>
	| (Batched<P> & { status: 'dryRun' })
	| (ReadyItem<P> & { status: 'duplicate' | 'superseded'; replacedBy: number })
	| (RefusedItem & { status: 'invalid'; error: NodeOperationError })
	| (UnsentItem & { status: 'failed'; kind: ErrorKind; reasons: string[] });

/**
 * Within one input the newest copy of each key is the one kept (the highest `rankOf`, then the
 * later item); the other copies are `duplicate` (identical payload) or `superseded`. The kept ones
 * keep their input order. Without `deduplicate` everything is kept.
 */
export function newestCopies<T extends { index: number; payload: object }>(
	items: T[],
	deduplicate: boolean,
	keyOf: (item: T) => string,
	rankOf: (item: T) => number = () => 0,
): { kept: T[]; replaced: Array<T & { status: 'duplicate' | 'superseded'; replacedBy: number }> } {
	if (!deduplicate) return { kept: items, replaced: [] };
	const newest = new Map<string, T>();
	for (const item of items) {
		const current = newest.get(keyOf(item));
		if (!current) {
			newest.set(keyOf(item), item);
			continue;
		}
		const a = rankOf(item);
		const b = rankOf(current);
		if (a > b || (a === b && item.index > current.index)) newest.set(keyOf(item), item);
	}
	const kept: T[] = [];
	const replaced: Array<T & { status: 'duplicate' | 'superseded'; replacedBy: number }> = [];
	for (const item of items) {
		const winner = newest.get(keyOf(item))!;
		if (winner === item) kept.push(item);
		else {
			const same = JSON.stringify(winner.payload) === JSON.stringify(item.payload);
			replaced.push({ ...item, status: same ? 'duplicate' : 'superseded', replacedBy: winner.index });
		}
	}
	return { kept, replaced };
}

export interface BulkPushOptions<P> {
	client: AssembledClient;
	wire: BulkWire<P>;
	ready: Array<ReadyItem<P>>;
	refused: RefusedItem[];
	/** Only when the node continues on fail; otherwise their error is thrown. */
	unsent?: UnsentItem[];
	batchSize: number;
	dryRun: boolean;
	deduplicate: boolean;
	isolateRejected: boolean;
	/** One item in messages: "conversation". */
	singular: string;
	/** What makes two items the same within one input (default: the wire's id). */
	keyOf?: (payload: P) => string | undefined;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

export async function pushInBulk<P extends object>(ctx: IExecuteFunctions, options: BulkPushOptions<P>): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	const continueOnFail = ctx.continueOnFail();
	const itemCount = ctx.getInputData().length;
	const { wire, singular } = options;
	const outcomes: Array<Outcome<P>> = [];
	const settle = (outcome: Outcome<P>) => {
		outcomes[outcome.index] = outcome;
	};

	for (const item of options.refused) {
		const error = new NodeOperationError(node, `Item ${item.index}: ${item.reasons.join('; ')}`, {
			itemIndex: item.index,
			description: 'The item was not sent to Assembled.',
		});
		settle({ ...item, status: 'invalid', error });
	}
	const invalid = options.refused;
	if (invalid.length > 0 && !continueOnFail) {
		const first = invalid[0];
		throw new NodeOperationError(node, `Item ${first.index}: ${first.reasons.join('; ')}`, {
			itemIndex: first.index,
			description: `${invalid.length} of ${itemCount} items are invalid, so nothing was sent. ${invalid
				.slice(0, 10)
				.map((item) => `Item ${item.index}: ${item.reasons.join('; ')}`)
				.join(' | ')}${invalid.length > 10 ? ' | …' : ''}. Turn on "On Error → Continue (using error output)" to send the valid items and route the others.`,
		});
	}

	const keyOf = options.keyOf ?? wire.idOf;
	for (const item of options.unsent ?? []) {
		const reasons = [item.error.message, ...(item.error.description ? [item.error.description] : [])];
		settle({ ...item, status: 'failed', kind: 'notSent', reasons });
	}

	const { kept, replaced } = newestCopies(options.ready, options.deduplicate, (item) => keyOf(item.payload) ?? `#${item.index}`);
	replaced.forEach(settle);
	const batches: Array<Array<Batched<P>>> = chunk(kept, options.batchSize).map((batch, position) =>
		batch.map((item) => ({ ...item, batch: position + 1 })),
	);
	if (options.dryRun) {
		for (const item of batches.flat()) settle({ ...item, status: 'dryRun' });
	} else {
		const delivery = new BulkDelivery<P, Batched<P>>(options.client, wire, { node, continueOnFail, isolateRejected: options.isolateRejected }, settle);
		await delivery.send(batches);
	}

	const failed = outcomes.filter((outcome) => outcome?.status === 'failed') as Array<Failed<Batched<P>>>;
	if (failed.length > 0 && !continueOnFail) {
		const first = failed[0];
		const sent = outcomes.filter((outcome) => outcome?.status === 'sent').length;
		throw new NodeOperationError(node, `Item ${first.index}: ${first.reasons.join(' ')}`, {
			itemIndex: first.index,
			description: `${failed.length} of ${itemCount} items could not be sent (${sent} were sent). Turn on "On Error → Continue (using error output)" to keep the sent items and route the failed ones.`,
		});
	}

	const count = (status: string) => outcomes.filter((outcome) => outcome?.status === status).length;
	const hints: NodeExecutionHint[] = [];
	if (options.dryRun) {
		hints.push({
			message: `Dry run: nothing was sent to Assembled. ${plural(count('dryRun'), singular)} in ${plural(batches.length, 'batch', 'batches')} would be sent; turn off "Dry Run" to send them.`,
			type: 'info',
			location: 'outputPane',
		});
	}
	const unknownAgents = invalid.filter((item) => item.kind === 'unknownAgent').length;
	if (unknownAgents > 0) {
		hints.push({
			message: `${plural(unknownAgents, singular)} not sent: no agent in Assembled People matched (see the error output).`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	const copies = count('duplicate') + count('superseded');
	if (copies > 0) {
		hints.push({
			message: `Some ${singular}s came more than once in the input: only the last copy of each ${options.dryRun ? 'would be' : 'was'} sent, and ${plural(copies, 'other copy is', 'other copies are')} marked "duplicate" or "superseded".`,
			type: 'info',
			location: 'outputPane',
		});
	}
	if (hints.length > 0) ctx.addExecutionHints(...hints);
	return outcomes.map((outcome) => toOutputItem(outcome, batches.length, wire));
}

/**
 * Sent, dry-run, duplicate and superseded items carry `status` at the top; invalid and failed ones
 * go to the error output with `details` (status inside), and n8n adds the input item's own fields.
 */
function toOutputItem<P>(outcome: Outcome<P>, batchCount: number, wire: BulkWire<P>): INodeExecutionData {
	const payload = 'payload' in outcome ? outcome.payload : undefined;
	const summary: IDataObject = {
		status: outcome.status,
		[wire.idField]: (payload ? wire.idOf(payload) : undefined) ?? ('rawId' in outcome ? outcome.rawId : undefined) ?? null,
		batch: 'batch' in outcome ? outcome.batch : null,
		batches: batchCount,
		payload: (payload as IDataObject | undefined) ?? null,
		...('extra' in outcome ? outcome.extra : {}),
	};
	if ('httpStatus' in outcome && outcome.httpStatus !== undefined) summary.httpStatus = outcome.httpStatus;
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
