import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { FILTER_KIND, filterTree, isFilterType, listNamed } from '../../helpers/filters';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions, returnAllAndLimit } from '../common.descriptions';
import { filterTypeField } from './filter.descriptions';

const show = { resource: ['filter'], operation: ['getMany'] };

export const description: INodeProperties[] = [filterTypeField(show), ...returnAllAndLimit(show), ...operationOptions(show)];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new AssembledClient(this, clientOptionsFrom(settingsOf(this, 0)));
	return await runPerItem.call(this, async (itemIndex) => {
		const type = this.getNodeParameter('filterType', itemIndex, 'team');
		if (!isFilterType(type)) {
			throw new NodeOperationError(this.getNode(), `Filter Type must be queue, site, team or skill, not "${String(type)}"`, { itemIndex });
		}
		// One request: Assembled sends the whole collection, unpaged (docs/assembled.md, "Filters, people writes, activity writes, event changes").
		let filters = filterTree(await listNamed(client, FILTER_KIND[type], itemIndex));
		if (!(this.getNodeParameter('returnAll', itemIndex, false) as boolean)) {
			filters = filters.slice(0, this.getNodeParameter('limit', itemIndex, 50) as number);
		}
		return filters.map((filter) => ({ type, ...filter }));
	});
}
