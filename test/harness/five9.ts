import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { runWorkflow, type WorkflowRun } from './engine';
import { singleNodeWorkflow } from './single-node';
import { callFacts, gridIndexes, type MockWindow } from '../mocks/five9-data';
import type { Five9Mock } from '../mocks/five9';

export const FIVE9_TYPE = 'n8n-nodes-five9-assembled.five9';
export const FIVE9_CREDENTIAL_REF = { five9Api: { id: 'five9Cred1', name: 'Five9 account' } };
export const NODE = 'Node Under Test';

/** Small waits so retries cost milliseconds in tests. */
export const FAST = { retryDelayMs: 1, maxRetries: 3, pollTimeoutSeconds: 1 };

export function callLogRun(parameters: IDataObject = {}, options: IDataObject = {}): INodeParameters {
	return {
		resource: 'report',
		operation: 'run',
		folderName: 'Call Log Reports',
		reportName: 'Call Log',
		range: 'custom',
		start: '2024-03-09',
		end: '2024-03-12',
		...parameters,
		options: { ...FAST, ...options },
	} as INodeParameters;
}

export async function runFive9(
	mock: Five9Mock,
	parameters: INodeParameters,
	extra: { credentials?: Record<string, string>; onError?: INode['onError'] } = {},
): Promise<WorkflowRun> {
	const workflow = singleNodeWorkflow({
		type: FIVE9_TYPE,
		parameters,
		credentials: FIVE9_CREDENTIAL_REF,
		onError: extra.onError,
	});
	return await runWorkflow(workflow, { credentials: { five9Api: mock.credentials(extra.credentials) } });
}

/** Midnights of Los Angeles around the 2024 DST changes, known independently of any code. */
export const LA = {
	mar09: Date.UTC(2024, 2, 9, 8),
	mar10: Date.UTC(2024, 2, 10, 8),
	mar11: Date.UTC(2024, 2, 11, 7), // spring forward: 10 March has 23 hours
	mar12: Date.UTC(2024, 2, 12, 7),
	nov03: Date.UTC(2024, 10, 3, 7),
	nov04: Date.UTC(2024, 10, 4, 8), // fall back: 3 November has 25 hours
};

/** Midnight starting `date` (YYYY-MM-DD) in `timeZone`, found by asking Intl for the offset. */
export function midnightIn(date: string, timeZone: string): number {
	const [y, m, d] = date.split('-').map(Number);
	const naive = Date.UTC(y, m - 1, d);
	let guess = naive;
	for (let i = 0; i < 3; i++) {
		const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
			.formatToParts(new Date(guess))
			.find((part) => part.type === 'timeZoneName')!.value;
		const match = /GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(name)!;
		const offset = match[1] ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000 : 0;
		guess = naive - offset;
	}
	return guess;
}

/** Today's date (YYYY-MM-DD) in `timeZone`. */
export function dateIn(epochMs: number, timeZone: string): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(epochMs));
}

/**
 * Checks converted Call Log items against the calls the mock's grid puts in `windows`: same calls
 * in order, and every converted value equal to the plain facts (not to the mock's text).
 */
export function expectCallLogItems(items: IDataObject[], windows: MockWindow[], spacingSeconds: number) {
	const expectedIds = windows.flatMap((window) => gridIndexes(window, spacingSeconds)).map((k) => String(300000000000000 + k));
	expect(items.map((item) => item['CALL ID'])).toEqual(expectedIds);
	for (const item of items) {
		const facts = callFacts(Number(item['CALL ID']) - 300000000000000, spacingSeconds);
		expect({
			TIMESTAMP: item.TIMESTAMP,
			CAMPAIGN: item.CAMPAIGN,
			AGENT: item.AGENT,
			'AGENT NAME': item['AGENT NAME'],
			DISPOSITION: item.DISPOSITION,
			ANI: item.ANI,
			'CUSTOMER NAME': item['CUSTOMER NAME'],
			DNIS: item.DNIS,
			'CALL TIME': item['CALL TIME'],
			'BILL TIME (ROUNDED)': item['BILL TIME (ROUNDED)'],
			COST: item.COST,
			'QUEUE WAIT TIME': item['QUEUE WAIT TIME'],
			'TALK TIME': item['TALK TIME'],
			'HOLD TIME': item['HOLD TIME'],
			'AFTER CALL WORK TIME': item['AFTER CALL WORK TIME'],
			TRANSFERS: item.TRANSFERS,
			ABANDONED: item.ABANDONED,
		}).toEqual({
			TIMESTAMP: new Date(facts.instantMs).toISOString(),
			CAMPAIGN: facts.campaign,
			AGENT: facts.agentEmail,
			'AGENT NAME': facts.agentName,
			DISPOSITION: facts.disposition,
			ANI: facts.ani,
			'CUSTOMER NAME': facts.customerName,
			DNIS: '8005550100',
			'CALL TIME': facts.callSeconds,
			'BILL TIME (ROUNDED)': facts.billSeconds,
			COST: facts.cost,
			'QUEUE WAIT TIME': facts.queueSeconds,
			'TALK TIME': facts.talkSeconds,
			'HOLD TIME': facts.holdSeconds,
			'AFTER CALL WORK TIME': facts.acwSeconds,
			TRANSFERS: facts.transfers,
			ABANDONED: facts.abandoned ? 1 : 0,
		});
	}
}
