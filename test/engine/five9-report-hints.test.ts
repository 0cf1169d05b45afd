/**
 * The execution hints of Report → Run and Get Window Files, shown above the output: windows that
 * returned no rows, and windows that reached the row cap and were run again in parts. Which days
 * are empty or capped follows from the mock's call grid, computed here independently.
 */
import { callLogRun, LA, NODE, runFive9 } from '../harness/five9';
import { gridIndexes } from '../mocks/five9-data';
import { Five9Mock } from '../mocks/five9';

let mock: Five9Mock;
afterEach(() => mock.stop());

const DAYS = ['2024-03-09', '2024-03-10', '2024-03-11'];
const windows = [
	{ startMs: LA.mar09, endMs: LA.mar10 },
	{ startMs: LA.mar10, endMs: LA.mar11 },
	{ startMs: LA.mar11, endMs: LA.mar12 },
];

test('Run: days without a call are named in a hint', async () => {
	// A call every 30 hours: some Los Angeles days have none.
	const spacing = 30 * 3600;
	mock = await new Five9Mock({ runningPolls: 0, callSpacingSeconds: spacing }).start();
	const run = await runFive9(mock, callLogRun());
	expect(run.error).toBeUndefined();
	const empty = DAYS.filter((_, i) => gridIndexes(windows[i], spacing).length === 0);
	expect(empty.length).toBeGreaterThan(0);
	expect(run.nodeRun(NODE).hints).toEqual([
		{
			message: `No rows for ${empty.length} of 3 windows: ${empty.join(', ')}. If rows were expected there, check the range, the criteria and the report’s own filters in Five9.`,
			type: 'info',
			location: 'outputPane',
		},
	]);
});

test('Get Window Files: windows split for the row cap are named with their parts', async () => {
	mock = await new Five9Mock({ runningPolls: 0, callSpacingSeconds: 600, csvCap: 100 }).start();
	const run = await runFive9(mock, callLogRun({ operation: 'getWindowFiles' }, { rowCap: 100 }));
	expect(run.error).toBeUndefined();
	const items = run.json(NODE);
	const split = items.filter((item) => (item._window as { split: boolean }).split);
	expect(split.length).toBe(3);
	const named = split.map((item) => `${(item._window as { date: string }).date} (${(item._window as { parts: number }).parts} parts)`);
	expect(run.nodeRun(NODE).hints).toEqual([
		expect.objectContaining({ message: expect.stringContaining(`3 windows reached Five9’s row cap and ran again in smaller parts, so nothing was cut off: ${named.join(', ')}.`) }),
	]);
});

test('no hint when every window has rows and none reached the cap', async () => {
	mock = await new Five9Mock({ runningPolls: 0 }).start();
	const run = await runFive9(mock, callLogRun());
	expect(run.error).toBeUndefined();
	expect(run.nodeRun(NODE).hints ?? []).toEqual([]);
});
