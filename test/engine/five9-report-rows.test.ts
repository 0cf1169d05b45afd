/**
 * How Report → Run rows read: version 1 keeps Five9's names and order with a nested _window;
 * version 1.1 puts identifier columns after the readable ones and leaves the window out unless
 * asked for (flat or nested); snake_case names on request. Columns come from the local server's
 * Call Log header, not from the node.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { Five9Mock } from '../mocks/five9';
import { CALL_LOG_COLUMNS } from '../mocks/five9-data';
import { runWorkflow } from '../harness/engine';
import { singleNodeWorkflow } from '../harness/single-node';
import { FAST, FIVE9_CREDENTIAL_REF, FIVE9_TYPE, NODE, callLogRun } from '../harness/five9';

let mock: Five9Mock;
beforeEach(async () => {
	mock = await new Five9Mock({ runningPolls: 0 }).start();
});
afterEach(() => mock.stop());

async function rows(parameters: INodeParameters, typeVersion: number): Promise<IDataObject[]> {
	// From 1.1 the quick test settings go under Advanced, where that version reads them.
	const all = typeVersion >= 1.1 ? { ...parameters, advanced: FAST } : parameters;
	const json = singleNodeWorkflow({ type: FIVE9_TYPE, parameters: all, credentials: FIVE9_CREDENTIAL_REF });
	json.nodes.find((node) => node.name === NODE)!.typeVersion = typeVersion;
	const run = await runWorkflow(json, { credentials: { five9Api: mock.credentials() } });
	expect(run.error).toBeUndefined();
	const items = run.json(NODE);
	expect(items.length).toBeGreaterThan(0);
	return items;
}

const oneDay = (options: IDataObject = {}) => callLogRun({ start: '2024-03-09', end: '2024-03-10' }, options);
const isId = (column: string) => /(^|\s)(ID|GUID)$/i.test(column);

test('version 1: Five9 names in Five9 order, and the nested _window', async () => {
	const [row] = await rows(oneDay(), 1);
	expect(Object.keys(row)).toEqual([...CALL_LOG_COLUMNS, '_window']);
	expect((row._window as IDataObject).date).toBe('2024-03-09');
});

test('version 1.1: identifier columns after the readable ones, no window unless asked for', async () => {
	const [row] = await rows(oneDay(), 1.1);
	const expected = [...CALL_LOG_COLUMNS.filter((c) => !isId(c)), ...CALL_LOG_COLUMNS.filter(isId)];
	expect(Object.keys(row)).toEqual(expected);
	expect(CALL_LOG_COLUMNS.some(isId)).toBe(true);
});

test('flat window fields and snake_case names', async () => {
	const [row] = await rows(oneDay({ windowDetails: 'flat', columnNames: 'snakeCase' }), 1.1);
	expect(row).toMatchObject({ window_date: '2024-03-09', window_split: false });
	expect(row.call_id).toBeDefined();
	expect(Object.keys(row).every((key) => /^[a-z0-9_]+$/.test(key))).toBe(true);
	expect(Object.keys(row)).toHaveLength(CALL_LOG_COLUMNS.length + 4);
});

test('the nested object on request in version 1.1', async () => {
	const [row] = await rows(oneDay({ windowDetails: 'object' }), 1.1);
	expect((row._window as IDataObject).date).toBe('2024-03-09');
});
