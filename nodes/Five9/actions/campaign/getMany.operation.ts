import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CAMPAIGN_TYPES, executeListing } from '../../helpers/directory';
import { listingFields } from '../../helpers/directory.descriptions';
import { operationOptions } from '../common.descriptions';

const show = { resource: ['campaign'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	...listingFields(show, 'campaign', [
		{
			displayName: 'Campaign Type',
			name: 'campaignType',
			type: 'options',
			options: [
				{ name: 'All Types', value: '' },
				{ name: 'Autodial', value: 'AUTODIAL' },
				{ name: 'Inbound', value: 'INBOUND' },
				{ name: 'Outbound', value: 'OUTBOUND' },
			],
			default: '',
			description: 'Only campaigns of this type',
		},
	]),
	...operationOptions(show),
];

/** getCampaigns(campaignNamePattern, campaignType) (docs/five9.md, "Directory"). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await executeListing.call(this, 'campaign', (filters) => {
		const type = String(filters.campaignType ?? '');
		// campaignType is optional: left out, Five9 lists every type.
		return (CAMPAIGN_TYPES as readonly string[]).includes(type) ? { extra: { campaignType: type } } : {};
	});
}
