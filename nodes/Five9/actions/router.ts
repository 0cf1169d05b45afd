import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { route, type OperationMap } from '../../shared/options';
import * as agentGroup from './agentGroup/AgentGroup.resource';
import * as agentState from './agentState/AgentState.resource';
import * as campaign from './campaign/Campaign.resource';
import * as disposition from './disposition/Disposition.resource';
import * as evaluation from './evaluation/Evaluation.resource';
import type { Five9Type } from './node.type';
import * as reasonCode from './reasonCode/ReasonCode.resource';
import * as report from './report/Report.resource';
import * as skill from './skill/Skill.resource';
import * as user from './user/User.resource';

const operations: OperationMap<Five9Type> = {
	agentGroup: { getMany: agentGroup.getMany },
	agentState: { getMany: agentState.getMany },
	campaign: { getMany: campaign.getMany },
	disposition: { getMany: disposition.getMany },
	evaluation: { getMany: evaluation.getMany },
	reasonCode: { getMany: reasonCode.getMany },
	report: {
		getResult: report.getResult,
		getWindowFiles: report.getWindowFiles,
		run: report.run,
		saveCheckpoint: report.saveCheckpoint,
	},
	skill: { getMany: skill.getMany },
	user: { getMany: user.getMany },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route.call(this, operations);
}
