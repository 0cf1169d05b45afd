import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as activity from './actions/activity/Activity.resource';
import * as activityType from './actions/activityType/ActivityType.resource';
import * as agentState from './actions/agentState/AgentState.resource';
import * as person from './actions/person/Person.resource';
import * as qaScore from './actions/qaScore/QaScore.resource';
import { router } from './actions/router';
import {
	searchActivityTypes,
	searchAgents,
	searchPersons,
	searchQueues,
	searchSites,
	searchSkills,
	searchTeams,
} from './methods/listSearch';

export class Assembled implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Assembled',
		name: 'assembled',
		icon: { light: 'file:assembled.svg', dark: 'file:assembled.dark.svg' },
		group: ['output'],
		// 1.1 only changes defaults (QA Score Input Format, Find by Email's email): saved version-1
		// nodes omit the defaults they kept, so they keep the old ones.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Push QA scores to Assembled, look up agents, and schedule or read activities',
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
					{ name: 'Activity', value: 'activity' },
					{ name: 'Activity Type', value: 'activityType' },
					{ name: 'Agent State', value: 'agentState' },
					{ name: 'Person', value: 'person' },
					{ name: 'QA Score', value: 'qaScore' },
				],
				default: 'qaScore',
			},
			...activity.description,
			...activityType.description,
			...agentState.description,
			...person.description,
			...qaScore.description,
		],
	};

	methods = {
		listSearch: {
			searchActivityTypes,
			searchAgents,
			searchPersons,
			searchQueues,
			searchSites,
			searchSkills,
			searchTeams,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
