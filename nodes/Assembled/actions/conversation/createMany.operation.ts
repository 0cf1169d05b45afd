import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { conversationFields, pushConversations } from './conversation.descriptions';

export const description: INodeProperties[] = conversationFields('create');

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await pushConversations.call(this, 'create');
}
