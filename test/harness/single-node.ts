import type { INode, INodeParameters } from 'n8n-workflow';

import type { WorkflowJson } from './engine';

/** A Manual Trigger feeding one node: for engine tests of a node's options outside shipped workflows. */
export function singleNodeWorkflow(
	node: { type: string; parameters: INodeParameters; credentials?: INode['credentials']; onError?: INode['onError'] },
	name = 'Node Under Test',
): WorkflowJson {
	return {
		name: `single ${node.type}`,
		nodes: [
			{ id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'n',
				name,
				type: node.type,
				typeVersion: 1,
				position: [220, 0],
				parameters: node.parameters,
				...(node.credentials ? { credentials: node.credentials } : {}),
				...(node.onError ? { onError: node.onError } : {}),
			},
		],
		connections: { Start: { main: [[{ node: name, type: 'main', index: 0 }]] } },
	};
}
