import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { conversationFields, pushConversations } from './conversation.descriptions';

export const description: INodeProperties[] = conversationFields('update');

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await pushConversations.call(this, 'update');
}
