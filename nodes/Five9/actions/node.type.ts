/** Every resource and operation of the Five9 node; `router.ts` must handle each one. */
export type Five9Type =
	| { resource: 'agentState'; operation: 'getMany' }
	| { resource: 'evaluation'; operation: 'getMany' }
	| { resource: 'report'; operation: 'getResult' | 'getWindowFiles' | 'run' | 'saveCheckpoint' };
