/**
 * Report → Run through n8n's engine against the Five9 mock: windows, DST, conversion, the row cap.
 */
import type { IDataObject, INodeParameters, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { SaxesParser } from 'saxes';

import { Five9Api } from '../../credentials/Five9Api.credentials';
import { Five9 } from '../../nodes/Five9/Five9.node';
import { runWorkflow } from '../harness/engine';
import {
	FAST,
	FIVE9_CREDENTIAL_REF,
	FIVE9_TYPE,
	LA,
	NODE,
	callLogRun,
	dateIn,
	expectCallLogItems,
	midnightIn,
	runFive9,
} from '../harness/five9';
import { singleNodeWorkflow } from '../harness/single-node';
import { callFacts, gridIndexes } from '../mocks/five9-data';
import { Five9Mock, MOCK_USER } from '../mocks/five9';

describe('Five9 Report → Run', () => {
	let mock: Five9Mock;
	afterEach(async () => {
		await mock?.stop();
	});

	test('a 3-day range across the spring DST change runs 3 day windows and converts every row', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 600, runningPolls: 2 }).start();
		const run = await runFive9(mock, callLogRun());
		expect(run.error).toBeUndefined();

		// Calendar days of Los Angeles: the middle one is 23 hours long.
		expect(mock.reportWindows).toEqual([
			{ key: 'Call Log Reports/Call Log', start: '2024-03-09T00:00:00.000-08:00', end: '2024-03-10T00:00:00.000-08:00' },
			{ key: 'Call Log Reports/Call Log', start: '2024-03-10T00:00:00.000-08:00', end: '2024-03-11T00:00:00.000-07:00' },
			{ key: 'Call Log Reports/Call Log', start: '2024-03-11T00:00:00.000-07:00', end: '2024-03-12T00:00:00.000-07:00' },
		]);
		const items = run.json(NODE);
		expect(items).toHaveLength(144 + 138 + 144);
		const windows = [
			{ startMs: LA.mar09, endMs: LA.mar10 },
			{ startMs: LA.mar10, endMs: LA.mar11 },
			{ startMs: LA.mar11, endMs: LA.mar12 },
		];
		expectCallLogItems(items, windows, 600);

		// Calls right after the change: 03:00 PDT is 10:00 UTC.
		const afterChange = items.find((item) => item.TIMESTAMP === '2024-03-10T10:00:00.000Z');
		expect(afterChange).toBeDefined();
		expect(items.filter((item) => item.TIMESTAMP === '2024-03-10T09:00:00.000Z')).toHaveLength(1);

		// Every item says which day it came from.
		const byDate = new Map<string, number>();
		for (const item of items) {
			const window = item._window as IDataObject;
			byDate.set(window.date as string, (byDate.get(window.date as string) ?? 0) + 1);
			expect(window.split).toBe(false);
			expect(window.timeZone).toBe('America/Los_Angeles');
		}
		expect(Object.fromEntries(byDate)).toEqual({ '2024-03-09': 144, '2024-03-10': 138, '2024-03-11': 144 });

		// Long poll: isReportRunning said "true" twice per run before "false", with a timeout sent.
		const polls = mock.calls('isReportRunning');
		expect(polls).toHaveLength(9);
		expect(polls.every((poll) => poll.params.timeout === '1')).toBe(true);
	});

	test('the request envelope is SOAP 1.1 with unqualified children and end before start', async () => {
		mock = await new Five9Mock({ runningPolls: 0 }).start();
		const run = await runFive9(
			mock,
			callLogRun(
				{ start: '2024-03-09', end: '2024-03-10', criteria: { objects: [{ objectType: 'Campaign', objectNames: 'Sales & Support, <VIP>' }] } },
				{},
			),
		);
		expect(run.error).toBeUndefined();
		const request = mock.calls('runReport')[0];
		expect(request.soapAction).toBe('""');
		expect(request.contentType).toMatch(/^text\/xml; charset=utf-8$/i);
		expect(request.user).toBe(MOCK_USER);

		const elements: Array<{ local: string; uri: string; text: string }> = [];
		const parser = new SaxesParser({ xmlns: true });
		parser.on('opentag', (tag) => elements.push({ local: tag.local, uri: tag.uri, text: '' }));
		parser.on('text', (text) => {
			if (elements.length) elements[elements.length - 1].text += text;
		});
		parser.write(request.body).close();
		const operation = elements.find((e) => e.local === 'runReport')!;
		expect(operation.uri).toBe('http://service.admin.ws.five9.com/');
		const children = elements.slice(elements.indexOf(operation) + 1);
		expect(children.every((child) => child.uri === '')).toBe(true);
		expect(children.map((child) => child.local)).toEqual([
			'folderName',
			'reportName',
			'criteria',
			'reportObjects',
			'objectNames',
			'objectNames',
			'objectType',
			'time',
			'end',
			'start',
		]);
		// Escaped on the wire, intact after parsing.
		expect(request.body).toContain('<objectNames>Sales &amp; Support</objectNames>');
		expect(children.filter((c) => c.local === 'objectNames').map((c) => c.text)).toEqual(['Sales & Support', '<VIP>']);
	});

	test('a window returning the row cap is re-run in halves until no part is capped, losing no row', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 300, csvCap: 100, runningPolls: 0 }).start();
		const run = await runFive9(mock, callLogRun({ start: '2024-03-09', end: '2024-03-11' }, { rowCap: 100 }));
		expect(run.error).toBeUndefined();
		const items = run.json(NODE);
		// 288 calls on 9 March, 276 on the 23-hour 10 March: both more than twice the cap.
		expect(items).toHaveLength(288 + 276);
		expectCallLogItems(items, [{ startMs: LA.mar09, endMs: LA.mar11 }], 300);
		expect(new Set(items.map((item) => item['CALL ID'])).size).toBe(items.length);
		const window = items[0]._window as IDataObject;
		expect(window).toMatchObject({ date: '2024-03-09', split: true, parts: 4, start: '2024-03-09T00:00:00.000-08:00', end: '2024-03-10T00:00:00.000-08:00' });
		// Each day: the whole day, then depth first each half and its quarters.
		expect(mock.calls('runReport')).toHaveLength(2 * 7);
		const t = (hour: number) => `2024-03-09T${String(hour).padStart(2, '0')}:00:00.000-08:00`;
		expect(mock.reportWindows.slice(0, 7).map((w) => [w.start, w.end])).toEqual([
			[t(0), '2024-03-10T00:00:00.000-08:00'],
			[t(0), t(12)],
			[t(0), t(6)],
			[t(6), t(12)],
			[t(12), '2024-03-10T00:00:00.000-08:00'],
			[t(12), t(18)],
			[t(18), '2024-03-10T00:00:00.000-08:00'],
		]);
	});

	test('without the cap option a capped window would lose rows: the mock really truncates', async () => {
		// Control for the test above: the mock cuts at 100 and says nothing.
		mock = await new Five9Mock({ callSpacingSeconds: 300, csvCap: 100, runningPolls: 0 }).start();
		const run = await runFive9(mock, callLogRun({ start: '2024-03-09', end: '2024-03-10' }, { rowCap: 1000 }));
		expect(run.json(NODE)).toHaveLength(100);
	});

	test('the fall-back day is one 25-hour window; its repeated hour reads as the first one', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 600, runningPolls: 0 }).start();
		const run = await runFive9(mock, callLogRun({ start: '2024-11-03', end: '2024-11-04' }));
		expect(run.error).toBeUndefined();
		expect(mock.reportWindows[0]).toMatchObject({ start: '2024-11-03T00:00:00.000-07:00', end: '2024-11-04T00:00:00.000-08:00' });
		const items = run.json(NODE);
		expect(items).toHaveLength(150);
		const ks = gridIndexes({ startMs: LA.nov03, endMs: LA.nov04 }, 600);
		// Five9 writes 01:xx twice without an offset; the second hour cannot be told apart.
		const repeatedHour = ks.filter((k) => {
			const at = callFacts(k, 600).instantMs;
			return at >= Date.UTC(2024, 10, 3, 9) && at < Date.UTC(2024, 10, 3, 10);
		});
		expect(repeatedHour).toHaveLength(6);
		for (const item of items) {
			const facts = callFacts(Number(item['CALL ID']) - 300000000000000, 600);
			const expected = repeatedHour.includes(facts.k) ? facts.instantMs - 3_600_000 : facts.instantMs;
			expect(item.TIMESTAMP).toBe(new Date(expected).toISOString());
		}
	});

	test('window hours cut each day into smaller runs that never cross midnight', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 900, runningPolls: 0 }).start();
		const run = await runFive9(mock, callLogRun({ start: '2024-03-10', end: '2024-03-11' }, { windowHours: 6 }));
		expect(run.error).toBeUndefined();
		expect(mock.reportWindows.map((w) => [w.start, w.end])).toEqual([
			['2024-03-10T00:00:00.000-08:00', '2024-03-10T07:00:00.000-07:00'],
			['2024-03-10T07:00:00.000-07:00', '2024-03-10T13:00:00.000-07:00'],
			['2024-03-10T13:00:00.000-07:00', '2024-03-10T19:00:00.000-07:00'],
			['2024-03-10T19:00:00.000-07:00', '2024-03-11T00:00:00.000-07:00'],
		]);
		expectCallLogItems(run.json(NODE), [{ startMs: LA.mar10, endMs: LA.mar11 }], 900);
	});

	test('conversions can be switched off: Five9’s own text comes through', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 3600, runningPolls: 0 }).start();
		const run = await runFive9(
			mock,
			callLogRun(
				{ start: '2024-03-09', end: '2024-03-10' },
				{ convertTimestamps: false, durationsToSeconds: false, numbersToNumbers: false, emptyToNull: false },
			),
		);
		const items = run.json(NODE);
		expect(items).toHaveLength(24);
		const first = items[0];
		const facts = callFacts(Number(first['CALL ID']) - 300000000000000, 3600);
		expect(first.TIMESTAMP).toBe('Sat, 09 Mar 2024 00:00:00');
		expect(first['TALK TIME']).toMatch(/^\d{2}:\d{2}:\d{2}$/);
		expect(first.COST).toBe(facts.cost.toFixed(4));
		expect(items.some((item) => item.ANI === '-')).toBe(true);
	});

	test('another SOAP prefix and the report time zone option are honoured', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 3600, runningPolls: 0, envelopePrefix: 'soap', timeZone: 'Europe/London' }).start();
		const run = await runFive9(mock, callLogRun({ start: '2024-03-31', end: '2024-04-01' }, { timeZone: 'Europe/London' }));
		expect(run.error).toBeUndefined();
		expect(mock.reportWindows[0]).toMatchObject({ start: '2024-03-31T00:00:00.000+00:00', end: '2024-04-01T00:00:00.000+01:00' });
		expectCallLogItems(run.json(NODE), [{ startMs: Date.UTC(2024, 2, 31), endMs: Date.UTC(2024, 2, 31, 23) }], 3600);
	});

	test('Digital Channel Log (a custom report) runs the same way', async () => {
		mock = await new Five9Mock({ digitalSpacingSeconds: 1800, runningPolls: 0 }).start();
		const run = await runFive9(
			mock,
			callLogRun({ folderName: 'Digital Channel Reports', reportName: 'Digital Channel Log', start: '2024-03-09', end: '2024-03-10' }),
		);
		expect(run.error).toBeUndefined();
		const items = run.json(NODE);
		expect(items).toHaveLength(48);
		expect(items[0]['CREATE DATE']).toBe('2024-03-09T08:15:00.000Z');
		expect(items[0]['SESSION GUID']).toMatch(/^[0-9A-F]{8}-7C1A-/);
		expect(typeof items[0]['HANDLE TIME']).toBe('number');
		expect(items.filter((item) => item['AGENT NAME'] === null).length).toBeGreaterThan(0);
	});

	test('Report → Get Result reads a run started elsewhere by its identifier', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 3600, runningPolls: 1 }).start();
		const body =
			'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ser="http://service.admin.ws.five9.com/"><soapenv:Body><ser:runReport><folderName>Call Log Reports</folderName><reportName>Call Log</reportName><criteria><time><start>2024-03-09T00:00:00-08:00</start><end>2024-03-10T00:00:00-08:00</end></time></criteria></ser:runReport></soapenv:Body></soapenv:Envelope>';
		const credentials = mock.credentials();
		const response = await fetch(`${mock.url}/wsadmin/v13/AdminWebService`, {
			method: 'POST',
			headers: {
				'Content-Type': 'text/xml; charset=utf-8',
				SOAPAction: '""',
				Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`,
			},
			body,
		});
		const identifier = /<return>([^<]+)<\/return>/.exec(await response.text())![1];
		expect(identifier).toContain('@');

		const run = await runFive9(mock, { resource: 'report', operation: 'getResult', identifier, options: FAST });
		expect(run.error).toBeUndefined();
		const items = run.json(NODE);
		expectCallLogItems(items, [{ startMs: LA.mar09, endMs: LA.mar10 }], 3600);
		expect(items[0]._report).toEqual({ identifier, rowCount: 24, possiblyTruncated: false });
		expect(mock.calls('isReportRunning').length).toBeGreaterThanOrEqual(2);
	});
});

/** A Five9 node of the given version, as n8n adds it: only the parameters that differ from the defaults. */
async function runVersion(mock: Five9Mock, typeVersion: number, parameters: INodeParameters) {
	const workflow = singleNodeWorkflow({ type: FIVE9_TYPE, parameters, credentials: FIVE9_CREDENTIAL_REF });
	workflow.nodes[1].typeVersion = typeVersion;
	return await runWorkflow(workflow, { credentials: { five9Api: mock.credentials() } });
}

describe('Report → Run as first added', () => {
	let mock: Five9Mock;
	afterEach(async () => {
		await mock?.stop();
	});

	const LOS_ANGELES = 'America/Los_Angeles';
	const yesterdayIn = (timeZone: string, now: number) =>
		dateIn(midnightIn(dateIn(now, timeZone), timeZone) - 12 * 3_600_000, timeZone);

	test('from version 1.1 a node with nothing but its defaults runs yesterday on the first Execute step', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 3600, runningPolls: 0 }).start();
		const before = Date.now();
		const run = await runVersion(mock, 1.1, { resource: 'report', operation: 'run', options: { windowDetails: 'flat' }, advanced: FAST });
		const after = Date.now();
		expect(run.error).toBeUndefined();
		// Midnight may pass during the run: either "yesterday" is right then.
		const dates = [yesterdayIn(LOS_ANGELES, before), yesterdayIn(LOS_ANGELES, after)];
		const windows = mock.reportWindows;
		expect(windows).toHaveLength(1);
		const date = run.json(NODE)[0].window_date as string;
		expect(dates).toContain(date);
		expect(windows[0].key).toBe('Call Log Reports/Call Log');
		expect(Date.parse(windows[0].start)).toBe(midnightIn(date, LOS_ANGELES));
		expect(run.json(NODE).length).toBeGreaterThanOrEqual(23);
	});

	test('version 1 keeps Custom as the default: a saved custom range without `range` still runs its dates', async () => {
		// n8n leaves parameters equal to their default out of the saved workflow, as here.
		mock = await new Five9Mock({ callSpacingSeconds: 3600, runningPolls: 0 }).start();
		const run = await runVersion(mock, 1, {
			resource: 'report',
			operation: 'run',
			start: '2024-03-09',
			end: '2024-03-10',
			options: FAST,
		});
		expect(run.error).toBeUndefined();
		expect(mock.reportWindows.map((w) => [w.start, w.end])).toEqual([['2024-03-09T00:00:00.000-08:00', '2024-03-10T00:00:00.000-08:00']]);
	});

	test('the range default depends on the version only; Custom stays an option in both', () => {
		const ranges = new Five9().description.properties.filter((property) => property.name === 'range');
		const runRanges = ranges.filter((property) => property.displayOptions?.show?.operation?.includes('run'));
		expect(runRanges.map((property) => [property.displayOptions?.show?.['@version'], property.default])).toEqual([
			[[1], 'custom'],
			[[{ _cnd: { gte: 1.1 } }], 'previousDays'],
		]);
		for (const range of ranges) {
			expect((range.options as INodePropertyOptions[]).map((option) => option.value)).toEqual(['custom', 'previousDays', 'today']);
		}
	});
});

describe('Report → Run developer settings by version', () => {
	let mock: Five9Mock;
	afterEach(async () => {
		await mock?.stop();
	});

	test('from 1.1 the row cap is set under Advanced: a capped window is re-run in halves as in version 1', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 300, csvCap: 100, runningPolls: 0 }).start();
		const { options: _options, ...run } = callLogRun({ start: '2024-03-09', end: '2024-03-10' });
		const result = await runVersion(mock, 1.1, { ...run, options: { windowDetails: 'flat' }, advanced: { ...FAST, rowCap: 100 } });
		expect(result.error).toBeUndefined();
		const items = result.json(NODE);
		expect(items).toHaveLength(288);
		expectCallLogItems(items, [{ startMs: LA.mar09, endMs: LA.mar10 }], 300);
		expect(items[0]).toMatchObject({ window_date: '2024-03-09', window_split: true });
		expect(mock.calls('runReport')).toHaveLength(7);
	});

	test('version 1 reads the row cap from Options, where saved workflows have it', async () => {
		mock = await new Five9Mock({ callSpacingSeconds: 300, csvCap: 100, runningPolls: 0 }).start();
		const run = await runVersion(mock, 1, callLogRun({ start: '2024-03-09', end: '2024-03-10' }, { rowCap: 100 }));
		expect(run.error).toBeUndefined();
		expect(run.json(NODE)).toHaveLength(288);
		expect(mock.calls('runReport')).toHaveLength(7);
	});
});

describe('Report Time Zone is picked from a list', () => {
	const zonesOf = (property: INodeProperties) => (property.options as INodePropertyOptions[]).map((option) => option.value);

	test('the node option and the credential field list IANA zones after an empty "use the default" choice', () => {
		const options = new Five9().description.properties.find(
			(property) => property.name === 'options' && property.displayOptions?.show?.operation?.includes('run'),
		)!;
		const nodeField = (options.options as INodeProperties[]).find((option) => option.name === 'timeZone')!;
		const credentialField = new Five9Api().properties.find((property) => property.name === 'reportTimeZone')!;
		for (const field of [nodeField, credentialField]) {
			expect(field.type).toBe('options');
			expect(field.default).toBe('');
			const zones = zonesOf(field);
			expect(zones[0]).toBe('');
			// Every data center's zone, even where the runtime spells it the old way, and UTC.
			for (const zone of ['America/Los_Angeles', 'America/Vancouver', 'Europe/London', 'Europe/Berlin', 'Asia/Kolkata', 'UTC']) {
				expect(zones).toContain(zone);
			}
			expect(new Set(zones).size).toBe(zones.length);
			expect(zones.slice(1)).toEqual([...zones.slice(1)].sort());
		}
		expect(nodeField.description).toMatch(/not in the workflow’s time zone/);
	});

	test('a zone typed before the list existed still runs, even one the list does not show', async () => {
		// n8n only marks such a value in the editor; the run uses it.
		const mock = await new Five9Mock({ callSpacingSeconds: 3600, runningPolls: 0, timeZone: 'Europe/London' }).start();
		try {
			const run = await runFive9(mock, callLogRun({ start: '2024-03-31', end: '2024-04-01' }, { timeZone: 'Europe/Belfast' }));
			expect(run.error).toBeUndefined();
			expect(mock.reportWindows[0]).toMatchObject({ start: '2024-03-31T00:00:00.000+00:00', end: '2024-04-01T00:00:00.000+01:00' });
		} finally {
			await mock.stop();
		}
	});
});
