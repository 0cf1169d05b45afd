/** Every resource and operation of the Five9 node; `router.ts` must handle each one. */
export type Five9Type =
	| { resource: 'agentGroup'; operation: 'getMany' }
	| { resource: 'agentState'; operation: 'getMany' }
	| { resource: 'campaign'; operation: 'getMany' }
	| { resource: 'disposition'; operation: 'getMany' }
	| { resource: 'evaluation'; operation: 'getMany' }
	| { resource: 'reasonCode'; operation: 'getMany' }
	| { resource: 'report'; operation: 'getResult' | 'getWindowFiles' | 'run' | 'saveCheckpoint' }
	| { resource: 'skill'; operation: 'getMany' }
	| { resource: 'user'; operation: 'getMany' };
