import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { route, type OperationMap } from '../../shared/options';
import * as agentState from './agentState/AgentState.resource';
import * as evaluation from './evaluation/Evaluation.resource';
import type { Five9Type } from './node.type';
import * as report from './report/Report.resource';

const operations: OperationMap<Five9Type> = {
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
	return await route.call(this, operations);
}
