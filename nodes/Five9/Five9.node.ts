import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as agentState from './actions/agentState/AgentState.resource';
import * as evaluation from './actions/evaluation/Evaluation.resource';
import * as report from './actions/report/Report.resource';
import { router } from './actions/router';

export class Five9 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Five9',
		name: 'five9',
		icon: { light: 'file:five9.svg', dark: 'file:five9.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read Five9 reports (Call Log, Digital Channel Log…) day by day, AQM quality evaluations, and live agent states',
		defaults: { name: 'Five9' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			// Save Checkpoint only writes the workflow's static data: it asks for no Five9 login.
			{
				name: 'five9Api',
				required: true,
				displayOptions: { hide: { source: ['api', 'file'], operation: ['saveCheckpoint'] } },
			},
			{ name: 'five9EvaluationsApi', required: true, displayOptions: { show: { source: ['api'] } } },
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Agent State', value: 'agentState' },
					{ name: 'Evaluation', value: 'evaluation' },
					{ name: 'Report', value: 'report' },
				],
				default: 'report',
			},
			...agentState.description,
			...evaluation.description,
			...report.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
