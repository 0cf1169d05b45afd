import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as agentGroup from './actions/agentGroup/AgentGroup.resource';
import * as agentState from './actions/agentState/AgentState.resource';
import * as campaign from './actions/campaign/Campaign.resource';
import * as disposition from './actions/disposition/Disposition.resource';
import * as evaluation from './actions/evaluation/Evaluation.resource';
import * as reasonCode from './actions/reasonCode/ReasonCode.resource';
import * as report from './actions/report/Report.resource';
import { router } from './actions/router';
import { searchAgentGroups, searchCampaigns, searchSkills, searchUsers } from './methods/listSearch';
import * as skill from './actions/skill/Skill.resource';
import * as user from './actions/user/User.resource';

export class Five9 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Five9',
		name: 'five9',
		icon: { light: 'file:five9.svg', dark: 'file:five9.dark.svg' },
		group: ['input'],
		// 1.1: Report → Run and Get Day Files default to Previous Days (yesterday) instead of Custom.
		// 1.2: they read several days per report run when they fit (Adaptive Windows on when not set).
		version: [1, 1.1, 1.2],
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Read Five9 reports (Call Log, Digital Channel Log…) day by day, AQM quality evaluations, live agent states, and Five9’s users, campaigns, skills, agent groups, dispositions and reason codes',
		defaults: { name: 'Five9' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			// Mark Days as Done (saveCheckpoint) only writes the workflow's static data, and a file is read without Five9
			// unless its agent emails are filled from Five9 (five9LoginUnused): no Five9 login then.
			{
				name: 'five9Api',
				required: true,
				displayOptions: { hide: { source: ['api'], operation: ['saveCheckpoint'], five9LoginUnused: [true] } },
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
					{ name: 'Agent Group', value: 'agentGroup' },
					{ name: 'Agent State', value: 'agentState' },
					{ name: 'Campaign', value: 'campaign' },
					{ name: 'Disposition', value: 'disposition' },
					{ name: 'Evaluation', value: 'evaluation' },
					{ name: 'Reason Code', value: 'reasonCode' },
					{ name: 'Report', value: 'report' },
					{ name: 'Skill', value: 'skill' },
					{ name: 'User', value: 'user' },
				],
				default: 'report',
			},
			...agentGroup.description,
			...agentState.description,
			...campaign.description,
			...disposition.description,
			...evaluation.description,
			...reasonCode.description,
			...report.description,
			...skill.description,
			...user.description,
		],
	};

	methods = {
		listSearch: { searchAgentGroups, searchCampaigns, searchSkills, searchUsers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
