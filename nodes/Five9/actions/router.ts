import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as agentState from './agentState';
import * as evaluation from './evaluation';
import * as report from './report';

type Operation = { execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[]> };

const resources: Record<string, Record<string, Operation>> = {
	agentState: { getMany: agentState.getMany },
	evaluation: { getMany: evaluation.getMany },
	report: {
		getResult: report.getResult,
		getWindowFiles: report.getWindowFiles,
		run: report.run,
		saveCheckpoint: report.saveCheckpoint,
	},
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
