import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { route, type OperationMap } from '../../shared/options';
import * as activity from './activity/Activity.resource';
import * as activityType from './activityType/ActivityType.resource';
import * as agentState from './agentState/AgentState.resource';
import * as conversation from './conversation/Conversation.resource';
import * as eventChange from './eventChange/EventChange.resource';
import * as filter from './filter/Filter.resource';
import * as forecast from './forecast/Forecast.resource';
import type { AssembledType } from './node.type';
import * as person from './person/Person.resource';
import * as qaScore from './qaScore/QaScore.resource';
import * as requirement from './requirement/Requirement.resource';
import * as timeOff from './timeOff/TimeOff.resource';
import * as workingHours from './workingHours/WorkingHours.resource';
import * as report from './report/Report.resource';

const operations: OperationMap<AssembledType> = {
	activity: { create: activity.create, getMany: activity.getMany, createMany: activity.createMany, delete: activity.deleteActivity },
	activityType: { getMany: activityType.getMany },
	agentState: { createMany: agentState.createMany, getMany: agentState.getMany },
	conversation: { createMany: conversation.createMany, updateMany: conversation.updateMany },
	eventChange: { getMany: eventChange.getMany },
	filter: { create: filter.create, getMany: filter.getMany },
	forecast: { getMany: forecast.getMany },
	person: { findByEmail: person.findByEmail, get: person.get, getMany: person.getMany, create: person.create, update: person.update },
	qaScore: { createMany: qaScore.createMany },
	requirement: { create: requirement.create, getMany: requirement.getMany },
	timeOff: { cancel: timeOff.cancel, create: timeOff.create, getMany: timeOff.getMany },
	workingHours: { getMany: workingHours.getMany },
	report: { get: report.get, run: report.run },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route.call(this, operations);
}
