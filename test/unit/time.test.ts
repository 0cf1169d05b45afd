import { addDaysInZone, formatInZone, parseTimestamp, startOfDayInZone, zonedTimeToUtc } from '../../nodes/shared/time';

const utc = (iso: string) => Date.parse(iso);

describe('parseTimestamp', () => {
	test.each([
		['2024-02-05T13:45:12Z', utc('2024-02-05T13:45:12Z')],
		['2024-02-05T13:45:12.250+01:00', utc('2024-02-05T12:45:12.250Z')],
		['2024-02-05T13:45:12-0800', utc('2024-02-05T21:45:12Z')],
		[1707140712, 1707140712000],
		['1707140712', 1707140712000],
		[1707140712345, 1707140712345],
		['1707140712345', 1707140712345],
	])('%p', (input, expected) => {
		expect(parseTimestamp(input)).toEqual({ ok: true, epochMs: expected });
	});

	test('text without an offset is read in the given zone', () => {
		expect(parseTimestamp('2024-07-01 09:00:00', 'America/Los_Angeles')).toEqual({ ok: true, epochMs: utc('2024-07-01T16:00:00Z') });
		expect(parseTimestamp('2024-01-01 09:00:00', 'America/Los_Angeles')).toEqual({ ok: true, epochMs: utc('2024-01-01T17:00:00Z') });
	});

	test('date-time objects with toMillis (as n8n expressions return) and Dates', () => {
		expect(parseTimestamp({ toMillis: () => 1234567890123 })).toEqual({ ok: true, epochMs: 1234567890123 });
		expect(parseTimestamp(new Date(5000))).toEqual({ ok: true, epochMs: 5000 });
	});

	test.each(['yesterday', '2024-02-30', '2024-13-01T00:00:00Z', '', null, {}, -5, NaN])('rejects %p with a reason', (input) => {
		const result = parseTimestamp(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason.length).toBeGreaterThan(3);
	});
});

describe('zones', () => {
	const zone = 'America/Los_Angeles';
	test('spring-forward and fall-back days are 23 and 25 hours long', () => {
		const march10 = zonedTimeToUtc({ year: 2024, month: 3, day: 10, hour: 0, minute: 0, second: 0 }, zone);
		expect(addDaysInZone(march10, 1, zone) - march10).toBe(23 * 3600_000);
		const nov3 = zonedTimeToUtc({ year: 2024, month: 11, day: 3, hour: 0, minute: 0, second: 0 }, zone);
		expect(addDaysInZone(nov3, 1, zone) - nov3).toBe(25 * 3600_000);
	});

	test('the repeated 01:30 on fall-back day resolves to the earlier instant', () => {
		const instant = zonedTimeToUtc({ year: 2024, month: 11, day: 3, hour: 1, minute: 30, second: 0 }, zone);
		expect(instant).toBe(utc('2024-11-03T08:30:00Z'));
	});

	test('formatInZone writes the offset in force', () => {
		expect(formatInZone(utc('2024-01-15T08:00:00Z'), zone)).toBe('2024-01-15T00:00:00.000-08:00');
		expect(formatInZone(utc('2024-07-15T07:00:00Z'), zone)).toBe('2024-07-15T00:00:00.000-07:00');
		expect(startOfDayInZone(utc('2024-07-15T06:59:59Z'), zone)).toBe(utc('2024-07-14T07:00:00Z'));
	});
});
