import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError } from '../../shared/errors';

/**
 * Runs `perItem` for every input item, pairing each result with its item and turning a failure
 * into an error item when the node continues on fail.
 */
export async function runPerItem(
	this: IExecuteFunctions,
	perItem: (itemIndex: number) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const results = await perItem(itemIndex);
			for (const json of results) returnData.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (this.continueOnFail()) {
				const wrapped = asNodeError(this.getNode(), error, itemIndex);
				returnData.push({
					json: { error: wrapped.message },
					error: wrapped,
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			throw asNodeError(this.getNode(), error, itemIndex);
		}
	}
	return returnData;
}
