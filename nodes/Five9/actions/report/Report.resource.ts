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
				name: 'Get Result',
				value: 'getResult',
				description: 'Read the rows of a report run by its identifier',
				action: 'Get a report result',
			},
			{
				name: 'Get Window Files',
				value: 'getWindowFiles',
				description: 'Run a report window by window and output one CSV file per window',
				action: 'Get report windows as files',
			},
			{
				name: 'Run',
				value: 'run',
				description: 'Run a report over a date range, one day at a time, and output one item per row',
				action: 'Run a report',
			},
			{
				name: 'Save Checkpoint',
				value: 'saveCheckpoint',
				description: 'Record the windows that reached this node as finished, for a resumable backfill',
				action: 'Save a backfill checkpoint',
			},
		],
		default: 'run',
	},
	...run.description,
	...getResult.description,
	...getWindowFiles.description,
	...saveCheckpoint.description,
];
