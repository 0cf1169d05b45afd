import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as activity from './activity';
import * as activityType from './activityType';
import * as agentState from './agentState';
import * as person from './person';
import * as qaScore from './qaScore';

type Operation = { execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[]> };

const resources: Record<string, Record<string, Operation>> = {
	activity: { create: activity.create, getMany: activity.getMany },
	activityType: { getMany: activityType.getMany },
	agentState: { getMany: agentState.getMany },
	person: { findByEmail: person.findByEmail, get: person.get, getMany: person.getMany },
	qaScore: { createMany: qaScore.createMany },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await handler.execute.call(this)];
}
