/** Every resource and operation of the Assembled node; `router.ts` must handle each one. */
export type AssembledType =
	| { resource: 'activity'; operation: 'create' }
	| { resource: 'activity'; operation: 'getMany' }
	| { resource: 'activityType'; operation: 'getMany' }
	| { resource: 'agentState'; operation: 'getMany' }
	| { resource: 'person'; operation: 'findByEmail' }
	| { resource: 'person'; operation: 'get' }
	| { resource: 'person'; operation: 'getMany' }
	| { resource: 'qaScore'; operation: 'createMany' };
