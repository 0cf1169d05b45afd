import type { IDataObject, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** Keeps n8n's own errors as they are and wraps anything else, so every throw names the node. */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof Error) return new NodeOperationError(node, error, { itemIndex });
	return new NodeApiError(node, { message: String(error) } as JsonObject, { itemIndex });
}

/**
 * Every item on an error output says whether the whole run failed at its job (`run`: rejected
 * credentials, missing rights, report or file not found, a vendor still failing after the retry
 * budget) or one row of data is at fault (`row`: an unreadable row, an invalid item, an unknown
 * agent). Workflows report `row` items and stop with an error on `run` items (README, "Error outputs").
 */
export type ErrorLevel = 'run' | 'row';

/** Short, stable names for what went wrong, for Filter/If/Switch nodes. */
export type ErrorKind =
	// row level
	| 'unreadableRow'
	| 'invalidItem'
	| 'unknownAgent'
	| 'rejectedItem'
	// run level
	| 'runFailed'
	| 'notSent';

export const ROW_LEVEL_KINDS: ReadonlySet<ErrorKind> = new Set(['unreadableRow', 'invalidItem', 'unknownAgent', 'rejectedItem']);

export function levelOf(kind: ErrorKind): ErrorLevel {
	return ROW_LEVEL_KINDS.has(kind) ? 'row' : 'run';
}

/**
 * An item for the error output: `error` (the message) and `details` (`errorLevel`, `errorKind`,
 * `description` and whatever the operation adds). n8n routes an item to the error output only when
 * its JSON holds nothing but `error`, `message` and `details`, and then adds the input item's own
 * fields to it; an item carrying the error object itself would lose its JSON to n8n's own.
 */
export function errorOutputItem(
	error: NodeApiError | NodeOperationError,
	kind: ErrorKind,
	itemIndex: number,
	details: IDataObject = {},
): INodeExecutionData {
	const httpCode = error instanceof NodeApiError && error.httpCode ? error.httpCode : undefined;
	return {
		json: {
			error: error.message,
			details: {
				errorLevel: levelOf(kind),
				errorKind: kind,
				...(error.description ? { description: error.description } : {}),
				...(httpCode ? { httpCode } : {}),
				...details,
			},
		},
		pairedItem: { item: itemIndex },
	};
}

/**
 * An error about one item's data (row level): thrown inside `runPerItem`, it goes to the error
 * output as a row-level item instead of a failed run.
 */
export function rowError(
	node: INode,
	message: string,
	kind: ErrorKind,
	options: { itemIndex?: number; description?: string } = {},
): NodeOperationError {
	const error = new NodeOperationError(node, message, options);
	error.context.errorKind = kind;
	return error;
}

/** The kind an error carries (see `rowError`), else a failed run. */
export function kindOf(error: NodeApiError | NodeOperationError): ErrorKind {
	const kind = error.context?.errorKind;
	return typeof kind === 'string' ? (kind as ErrorKind) : 'runFailed';
}
