import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeListing } from '../../helpers/directory';
import { listingFields } from '../../helpers/directory.descriptions';
import { operationOptions } from '../common.descriptions';

const show = { resource: ['disposition'], operation: ['getMany'] };

export const description: INodeProperties[] = [...listingFields(show, 'disposition'), ...operationOptions(show)];

/** getDispositions(dispositionNamePattern) (docs/five9.md, "Directory"). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await executeListing.call(this, 'disposition');
}
