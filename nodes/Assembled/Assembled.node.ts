import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as person from './actions/person';
import * as qaScore from './actions/qaScore';
import { router } from './actions/router';

export class Assembled implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Assembled',
		name: 'assembled',
		icon: { light: 'file:assembled.svg', dark: 'file:assembled.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Push QA scores to Assembled and look up agents',
		defaults: { name: 'Assembled' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'assembledApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Person', value: 'person' },
					{ name: 'QA Score', value: 'qaScore' },
				],
				default: 'qaScore',
			},
			...person.description,
			...qaScore.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
