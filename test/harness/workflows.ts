import type { IDataObject, INode } from 'n8n-workflow';

import type { WorkflowJson } from './engine';

export interface TestNode {
	type: string;
	parameters: IDataObject;
	onError?: INode['onError'];
	credentials?: INode['credentials'];
	typeVersion?: number;
}

export const ASSEMBLED_TYPE = 'n8n-nodes-five9-assembled.assembled';

/**
 * A test workflow: Manual Trigger → Set (raw JSON rows) → Split Out → the node under test.
 * The rows become one input item each, as a real upstream node would hand them over.
 */
export function rowsInto(
	rows: IDataObject[],
	node: TestNode,
	name = 'Node Under Test',
): WorkflowJson {
	const nodeUnderTest: INode = {
		id: 'under-test',
		name,
		typeVersion: 1,
		position: [660, 0],
		...node,
	} as unknown as INode;
	return {
		name: 'test workflow',
		nodes: [
			{ id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'r',
				name: 'Rows',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ rows }), options: {} },
			},
			{
				id: 's',
				name: 'Split',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [440, 0],
				parameters: { fieldToSplitOut: 'rows', options: {} },
			},
			nodeUnderTest,
		],
		connections: {
			Start: { main: [[{ node: 'Rows', type: 'main' as never, index: 0 }]] },
			Rows: { main: [[{ node: 'Split', type: 'main' as never, index: 0 }]] },
			Split: { main: [[{ node: name, type: 'main' as never, index: 0 }]] },
		},
	};
}

export function assembledNode(parameters: IDataObject, onError?: INode['onError']): TestNode {
	return {
		type: ASSEMBLED_TYPE,
		parameters,
		onError,
		credentials: { assembledApi: { id: 'assembledCred1', name: 'Assembled account' } },
	};
}
