import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { route, type OperationMap } from '../../shared/options';
import * as activity from './activity/Activity.resource';
import * as activityType from './activityType/ActivityType.resource';
import * as agentState from './agentState/AgentState.resource';
import type { AssembledType } from './node.type';
import * as person from './person/Person.resource';
import * as qaScore from './qaScore/QaScore.resource';

const operations: OperationMap<AssembledType> = {
	activity: { create: activity.create, getMany: activity.getMany },
	activityType: { getMany: activityType.getMany },
	agentState: { getMany: agentState.getMany },
	person: { findByEmail: person.findByEmail, get: person.get, getMany: person.getMany },
	qaScore: { createMany: qaScore.createMany },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route.call(this, operations);
}
