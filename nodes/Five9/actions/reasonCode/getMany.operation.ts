import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { clientOptionsFrom, Five9Client } from '../../transport';
import { REASON_CODE_TYPES, reasonCodesByName, type ReasonCodeType } from '../../helpers/directory';
import { operationOptions } from '../common.descriptions';

const show = { resource: ['reasonCode'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Five9 has no method that lists reason codes: name the ones to read',
		name: 'reasonCodeNotice',
		type: 'notice',
		displayOptions: { show },
		default: '',
	},
	{
		displayName: 'Names',
		name: 'names',
		type: 'string',
		required: true,
		displayOptions: { show },
		default: '',
		placeholder: 'Lunch, Break, Training',
		description: 'Comma-separated reason code names, exactly as in Five9. Names Five9 does not know are left out and listed in a hint.',
	},
	{
		displayName: 'Type',
		name: 'reasonCodeType',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: 'Logout', value: 'Logout' },
			{ name: 'Not Ready', value: 'NotReady' },
			{ name: 'Not Ready and Logout', value: 'all' },
		],
		default: 'all',
		description: 'Five9 keeps Not Ready and Logout reason codes apart; the same name may exist as both',
	},
	...operationOptions(show),
];

/** One getReasonCodeByType(reasonCodeName, type) per name and type (docs/five9.md, "Directory"). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new Five9Client(this, clientOptionsFrom(settingsOf(this, 0)));
	const missing = new Set<string>();
	const output = await runPerItem.call(this, async (itemIndex) => {
		const names = [
			...new Set(
				String(this.getNodeParameter('names', itemIndex, '') ?? '')
					.split(',')
					.map((name) => name.trim())
					.filter(Boolean),
			),
		];
		if (names.length === 0) throw new NodeOperationError(this.getNode(), 'Names is empty', { itemIndex });
		const type = String(this.getNodeParameter('reasonCodeType', itemIndex, 'all'));
		const types: readonly ReasonCodeType[] = (REASON_CODE_TYPES as readonly string[]).includes(type)
			? [type as ReasonCodeType]
			: REASON_CODE_TYPES;
		const lookup = await reasonCodesByName(this.getNode(), client, names, types, itemIndex);
		for (const name of lookup.missing) missing.add(name);
		return lookup.found;
	});
	if (missing.size > 0) {
		this.addExecutionHints({
			message: `Five9 has no reason code named ${[...missing].map((name) => `"${name}"`).join(', ')} (names are case-sensitive)`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return output;
}
