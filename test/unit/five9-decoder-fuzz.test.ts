/**
 * The hand-written character-data decoder against saxes on random texts: every document one of them
 * accepts, the other accepts with the same text; every one refused is refused by both.
 */
import { readBulkTextResponse, readSoapResponse } from '../../nodes/Five9/transport';
import { decodeCharacterData } from '../../nodes/Five9/transport/xml';

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

test('2,000 random texts, markup among them: decoded in place as decoded into a new buffer', () => {
	const next = random(20261130);
	const pieces = [...PIECES, '<', '<![CDATA[x]]>', '<!-- c -->'];
	for (let i = 0; i < 2000; i++) {
		const length = Math.floor(next() * 24);
		let content = '';
		for (let j = 0; j < length; j++) content += pieces[Math.floor(next() * pieces.length)];
		const copied = decodeCharacterData(Buffer.from(content, 'utf8'));
		const own = Buffer.from(content, 'utf8');
		const inPlace = decodeCharacterData(own, own);
		const view = (result: typeof copied) => (result?.ok ? { ok: true, text: result.value.toString('latin1') } : result);
		expect({ content, result: view(inPlace) }).toEqual({ content, result: view(copied) });
		// Through the whole answer too: with or without markup, the same as saxes reads it.
		const xml = envelope(content);
		const bulk = readBulkTextResponse(Buffer.from(xml, 'utf8'), 'return');
		const full = readSoapResponse(xml);
		const text = (read: typeof bulk) =>
			read.ok && read.value.kind === 'result' ? (read.value.element.children[0]?.bytes?.toString('utf8') ?? read.value.element.children[0]?.text) : undefined;
		expect({ content, ok: bulk.ok, text: text(bulk) }).toEqual({ content, ok: full.ok, text: text(full) });
	}
});
