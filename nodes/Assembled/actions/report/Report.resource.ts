import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as run from './run.operation';

export { get, run };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['report'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Read the metric rows of a report started earlier, by its ID',
				action: 'Get a report',
			},
			{
				name: 'Run',
				value: 'run',
				description: 'Run an adherence or agent ticket stats report and return one item per metric row',
				action: 'Run a report',
			},
		],
		default: 'run',
	},
	...run.description,
	...get.description,
];
