/**
 * The hand-written CSV reader of report pieces against csv-parse with the options the node gives it,
 * on random texts: every text the reader accepts, csv-parse accepts with the same records; the
 * reader may leave a text to csv-parse (it then decides), but not a plain one.
 */
import { parse } from 'csv-parse/sync';

import { parseReportCsv, plainRecords } from '../../nodes/Five9/helpers/csv';

function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
		return state / 2 ** 32;
	};
}

const csvParse = (bytes: Buffer) => {
	try {
		return { ok: true as const, records: parse(bytes, { skip_empty_lines: true, relax_column_count: false, relax_quotes: false }) as string[][] };
	} catch (error) {
		return { ok: false as const, error: String(error) };
	}
};

// Pieces that exercise quotes, doubled quotes, both line ends, empty cells and lines, spaces,
// multi-byte and broken UTF-8, a NUL byte and a byte order mark in the middle of the data.
const PIECES: Array<string | Buffer> = [
	'a', 'Zoë', '7', ',', ',', ',', '"', '""', '"x"', '"a,b"', '"l1\nl2"', '"q""q"', '\n', '\n', '\r\n', '\r', ' ', '李', '😀', '-', '\t',
	Buffer.from([0xc3]), Buffer.from([0xa9]), Buffer.from([0xff]), Buffer.from([0x00]), Buffer.from([0xef, 0xbb, 0xbf]),
];

function randomText(next: () => number, length: number): Buffer {
	const parts: Buffer[] = [];
	for (let j = 0; j < length; j++) {
		const piece = PIECES[Math.floor(next() * PIECES.length)];
		parts.push(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece);
	}
	return Buffer.concat(parts);
}

test('20,000 random texts: what the reader accepts, csv-parse reads the same', () => {
	const next = random(20261130);
	let accepted = 0;
	for (let i = 0; i < 20_000; i++) {
		const bytes = randomText(next, Math.floor(next() * 16));
		const plain = plainRecords(bytes, 0, bytes.length);
		if (!plain) continue;
		accepted += 1;
		const reference = csvParse(bytes);
		const text = bytes.toString('latin1');
		expect({ text, reference }).toEqual({ text, reference: { ok: true, records: plain } });
	}
	// Short random texts are often ragged or badly quoted; enough of them are plain.
	expect(accepted).toBeGreaterThan(3000);
});

test('rows as Five9 writes them (quoted cells, line breaks in cells, no ragged rows) are all read by the reader', () => {
	const next = random(7);
	const cells = ['300001707120000', '"Mon, 05 Feb 2024 00:00:00"', 'Zoë Müller', '"Acme Corp\nBilling Dept"', '"Jean ""JJ"" O\'Neil"', '', '-', '00:01:29', '0.0445', '李 伟'];
	for (const lineEnd of ['\n', '\r\n']) {
		for (let i = 0; i < 200; i++) {
			const width = 1 + Math.floor(next() * 6);
			const rows = Array.from({ length: 1 + Math.floor(next() * 8) }, () =>
				Array.from({ length: width }, () => cells[Math.floor(next() * cells.length)]).join(','),
			);
			const bytes = Buffer.from(rows.join(lineEnd) + (next() < 0.5 ? lineEnd : ''), 'utf8');
			const plain = plainRecords(bytes, 0, bytes.length);
			expect(plain).toBeDefined();
			expect(plain).toEqual(csvParse(bytes).ok && (csvParse(bytes) as { records: string[][] }).records);
		}
	}
});

test('a report read in pieces of any size gives the rows of the whole (line feeds only)', () => {
	const next = random(99);
	const asArrays = (header: string[]) => (record: string[]) => [header.length, ...record];
	for (let i = 0; i < 2000; i++) {
		let bytes = randomText(next, Math.floor(next() * 40));
		bytes = Buffer.from(bytes.toString('latin1').replace(/\r/g, ''), 'latin1');
		// Small pieces, so that texts are cut into several.
		const pieces = parseReportCsv(bytes, asArrays, 1 + Math.floor(next() * 12));
		const whole = parseReportCsv(bytes, asArrays, Number.MAX_SAFE_INTEGER);
		const text = bytes.toString('latin1');
		expect({ text, ok: pieces.ok }).toEqual({ text, ok: whole.ok });
		// A piece ends only after a line feed outside quotes: cutting never changes what a text holds.
		if (pieces.ok && whole.ok) expect({ text, rows: pieces.rows }).toEqual({ text, rows: whole.rows });
	}
});
