/**
 * The pure parts of the Five9 node: envelopes, XML and SOAP reading, value conversion, windows,
 * checkpoints, CSV, and the per-user request queue.
 */
import { advanceThrough } from '../../nodes/Five9/helpers/checkpoint';
import { parseReportCsv, toCsv } from '../../nodes/Five9/helpers/csv';
import { five9BaseUrl, five9ReportTimeZone } from '../../nodes/Five9/transport/dataCenters';
import { columnConverters, durationSeconds, timestampReader, DEFAULT_CONVERT_OPTIONS } from '../../nodes/Five9/helpers/values';
import { halves, resolveRange, splitIntoWindows } from '../../nodes/Five9/helpers/windows';
import { decodeCharacterData, escapeXml, parseXml, readBulkTextResponse, readSoapResponse, serialized, soapEnvelope } from '../../nodes/Five9/transport';
import { wallClockConverter, zonedTimeToUtc } from '../../nodes/shared/time';
import { LA } from '../harness/five9';
import { delay } from '../mocks/http';

/** The lock options of a request: outside queue mode only this process's queue applies. */
const LOCK = {};

const LOS_ANGELES = 'America/Los_Angeles';

describe('SOAP envelopes', () => {
	test('escape every XML special character and refuse what XML cannot carry', () => {
		expect(escapeXml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
		expect(() => escapeXml('bad\u0001value')).toThrow(/control character/);
		const xml = soapEnvelope('admin', 'isReportRunning', { identifier: 'A&B<C', timeout: 5 });
		expect(xml).toContain('<ser:isReportRunning><identifier>A&amp;B&lt;C</identifier><timeout>5</timeout></ser:isReportRunning>');
		expect(xml).toContain('xmlns:ser="http://service.admin.ws.five9.com/"');
	});

	test('objects nest in key order, arrays repeat, undefined is left out', () => {
		const xml = soapEnvelope('supervisor', 'getStatistics', {
			statisticType: 'AgentState',
			columnNames: { values: { data: ['Username', 'State'] } },
			skipped: undefined,
		});
		expect(xml).toContain('xmlns:ser="http://service.supervisor.ws.five9.com/"');
		expect(xml).toContain('<ser:getStatistics><statisticType>AgentState</statisticType><columnNames><values><data>Username</data><data>State</data></values></columnNames></ser:getStatistics>');
	});
});

describe('reading responses', () => {
	test('any envelope prefix and quote style; entities and character references decoded; xsi:nil seen', () => {
		const read = readSoapResponse(
			"<S:Envelope xmlns:S='http://schemas.xmlsoap.org/soap/envelope/'><S:Body><x:getStatisticsResponse xmlns:x=\"http://service.supervisor.ws.five9.com/\"><return><rows><values><data>Zo&#235; &amp; co</data><data xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:nil=\"true\"/></values></rows></return></x:getStatisticsResponse></S:Body></S:Envelope>",
		);
		expect(read.ok).toBe(true);
		if (!read.ok || read.value.kind !== 'result') throw new Error('expected a result');
		const data = read.value.element.children[0].children[0].children[0].children;
		expect(read.value.element.name).toBe('getStatisticsResponse');
		expect(data.map((d) => [d.text, d.nil])).toEqual([
			['Zoë & co', false],
			['', true],
		]);
	});

	test('a fault is known by its detail element, whatever its prefix', () => {
		const read = readSoapResponse(
			'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Report "X" doesn\'t exist</faultstring><detail><q:ReportNotFoundFault xmlns:q="http://service.admin.ws.five9.com/"><folder>F</folder><message>Report "X" doesn\'t exist</message><reportName>X</reportName></q:ReportNotFoundFault></detail></soap:Fault></soap:Body></soap:Envelope>',
		);
		expect(read).toEqual({
			ok: true,
			value: { kind: 'fault', fault: { name: 'ReportNotFoundFault', faultString: 'Report "X" doesn\'t exist', detail: { folder: 'F', message: 'Report "X" doesn\'t exist', reportName: 'X' } } },
		});
	});

	test('entities declared in a DTD are never expanded; broken XML says why', () => {
		const bomb = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>';
		const result = parseXml(bomb);
		expect(result).toEqual({ ok: false, reason: 'it contains a document type declaration, which SOAP does not allow' });
		const cut = parseXml('<a><b>text</a>');
		expect(cut.ok).toBe(false);
		expect(readSoapResponse('<html><body>Hello</body></html>')).toEqual({ ok: false, reason: 'its root is <html>, not a SOAP Envelope' });
	});
});

describe('reading one long text as bytes', () => {
	const envelope = (content: string) =>
		`<?xml version='1.0' encoding='UTF-8'?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header/><env:Body><ns2:getReportResultCsvResponse xmlns:ns2="http://service.admin.ws.five9.com/"><return>${content}</return></ns2:getReportResultCsvResponse></env:Body></env:Envelope>`;
	const viaSaxes = (xml: string) => {
		const read = readSoapResponse(xml);
		if (!read.ok || read.value.kind !== 'result') throw new Error('saxes could not read it');
		return read.value.element.children[0].text;
	};

	test.each([
		['plain CSV', 'CALL ID,AGENT NAME\n1,Zoë Müller\n'],
		['the five entities', 'a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;'],
		['character references', '&#233;&#xE9;&#x1F600;&#10;'],
		['CRLF and lone CR become LF', 'a\r\nb\rc\r'],
		['a > outside ]]>', 'x > y ] ]> z'],
		['non-ASCII of every width', 'Ærø 李 伟 😀 ﬁ'],
		['an empty text', ''],
	])('%s: the same text saxes reports', (_name, content) => {
		const xml = envelope(content);
		const read = readBulkTextResponse(Buffer.from(xml, 'utf8'), 'return');
		if (!read.ok || read.value.kind !== 'result') throw new Error('not read');
		const holder = read.value.element.children[0];
		expect(holder.bytes?.toString('utf8')).toBe(viaSaxes(xml));
		expect(holder.text).toBe('');
	});

	test.each([
		['an undefined entity', 'a &boom; b', /undefined entity "&boom;"/],
		['an unterminated &', 'a & b', /unterminated "&"/],
		['a forbidden control character', 'a\u0001b', /control character/],
		['"]]>" in text', 'a ]]> b', /"]]>"/],
		['a reference to a non-character', '&#0;', /not an XML character/],
	])('%s is refused', (_name, content, reason) => {
		const read = readBulkTextResponse(Buffer.from(envelope(content), 'utf8'), 'return');
		expect(read.ok).toBe(false);
		if (!read.ok) expect(read.reason).toMatch(reason);
		// saxes refuses the same documents.
		expect(readSoapResponse(envelope(content)).ok).toBe(false);
	});

	test('markup inside the text, a fault or a cut-off answer go through the full parser', () => {
		expect(decodeCharacterData(Buffer.from('a <![CDATA[b]]> c'))).toBeUndefined();
		const cdata = readBulkTextResponse(Buffer.from(envelope('a<![CDATA[ & < ]]>b')), 'return');
		expect(cdata.ok && cdata.value.kind === 'result' && cdata.value.element.children[0].text).toBe('a & < b');
		const cut = readBulkTextResponse(Buffer.from(envelope('x').slice(0, -60)), 'return');
		expect(cut.ok).toBe(false);
		const withDoctype = readBulkTextResponse(Buffer.from(`<!DOCTYPE x [<!ENTITY e "boom">]>${envelope('&e;')}`), 'return');
		expect(withDoctype).toEqual({ ok: false, reason: 'it contains a document type declaration, which SOAP does not allow' });
	});
});

describe('Five9 values', () => {
	test('durations HH:MM:SS, hours past 24 included', () => {
		expect(durationSeconds('00:05:10')).toBe(310);
		expect(durationSeconds('27:00:01')).toBe(97201);
		expect(durationSeconds('1:02:03')).toBe(3723);
		for (const text of ['00:60:00', '00:00:61', '05:10', 'ab:cd:ef', '-00:00:01']) expect(durationSeconds(text)).toBeUndefined();
	});

	test('date-times are read in the report zone, across both DST changes', () => {
		const read = timestampReader(LOS_ANGELES);
		expect(read('Mon, 05 Feb 2024 13:45:12')).toBe('2024-02-05T21:45:12.000Z');
		expect(read('Sun, 10 Mar 2024 01:59:59')).toBe('2024-03-10T09:59:59.000Z');
		expect(read('Sun, 10 Mar 2024 03:00:00')).toBe('2024-03-10T10:00:00.000Z');
		// 02:30 does not exist that night: moved forward by the gap, as an hour after 01:30.
		expect(read('Sun, 10 Mar 2024 02:30:00')).toBe('2024-03-10T10:30:00.000Z');
		// 01:30 happens twice on 3 November: the first one is taken.
		expect(read('Sun, 03 Nov 2024 01:30:00')).toBe('2024-11-03T08:30:00.000Z');
		expect(read('2024-02-05 12:01:33')).toBe('2024-02-05T20:01:33.000Z');
		expect(read('2024/02/05 12:01:33')).toBe('2024-02-05T20:01:33.000Z');
		expect(read('2024/02/05')).toBe('2024-02-05');
		expect(read('Mon, 05 Feb 2024')).toBe('2024-02-05');
		for (const text of ['Mon, 31 Feb 2024 10:00:00', 'Mon, 05 Foo 2024 10:00:00', '2024/13/01', 'Support Inbound', '13:30']) {
			expect(read(text)).toBeUndefined();
		}
	});

	test('the hour cache gives what the exact conversion gives, minute by minute over DST days', () => {
		const fast = wallClockConverter(LOS_ANGELES);
		for (const day of [10, 11]) {
			for (let minute = 0; minute < 24 * 60; minute += 7) {
				const wall = { year: 2024, month: 3, day, hour: Math.floor(minute / 60), minute: minute % 60, second: 30 };
				expect(fast(wall)).toBe(zonedTimeToUtc(wall, LOS_ANGELES));
			}
		}
		const fastIndia = wallClockConverter('Asia/Kolkata');
		expect(new Date(fastIndia({ year: 2024, month: 7, day: 1, hour: 9, minute: 15, second: 0 })).toISOString()).toBe('2024-07-01T03:45:00.000Z');
	});

	test('numbers become numbers except IDs, phone numbers and codes with leading zeros', () => {
		const header = ['CALL ID', 'ANI', 'DNIS', 'COST', 'TRANSFERS', 'SKILL', 'SESSION GUID', 'CAMPAIGN'];
		const convert = columnConverters(header, { ...DEFAULT_CONVERT_OPTIONS, textColumns: ['SKILL'] }, LOS_ANGELES);
		const row = ['300000000123456', '5551234567', '8005550100', '0.1235', '2', '42', '00012', '007'];
		expect(row.map((value, i) => convert[i](value))).toEqual(['300000000123456', '5551234567', '8005550100', 0.1235, 2, '42', '00012', '007']);
		expect(convert[3]('-')).toBeNull();
		expect(convert[3]('')).toBeNull();
		expect(convert[7]('[None]')).toBe('[None]');
	});
});

describe('windows', () => {
	test('calendar days of the report zone: 24, 23 and 24 hours around spring forward', () => {
		const windows = splitIntoWindows(LA.mar09, LA.mar12, LOS_ANGELES);
		expect(windows).toEqual([
			{ startMs: LA.mar09, endMs: LA.mar10 },
			{ startMs: LA.mar10, endMs: LA.mar11 },
			{ startMs: LA.mar11, endMs: LA.mar12 },
		]);
		expect(splitIntoWindows(LA.nov03, LA.nov04, LOS_ANGELES)).toEqual([{ startMs: LA.nov03, endMs: LA.nov04 }]);
		expect((LA.nov04 - LA.nov03) / 3_600_000).toBe(25);
	});

	test('a range starting mid-day gives a partial first day; window hours cut days further', () => {
		const start = LA.mar09 + 15 * 3_600_000;
		expect(splitIntoWindows(start, LA.mar11, LOS_ANGELES)).toEqual([
			{ startMs: start, endMs: LA.mar10 },
			{ startMs: LA.mar10, endMs: LA.mar11 },
		]);
		const pieces = splitIntoWindows(LA.mar10, LA.mar11, LOS_ANGELES, 6);
		expect(pieces.map((w) => (w.endMs - w.startMs) / 3_600_000)).toEqual([6, 6, 6, 5]);
	});

	test('halves meet at a whole second', () => {
		const [a, b] = halves({ startMs: 0, endMs: 3001 });
		expect(a).toEqual({ startMs: 0, endMs: 1000 });
		expect(b).toEqual({ startMs: 1000, endMs: 3001 });
	});

	test('ranges: today so far, previous days, custom dates in the report zone', () => {
		const now = LA.mar11 + 5 * 3_600_000 + 123;
		expect(resolveRange({ mode: 'today' }, now, LOS_ANGELES)).toEqual({ ok: true, startMs: LA.mar11, endMs: now - 123 });
		expect(resolveRange({ mode: 'previousDays', days: 2 }, now, LOS_ANGELES)).toEqual({ ok: true, startMs: LA.mar09, endMs: LA.mar11 });
		expect(resolveRange({ mode: 'custom', start: '2024-03-09', end: '2024-03-12' }, now, LOS_ANGELES)).toEqual({ ok: true, startMs: LA.mar09, endMs: LA.mar12 });
		expect(resolveRange({ mode: 'custom', start: '2024-03-12', end: '2024-03-09' }, now, LOS_ANGELES)).toEqual({ ok: false, reason: 'End must be after Start' });
		expect(resolveRange({ mode: 'previousDays', days: 0 }, now, LOS_ANGELES).ok).toBe(false);
		expect(() => splitIntoWindows(0, Date.UTC(2100, 0, 1), 'UTC')).toThrow(/more than 20000 report windows/);
	});
});

describe('checkpoints', () => {
	test('move forward only through windows without gaps', () => {
		const day = (n: number) => ({ startMs: n * 10, endMs: (n + 1) * 10 });
		expect(advanceThrough(undefined, [day(2), day(0), day(1)])).toEqual({ throughMs: 30, used: 3 });
		expect(advanceThrough(10, [day(0), day(1), day(3)])).toEqual({ throughMs: 20, used: 1, gapAtMs: 20 });
		expect(advanceThrough(40, [day(1), day(2)])).toEqual({ throughMs: 40, used: 0 });
	});
});

describe('CSV', () => {
	test('quoted commas, quotes and line breaks survive a round trip', () => {
		const text = toCsv(['A', 'B', 'C'], [['x, y', 'say "hi"', 'two\nlines'], [null, 3, '']]);
		const parsed = parseReportCsv(text, () => (record) => record);
		expect(parsed).toEqual({ ok: true, header: ['A', 'B', 'C'], rows: [['x, y', 'say "hi"', 'two\nlines'], ['', '3', '']] });
	});

	test('parsing piece by piece gives what parsing in one go gives, wherever the cuts fall', () => {
		const header = ['ID', 'NAME', 'NOTE'];
		const rows = Array.from({ length: 60 }, (_, i) => [
			String(i),
			i % 3 === 0 ? `Doe, "J${i}"` : `Zoë ${i}`,
			i % 4 === 0 ? `line one\r\nline "two",\n\nend` : i % 5 === 0 ? '' : `plain ${i}`,
		]);
		for (const text of [toCsv(header, rows), toCsv(header, rows).replace(/\n/g, '\r\n')]) {
			const whole = parseReportCsv(text, () => (record) => record, 1 << 30);
			expect(whole.ok && whole.rows.length).toBe(60);
			expect(whole.ok && whole.rows[4][2]).toBe(text.includes('\r\n\r\n') ? 'line one\r\r\nline "two",\r\n\r\nend' : 'line one\r\nline "two",\n\nend');
			for (const size of [1, 7, 16, 50, 333]) {
				expect(parseReportCsv(text, () => (record) => record, size)).toEqual(whole);
			}
		}
	});

	test('an error in a later piece names the line in the whole file', () => {
		const lines = ['A,B', ...Array.from({ length: 20 }, (_, i) => `${i},x`), '21,"cut off', ''];
		const parsed = parseReportCsv(lines.join('\n'), () => (record) => record, 16);
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.reason).toMatch(/line 22\b/);
		const ragged = parseReportCsv(['A,B', ...Array.from({ length: 20 }, (_, i) => `${i},x`), '21,x,extra', ''].join('\n'), () => (record) => record, 16);
		expect(ragged.ok).toBe(false);
		if (!ragged.ok) expect(ragged.reason).toMatch(/expect 2, got 3/);
	});

	test('repeated column names get a suffix; an empty answer has no rows', () => {
		const parsed = parseReportCsv('DATE,CALLS,DATE\n2024/01/01,3,2024/01/02\n', (header) => (record) => Object.fromEntries(header.map((h, i) => [h, record[i]])));
		expect(parsed).toEqual({ ok: true, header: ['DATE', 'CALLS', 'DATE (2)'], rows: [{ DATE: '2024/01/01', CALLS: '3', 'DATE (2)': '2024/01/02' }] });
		expect(parseReportCsv('', () => (record) => record)).toEqual({ ok: true, header: [], rows: [] });
	});
});

describe('data centers', () => {
	test('hosts and default report zones', () => {
		expect(five9BaseUrl({ dataCenter: 'us' })).toBe('https://api.five9.com');
		expect(five9BaseUrl({ dataCenter: 'ca' })).toBe('https://api.five9.ca');
		expect(five9BaseUrl({ dataCenter: 'uk' })).toBe('https://api.five9.eu');
		expect(five9BaseUrl({ dataCenter: 'eu' })).toBe('https://api.eu.five9.com');
		expect(five9BaseUrl({ dataCenter: 'in' })).toBe('https://api.in.five9.com');
		expect(five9BaseUrl({ dataCenter: 'custom', baseUrl: 'http://127.0.0.1:9/' })).toBe('http://127.0.0.1:9');
		expect(five9ReportTimeZone({ dataCenter: 'uk' })).toBe('Europe/London');
		expect(five9ReportTimeZone({ dataCenter: 'eu' })).toBe('Europe/Berlin');
		expect(five9ReportTimeZone({ dataCenter: 'in' })).toBe('Asia/Kolkata');
		expect(five9ReportTimeZone({ dataCenter: 'ca' })).toBe('America/Vancouver');
		expect(five9ReportTimeZone({ dataCenter: 'us', reportTimeZone: 'America/New_York' })).toBe('America/New_York');
	});
});

describe('one request per credential at a time', () => {
	test('tasks of one key never overlap; other keys run alongside', async () => {
		let active = 0;
		let maxActive = 0;
		let otherOverlapped = false;
		const task = async () => {
			active += 1;
			maxActive = Math.max(maxActive, active);
			await delay(5);
			active -= 1;
		};
		const other = serialized('other@host', async () => {
			await delay(2);
			otherOverlapped = active > 0;
		}, LOCK);
		await Promise.all([...Array.from({ length: 5 }, () => serialized('user@host', task, LOCK)), other]);
		expect(maxActive).toBe(1);
		expect(otherOverlapped).toBe(true);
	});

	test('a failing task does not block the ones after it', async () => {
		const failing = serialized('user@host', async () => {
			throw new Error('boom');
		}, LOCK);
		await expect(failing).rejects.toThrow('boom');
		await expect(serialized('user@host', async () => 'after', LOCK)).resolves.toBe('after');
	});
});
