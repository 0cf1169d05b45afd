import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as activity from './actions/activity/Activity.resource';
import * as activityType from './actions/activityType/ActivityType.resource';
import * as agentState from './actions/agentState/AgentState.resource';
import * as conversation from './actions/conversation/Conversation.resource';
import * as eventChange from './actions/eventChange/EventChange.resource';
import * as filter from './actions/filter/Filter.resource';
import * as forecast from './actions/forecast/Forecast.resource';
import * as person from './actions/person/Person.resource';
import * as qaScore from './actions/qaScore/QaScore.resource';
import * as requirement from './actions/requirement/Requirement.resource';
import * as timeOff from './actions/timeOff/TimeOff.resource';
import * as workingHours from './actions/workingHours/WorkingHours.resource';
import * as report from './actions/report/Report.resource';
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
import { searchRequirementTypes, searchTimeOffTypes } from './methods/planningSearch';

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
		description: 'Push QA scores, conversations and agent states to Assembled; manage people, schedules, time off and requirements; run reports',
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
					{ name: 'Conversation', value: 'conversation' },
					{ name: 'Event Change', value: 'eventChange' },
					{ name: 'Forecast', value: 'forecast' },
					{ name: 'Person', value: 'person' },
					{ name: 'QA Score', value: 'qaScore' },
					{ name: 'Queue, Site, Team or Skill', value: 'filter' },
					{ name: 'Report', value: 'report' },
					{ name: 'Requirement', value: 'requirement' },
					{ name: 'Time Off', value: 'timeOff' },
					{ name: 'Working Hours Rule', value: 'workingHours' },
				],
				default: 'qaScore',
			},
			...activity.description,
			...activityType.description,
			...agentState.description,
			...conversation.description,
			...eventChange.description,
			...filter.description,
			...forecast.description,
			...person.description,
			...qaScore.description,
			...requirement.description,
			...timeOff.description,
			...workingHours.description,
			...report.description,
		],
	};

	methods = {
		listSearch: {
			searchActivityTypes,
			searchAgents,
			searchPersons,
			searchQueues,
			searchRequirementTypes,
			searchSites,
			searchSkills,
			searchTeams,
			searchTimeOffTypes,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
