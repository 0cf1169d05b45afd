import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, errorOutputItem, kindOf } from './errors';

export interface ItemOutput {
	json: IDataObject;
	binary?: IBinaryKeyData;
}

/** A result that is already a whole output item, e.g. a row-level `errorOutputItem`. */
function isExecutionItem(result: IDataObject | ItemOutput | INodeExecutionData): result is INodeExecutionData {
	return typeof result === 'object' && result !== null && 'json' in result && ('pairedItem' in result || 'error' in result);
}

/**
 * Runs `perItem` for every input item, pairing each result with its item and turning a failure
 * into an error item when the node continues on fail. Results passed to `emit` before a failure
 * (e.g. windows 1–4 of 7) are kept in that case and go out ahead of the error item.
 *
 * A thrown error means the item's whole job failed: its error item is run level (see errors.ts),
 * unless it is a `rowError`. Row-level problems may also be returned as `errorOutputItem`s.
 */
export async function runPerItem(
	this: IExecuteFunctions,
	perItem: (
		itemIndex: number,
		emit: (result: ItemOutput) => void,
	) => Promise<Array<IDataObject | ItemOutput | INodeExecutionData>>,
	options: { asOutputs?: boolean } = {},
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];
	const toItem = (result: IDataObject | ItemOutput | INodeExecutionData, itemIndex: number): INodeExecutionData => {
		if (isExecutionItem(result)) return { ...result, pairedItem: result.pairedItem ?? { item: itemIndex } };
		if (!options.asOutputs) return { json: result as IDataObject, pairedItem: { item: itemIndex } };
		const output = result as ItemOutput;
		return { json: output.json, ...(output.binary ? { binary: output.binary } : {}), pairedItem: { item: itemIndex } };
	};
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const emitted: INodeExecutionData[] = [];
		try {
			const results = await perItem(itemIndex, (result) => emitted.push(toItem(result, itemIndex)));
			for (const item of emitted) returnData.push(item);
			for (const result of results) returnData.push(toItem(result, itemIndex));
		} catch (error) {
			const wrapped = asNodeError(this.getNode(), error, itemIndex);
			if (this.continueOnFail()) {
				for (const item of emitted) returnData.push(item);
				returnData.push(errorOutputItem(wrapped, kindOf(wrapped), itemIndex));
				continue;
			}
			throw wrapped;
		}
	}
	return returnData;
}
