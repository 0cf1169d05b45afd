/** Every resource of the Five9 node with its operations: `route()` needs an operation for each. */
export type Five9Type =
	| { resource: 'agentState'; operation: 'getMany' }
	| { resource: 'evaluation'; operation: 'getMany' }
	| { resource: 'report'; operation: 'getResult' | 'getWindowFiles' | 'run' | 'saveCheckpoint' };
