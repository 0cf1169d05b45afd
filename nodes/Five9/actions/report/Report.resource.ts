import type { INodeProperties } from 'n8n-workflow';

import * as getResult from './getResult.operation';
import * as getWindowFiles from './getWindowFiles.operation';
import * as run from './run.operation';
import * as saveCheckpoint from './saveCheckpoint.operation';

export { getResult, getWindowFiles, run, saveCheckpoint };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['report'] } },
		options: [
			{
				name: 'Get Day Files',
				value: 'getWindowFiles',
				description: 'Run a report over days and output one CSV file per day',
				action: 'Get one report file per day',
			},
			{
				name: 'Get Rows of a Run',
				value: 'getResult',
				description: 'Read the rows of a report run started elsewhere, by its identifier',
				action: 'Get the rows of a report run',
			},
			{
				name: 'Mark Days as Done',
				value: 'saveCheckpoint',
				description: 'After the node that stores the days: remember them as done, so the next run of a backfill starts after them',
				action: 'Mark backfill days as done',
			},
			{
				name: 'Run',
				value: 'run',
				description: 'Run a report over a date range, by day, and output one item per row',
				action: 'Run a report',
			},
		],
		default: 'run',
	},
	...run.description,
	...getResult.description,
	...getWindowFiles.description,
	...saveCheckpoint.description,
];
