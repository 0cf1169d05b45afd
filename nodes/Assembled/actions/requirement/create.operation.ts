import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { rowError } from '../../../shared/errors';
import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { locatorParameter } from '../../helpers/locators';
import {
	intervalsOf,
	itemUnixSeconds,
	listRequirementTypes,
	requiredCount,
	requirementTypeIdOf,
	type RequirementType,
} from '../../helpers/planning';
import { withIsoTimes } from '../../helpers/time';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions, resourceLocator, timeRange } from '../common.descriptions';
import { dryRunOption } from '../planning.descriptions';

const show = { resource: ['requirement'], operation: ['create'] };

export const description: INodeProperties[] = [
	resourceLocator({
		displayName: 'Requirement Type',
		name: 'requirementType',
		searchListMethod: 'searchRequirementTypes',
		description: 'The kind of staffing need: pick it, or give its ID or name',
		show,
		required: true,
		byName: { placeholder: 'e.g. Phones' },
	}),
	...timeRange(show),
	{
		displayName: 'Required Agents',
		name: 'required',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		required: true,
		displayOptions: { show },
		default: 1,
		description: 'How many agents are needed in each interval; may be partial (e.g. 2.5)',
	},
	...operationOptions(show, [
		dryRunOption('requirements'),
		{
			displayName: 'Split Into Intervals Of (Minutes)',
			name: 'intervalMinutes',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				"Assembled takes one requirement per interval of the instance's configured length (e.g. 15 or 60 minutes). Set that length to cut Start–End into one requirement per interval; 0 sends Start–End as one requirement.",
		},
	]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new AssembledClient(this, clientOptionsFrom(settingsOf(this, 0)));
	let typeList: Promise<RequirementType[]> | undefined;
	return await runPerItem.call(this, async (itemIndex, emit) => {
		const node = this.getNode();
		const givenType = locatorParameter(this, 'requirementType', itemIndex);
		if (!givenType) throw rowError(node, 'Requirement Type is empty', 'invalidItem', { itemIndex });
		const start = itemUnixSeconds(this, 'startTime', 'Start', itemIndex);
		const end = itemUnixSeconds(this, 'endTime', 'End', itemIndex);
		if (end <= start) throw rowError(node, 'End must be after Start', 'invalidItem', { itemIndex });
		const required = requiredCount(node, this.getNodeParameter('required', itemIndex, 1), itemIndex);
		const options = settingsOf(this, itemIndex);
		const minutes = Math.max(0, Math.floor(Number(options.intervalMinutes) || 0));
		const intervals = intervalsOf(node, start, end, minutes * 60, itemIndex);
		typeList ??= listRequirementTypes(node, client, itemIndex);
		const typeId = requirementTypeIdOf(node, await typeList, givenType, itemIndex);

		// Body as Assembled's own client sends it (docs/assembled.md, "Requirements"); a requirement
		// of the same type and interval is overwritten, so a re-run changes nothing.
		for (const [from, to] of intervals) {
			const payload: IDataObject = { requirement_type_id: typeId, start_time: from, end_time: to, required };
			if (options.dryRun === true) {
				emit({ json: { status: 'dryRun', payload } });
				continue;
			}
			const answer = await client.request<unknown>({ method: 'POST', path: '/v0/requirements', body: payload }, itemIndex);
			const saved = answer && typeof answer === 'object' && !Array.isArray(answer) ? { ...payload, ...(answer as IDataObject) } : payload;
			// Each one goes out as it is saved: should a later interval fail, the earlier ones still show.
			emit({ json: { status: 'created', requirement: withIsoTimes(saved) } });
		}
		return [];
	}, { asOutputs: true });
}
