/**
 * The hand-written character-data decoder against saxes on random texts: every document one of them
 * accepts, the other accepts with the same text; every one refused is refused by both.
 */
import { readBulkTextResponse, readSoapResponse } from '../../nodes/Five9/transport';

const envelope = (content: string) =>
	`<?xml version='1.0' encoding='UTF-8'?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header/><env:Body><ns2:getReportResultCsvResponse xmlns:ns2="http://service.admin.ws.five9.com/"><return>${content}</return></ns2:getReportResultCsvResponse></env:Body></env:Envelope>`;

// Pieces that exercise entities, references, line ends, brackets and multi-byte UTF-8.
const PIECES = [
	'a', 'Z', '0', '9', ',', '"', ' ', '\n', '\r', '\r\n', '\t', ']', ']]', '>', ';', '#', 'x', '&', '&amp;', '&lt;', '&gt;',
	'&quot;', '&apos;', '&#65;', '&#x41;', '&#x1F600;', '&#0;', '&#xD800;', '&nope;', '&#;', '&#x;', 'é', 'ß', '李', '😀', '\u0001', '\uFFFE',
];

function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
		return state / 2 ** 32;
	};
}

test('2,000 random texts: the decoder and saxes agree', () => {
	const next = random(20261123);
	let accepted = 0;
	for (let i = 0; i < 2000; i++) {
		const length = Math.floor(next() * 24);
		let content = '';
		for (let j = 0; j < length; j++) content += PIECES[Math.floor(next() * PIECES.length)];
		const xml = envelope(content);
		const fast = readBulkTextResponse(Buffer.from(xml, 'utf8'), 'return');
		const full = readSoapResponse(xml);
		const fastText = fast.ok && fast.value.kind === 'result' ? fast.value.element.children[0].bytes?.toString('utf8') : undefined;
		const fullText = full.ok && full.value.kind === 'result' ? full.value.element.children[0].text : undefined;
		expect({ content, ok: fast.ok && fastText !== undefined }).toEqual({ content, ok: full.ok && fullText !== undefined });
		if (fastText !== undefined) {
			expect({ content, text: fastText }).toEqual({ content, text: fullText });
			accepted += 1;
		}
	}
	// Both outcomes are exercised.
	expect(accepted).toBeGreaterThan(100);
	expect(accepted).toBeLessThan(1900);
});
