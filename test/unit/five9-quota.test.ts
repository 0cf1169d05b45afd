/**
 * The quota reserve's pure parts: reading getCallCountersState answers (as the reference's XSD
 * shapes them, any prefix, with the gaps the schema allows), the reserve arithmetic, the option and
 * the item a backfill ends with. The local server's own answers are read back in
 * test/engine/five9-quota.test.ts.
 */
import { DEFAULT_QUOTA_RESERVE_PERCENT, quotaReserveFrom, quotaShortfalls, quotaStopItem, reserveOf, windowName } from '../../nodes/Five9/helpers/quota';
import { quotaReserveField } from '../../nodes/Five9/helpers/quota.descriptions';
import { parseCallCounters, readSoapResponse, type CallCounter, type XmlElement } from '../../nodes/Five9/transport';

const READ_AT = Date.UTC(2024, 2, 10, 12, 0, 0);

function answer(inner: string, prefix = 'env'): XmlElement {
	const read = readSoapResponse(
		`<?xml version="1.0" encoding="UTF-8"?><${prefix}:Envelope xmlns:${prefix}="http://schemas.xmlsoap.org/soap/envelope/"><${prefix}:Body><ns2:getCallCountersStateResponse xmlns:ns2="http://service.admin.ws.five9.com/">${inner}</ns2:getCallCountersStateResponse></${prefix}:Body></${prefix}:Envelope>`,
	);
	if (!read.ok || read.value.kind !== 'result') throw new Error('not a result');
	return read.value.element;
}

const state = (type: string | null, value: string, limit: string) =>
	`<callCounterStates><limit>${limit}</limit>${type === null ? '' : `<operationType>${type}</operationType>`}<value>${value}</value></callCounterStates>`;

describe('getCallCountersState answers', () => {
	test('one limitTimeoutState per window, one callCounterState per operation type; resets estimated at one window length', () => {
		const xml = answer(
			`<return>${state('ReportRequest', '7', '20')}${state('RetrieveReport', '3', '60')}<timeout>60</timeout></return>` +
				`<return>${state('ReportRequest', '41', '100')}${state('Query', '0', '1000')}<timeout>3600</timeout></return>` +
				`<return>${state('ReportRequest', '512', '1000')}<timeout>86400</timeout></return>`,
		);
		const read = parseCallCounters(xml, READ_AT);
		expect(read.skipped).toBe(0);
		expect(read.readAtMs).toBe(READ_AT);
		expect(read.counters.map((c) => [c.operationType, c.used, c.limit, c.windowSeconds])).toEqual([
			['ReportRequest', 7, 20, 60],
			['RetrieveReport', 3, 60, 60],
			['ReportRequest', 41, 100, 3600],
			['Query', 0, 1000, 3600],
			['ReportRequest', 512, 1000, 86400],
		]);
		expect(read.counters.map((c) => c.resetsByMs - READ_AT)).toEqual([60_000, 60_000, 3_600_000, 3_600_000, 86_400_000]);
		expect(read.counters.every((c) => c.resetEstimated)).toBe(true);
	});

	test('any envelope prefix; an empty answer has no counters', () => {
		expect(parseCallCounters(answer(`<return>${state('ReportRequest', '1', '2')}<timeout>3600</timeout></return>`, 'S'), READ_AT).counters).toHaveLength(1);
		expect(parseCallCounters(answer('', 'soap'), READ_AT)).toEqual({ readAtMs: READ_AT, counters: [], skipped: 0 });
	});

	test('what the schema lets be missing is skipped and counted, never guessed', () => {
		const nil = '<callCounterStates xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>';
		const xml = answer(
			`<return>${nil}${state(null, '3', '10')}${state('ReportRequest', 'many', '10')}${state('ReportRequest', '-1', '10')}${state('RetrieveReport', '2', '10')}<timeout>3600</timeout></return>` +
				`<return>${state('ReportRequest', '1', '10')}</return>` +
				`<return>${state('ReportRequest', '1', '10')}<timeout>0</timeout></return>`,
		);
		const read = parseCallCounters(xml, READ_AT);
		expect(read.counters.map((c) => c.operationType)).toEqual(['RetrieveReport']);
		// No type, a word, a negative number; then a window without and one with a zero length.
		expect(read.skipped).toBe(5);
	});

	test('whitespace around numbers and types is read; numbers beyond what a double holds exactly are not', () => {
		const read = parseCallCounters(
			answer(`<return><callCounterStates><limit> 100 </limit><operationType> ReportRequest </operationType><value>
7</value></callCounterStates>${state('RetrieveReport', '1234567890123456789', '10')}<timeout> 3600 </timeout></return>`),
			READ_AT,
		);
		expect(read.counters.map((c) => [c.operationType, c.used, c.limit, c.windowSeconds])).toEqual([['ReportRequest', 7, 100, 3600]]);
		expect(read.skipped).toBe(1);
	});
});

const counter = (operationType: string, used: number, limit: number, windowSeconds: number): CallCounter => ({
	operationType,
	used,
	limit,
	windowSeconds,
	resetsByMs: READ_AT + windowSeconds * 1000,
	resetEstimated: true,
});

describe('the reserve', () => {
	test('is the share of each limit, rounded up', () => {
		expect([reserveOf(100, 25), reserveOf(10, 25), reserveOf(1, 25), reserveOf(7, 0), reserveOf(3, 90)]).toEqual([25, 3, 1, 0, 3]);
	});

	test('a counter is short when the run needs more than what is left above the reserve, for the run’s types only', () => {
		const counters = [
			counter('ReportRequest', 74, 100, 3600), // 1 left above the reserve of 25
			counter('ReportRequest', 200, 1000, 86400),
			counter('RetrieveReport', 75, 100, 3600), // at the reserve
			counter('Query', 99, 100, 3600), // not a report type
			counter('ReportRequest', 0, 0, 60), // no limit stated
		];
		const types = ['ReportRequest', 'RetrieveReport'];
		const one = quotaShortfalls(counters, types, 25, () => 1);
		expect(one.map((s) => [s.counter.operationType, s.counter.windowSeconds, s.available, s.reserve, s.need])).toEqual([['RetrieveReport', 3600, 0, 25, 1]]);
		const two = quotaShortfalls(counters, types, 25, () => 2);
		expect(two.map((s) => [s.counter.operationType, s.available])).toEqual([
			['ReportRequest', 1],
			['RetrieveReport', 0],
		]);
		expect(quotaShortfalls(counters, types, 0, () => 1)).toEqual([]);
		// Used beyond the budget: nothing available, never negative.
		expect(quotaShortfalls([counter('ReportRequest', 99, 100, 3600)], types, 25, () => 1)[0].available).toBe(0);
	});

	test('Quota Reserve (%): default 25 like its field, bounded, numbers given as text read', () => {
		expect(quotaReserveField.default).toBe(DEFAULT_QUOTA_RESERVE_PERCENT);
		expect(DEFAULT_QUOTA_RESERVE_PERCENT).toBe(25);
		expect(quotaReserveField.typeOptions).toEqual({ minValue: 0, maxValue: 90 });
		expect(quotaReserveFrom({})).toBe(25);
		expect(quotaReserveFrom({ quotaReservePercent: 0 })).toBe(0);
		expect(quotaReserveFrom({ quotaReservePercent: 40 })).toBe(40);
		expect(quotaReserveFrom({ quotaReservePercent: '10' })).toBe(10);
		expect(quotaReserveFrom({ quotaReservePercent: 150 })).toBe(90);
		expect(quotaReserveFrom({ quotaReservePercent: -5 })).toBe(0);
		expect(quotaReserveFrom({ quotaReservePercent: 'x' })).toBe(25);
	});

	test('windows are named by their length', () => {
		expect([windowName(86400), windowName(3600), windowName(7200), windowName(60), windowName(300), windowName(45), windowName(90)]).toEqual([
			'24-hour',
			'1-hour',
			'2-hour',
			'1-minute',
			'5-minute',
			'45-second',
			'90-second',
		]);
	});
});

describe('the item a backfill ends with', () => {
	test('says where it stopped, which counter stopped it, when that frees up, and that the checkpoint resumes', () => {
		const hour = { counter: counter('ReportRequest', 75, 100, 3600), reserve: 25, available: 0, need: 1 };
		const day = { counter: counter('ReportRequest', 760, 1000, 86400), reserve: 250, available: 0, need: 1 };
		const window = { startMs: Date.UTC(2024, 2, 10, 8), endMs: Date.UTC(2024, 2, 11, 7) };
		const item = quotaStopItem({ stop: day, all: [hour, day], percent: 25 }, { window, timeZone: 'America/Los_Angeles', checkpoint: 'call-log-backfill', windowsDone: 4 });
		expect(item).toEqual({
			stoppedBy: 'quotaReserve',
			message: expect.any(String),
			stoppedAt: '2024-03-10',
			stoppedAtTime: '2024-03-10T00:00:00.000-08:00',
			windowsDone: 4,
			checkpoint: 'call-log-backfill',
			reservePercent: 25,
			counter: {
				operationType: 'ReportRequest',
				used: 760,
				limit: 1000,
				reserve: 250,
				windowSeconds: 86400,
				// 12:00 UTC on 11 March is 05:00 in Los Angeles (PDT).
				resetsBy: '2024-03-11T05:00:00.000-07:00',
				resetEstimated: true,
			},
			otherCounters: [expect.objectContaining({ operationType: 'ReportRequest', windowSeconds: 3600, used: 75 })],
		});
		expect(item.message).toBe(
			'Stopped before 2024-03-10 to keep the quota reserve: Five9\'s ReportRequest counter is at 760 of 1000 in its 24-hour window, and 250 (25%) are kept for other workflows such as the live sync; that window frees up by 2024-03-11T05:00:00.000-07:00 at the latest (estimated: Five9 gives only the window’s length). The next run continues from checkpoint "call-log-backfill" at 2024-03-10.',
		);
		const without = quotaStopItem({ stop: hour, all: [hour], percent: 25 }, { window, timeZone: 'UTC', windowsDone: 0 });
		expect(without.checkpoint).toBeNull();
		expect(without.otherCounters).toBeUndefined();
		expect(without.message).toMatch(/Without Resume From Checkpoint, the next run starts again at the beginning of the range\.$/);
	});
});
