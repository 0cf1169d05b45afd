/**
 * Five9's wire format: SOAP 1.1 document/literal envelopes (docs/five9.md, "SOAP"). Requests are
 * built with XML escaping; answers are parsed with saxes, which never expands DTD entities, by
 * local name so any prefix works. Long report texts are decoded straight into bytes.
 */
import { StringDecoder } from 'node:string_decoder';

import { SaxesParser } from 'saxes';

import { FIVE9_ADMIN_PATH, FIVE9_SUPERVISOR_PATH } from '../../../credentials/Five9Api.credentials';

export type Five9Service = 'admin' | 'supervisor';

export const SERVICES: Record<Five9Service, { path: string; namespace: string; label: string }> = {
	admin: { path: FIVE9_ADMIN_PATH, namespace: 'http://service.admin.ws.five9.com/', label: 'Configuration Web Services' },
	supervisor: {
		path: FIVE9_SUPERVISOR_PATH,
		namespace: 'http://service.supervisor.ws.five9.com/',
		label: 'Supervisor Web Services',
	},
};

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

// ---------------------------------------------------------------------------------------------
// Request envelopes

/** A request parameter: objects become child elements in key order, arrays repeat the element. */
export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [name: string]: XmlValue };

// Characters XML 1.0 cannot carry at all, even escaped.
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function escapeXml(text: string): string {
	if (INVALID_XML_CHARS.test(text)) {
		throw new Error(`The value "${text.slice(0, 40)}" contains a control character that XML cannot carry`);
	}
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

function elementXml(name: string, value: XmlValue): string {
	if (value === undefined) return '';
	if (Array.isArray(value)) return value.map((entry) => elementXml(name, entry)).join('');
	if (value === null) return `<${name} xsi:nil="true" xmlns:xsi="${XSI}"/>`;
	if (typeof value === 'object') {
		const inner = Object.entries(value)
			.map(([child, childValue]) => elementXml(child, childValue))
			.join('');
		return `<${name}>${inner}</${name}>`;
	}
	return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A SOAP 1.1 request: only the operation element is qualified; its children are not (docs/five9.md, "SOAP"). */
export function soapEnvelope(service: Five9Service, method: string, params: Record<string, XmlValue> = {}): string {
	const inner = Object.entries(params)
		.map(([name, value]) => elementXml(name, value))
		.join('');
	return (
		'<?xml version="1.0" encoding="UTF-8"?>' +
		`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ser="${SERVICES[service].namespace}">` +
		`<soapenv:Header/><soapenv:Body><ser:${method}>${inner}</ser:${method}></soapenv:Body></soapenv:Envelope>`
	);
}

// ---------------------------------------------------------------------------------------------
// Response parsing

export interface XmlElement {
	/** Local name: prefixes vary between Five9 responses (`env:`, `soap:`, `ns2:`). */
	name: string;
	/** `xsi:nil="true"`: Five9's empty cell. */
	nil: boolean;
	children: XmlElement[];
	text: string;
	/** The text as UTF-8 bytes, instead of `text`, when it was read by `readBulkTextResponse`. */
	bytes?: Buffer;
}

export type XmlResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Bytes handed to the XML parser at a time: keeps a large report from becoming one huge string. */
const XML_CHUNK_BYTES = 1 << 20;

interface ParseState {
	stack: XmlElement[];
	texts: string[][];
	parser: SaxesParser<{ xmlns: true; position: true }>;
	refusal?: string;
}

/** The parse in progress. Parsing is synchronous, so one is enough. */
let current: ParseState | undefined;

// The handlers are created once, not per parse: optimised parser code embeds them, and fresh
// closures dying after every response made V8 throw that code away (measured: ~0.8 s more per
// 50,000-row report from the second report on).
function onOpenTag(tag: { local: string; attributes: Record<string, { local: string; uri: string; value: string }> }) {
	const state = current!;
	let nil = false;
	for (const attribute of Object.values(tag.attributes)) {
		if (attribute.local === 'nil' && attribute.uri === XSI && attribute.value === 'true') nil = true;
	}
	const element: XmlElement = { name: tag.local, nil, children: [], text: '' };
	state.stack[state.stack.length - 1].children.push(element);
	state.stack.push(element);
	state.texts.push([]);
}

function onText(text: string) {
	const texts = current!.texts;
	texts[texts.length - 1].push(text);
}

function onCloseTag() {
	const state = current!;
	const element = state.stack.pop()!;
	const parts = state.texts.pop()!;
	element.text = parts.length === 1 ? parts[0] : parts.join('');
}

function onDoctype() {
	const state = current!;
	state.refusal = 'it contains a document type declaration, which SOAP does not allow';
	// Without an error handler saxes throws at the first error, which stops the parse there.
	state.parser.fail(state.refusal);
}

/**
 * Parses XML (text, or UTF-8 bytes decoded a chunk at a time) into elements by local name, or says
 * why it cannot. Document type declarations are refused.
 */
export function parseXml(xml: string | Buffer): XmlResult<XmlElement> {
	const root: XmlElement = { name: '#document', nil: false, children: [], text: '' };
	const parser = new SaxesParser({ xmlns: true, position: true });
	const state: ParseState = { stack: [root], texts: [[]], parser };
	parser.on('doctype', onDoctype);
	parser.on('opentag', onOpenTag);
	parser.on('text', onText);
	parser.on('cdata', onText);
	parser.on('closetag', onCloseTag);
	const previous = current;
	current = state;
	try {
		if (typeof xml === 'string') {
			parser.write(xml);
		} else {
			const decoder = new StringDecoder('utf8');
			// A UTF-8 byte order mark is not part of the document.
			const start = xml[0] === 0xef && xml[1] === 0xbb && xml[2] === 0xbf ? 3 : 0;
			for (let offset = start; offset < xml.length; offset += XML_CHUNK_BYTES) {
				parser.write(decoder.write(xml.subarray(offset, offset + XML_CHUNK_BYTES)));
			}
			parser.write(decoder.end());
		}
		parser.close();
	} catch (error) {
		const reason = state.refusal ?? String((error as Error)?.message ?? error).replace(/^undefined:/, '').trim();
		return { ok: false, reason: reason.length > 200 ? `${reason.slice(0, 200)}…` : reason };
	} finally {
		current = previous;
	}
	if (root.children.length !== 1) return { ok: false, reason: 'it has no root element' };
	return { ok: true, value: root };
}

export function childElement(element: XmlElement | undefined, name: string): XmlElement | undefined {
	return element?.children.find((child) => child.name === name);
}

export function childElements(element: XmlElement | undefined, name: string): XmlElement[] {
	return element ? element.children.filter((child) => child.name === name) : [];
}

/** Text of a child, `null` for xsi:nil, `undefined` when absent. */
export function childText(element: XmlElement | undefined, name: string): string | null | undefined {
	const child = childElement(element, name);
	if (!child) return undefined;
	return child.nil ? null : child.text;
}

export interface SoapFault {
	/** Local name of the detail element (`ReportNotFoundFault`), or the faultcode when there is none. */
	name: string;
	faultString: string;
	detail: Record<string, string>;
}

export type SoapResponse = { kind: 'result'; element: XmlElement } | { kind: 'fault'; fault: SoapFault };

/** Reads a SOAP 1.1 envelope: the Body's first element, or its Fault. */
export function readSoapResponse(xml: string | Buffer): XmlResult<SoapResponse> {
	const document = parseXml(xml);
	if (!document.ok) return document;
	const envelope = document.value.children[0];
	if (envelope.name !== 'Envelope') return { ok: false, reason: `its root is <${envelope.name}>, not a SOAP Envelope` };
	const body = childElement(envelope, 'Body');
	if (!body) return { ok: false, reason: 'the SOAP Envelope has no Body' };
	const first = body.children[0];
	if (!first) return { ok: false, reason: 'the SOAP Body is empty' };
	if (first.name !== 'Fault') return { ok: true, value: { kind: 'result', element: first } };
	const detailElement = childElement(first, 'detail')?.children[0];
	const detail: Record<string, string> = {};
	for (const child of detailElement?.children ?? []) if (!child.nil) detail[child.name] = child.text;
	const faultCode = (childText(first, 'faultcode') ?? '').replace(/^.*:/, '');
	return {
		ok: true,
		value: {
			kind: 'fault',
			fault: {
				name: detailElement?.name ?? (faultCode || 'Fault'),
				faultString: childText(first, 'faultstring') ?? detail.message ?? '',
				detail,
			},
		},
	};
}

const AMP = 0x26;
const LT = 0x3c;
const GT = 0x3e;
const SEMICOLON = 0x3b;
const CR = 0x0d;
const LF = 0x0a;
const NAMED_ENTITIES: Record<string, number> = { amp: 0x26, lt: 0x3c, gt: 0x3e, quot: 0x22, apos: 0x27 };

function isXmlChar(code: number): boolean {
	return (
		code === 0x09 ||
		code === 0x0a ||
		code === 0x0d ||
		(code >= 0x20 && code <= 0xd7ff) ||
		(code >= 0xe000 && code <= 0xfffd) ||
		(code >= 0x10000 && code <= 0x10ffff)
	);
}

/** Bytes the decoder has to look at: markup and entity starts, CR, control characters, 0xEF (U+FFFE/U+FFFF). */
const SPECIAL_BYTES = new Uint8Array(256);
for (let byte = 0; byte < 0x20; byte++) if (byte !== 0x09 && byte !== LF) SPECIAL_BYTES[byte] = 1;
for (const byte of [AMP, LT, GT, 0xef]) SPECIAL_BYTES[byte] = 1;

/**
 * Decodes XML character data (no markup) into UTF-8 bytes the way an XML parser reports it: the five
 * predefined entities and character references expanded, line ends normalized to LF, characters XML
 * forbids refused. Anything else after `&` is an error: entities declared in a DTD are never
 * expanded. `undefined` means the data holds markup (a CDATA section, a comment…) and needs the
 * full parser. With `output` the input itself, it is decoded in place (decoding never lengthens
 * the text, and what is written never passes what is read); the input is then spoilt on failure.
 */
export function decodeCharacterData(input: Buffer, output: Buffer = Buffer.allocUnsafe(input.length)): XmlResult<Buffer> | undefined {
	let written = 0;
	let copyFrom = 0;
	const length = input.length;
	for (let i = 0; i < length; i++) {
		const byte = input[i];
		if (SPECIAL_BYTES[byte] === 0) continue;
		written += input.copy(output, written, copyFrom, i);
		if (byte === LT) return undefined;
		if (byte === GT) {
			if (i >= 2 && input[i - 1] === 0x5d && input[i - 2] === 0x5d) return { ok: false, reason: 'the text contains "]]>"' };
			output[written++] = GT;
			copyFrom = i + 1;
		} else if (byte === 0xef) {
			// U+FFFE and U+FFFF are not XML characters.
			if (input[i + 1] === 0xbf && (input[i + 2] === 0xbe || input[i + 2] === 0xbf)) {
				return { ok: false, reason: 'the text contains a character XML does not allow' };
			}
			copyFrom = i;
		} else if (byte === CR) {
			output[written++] = LF;
			if (input[i + 1] === LF) i++;
			copyFrom = i + 1;
		} else if (byte === AMP) {
			const end = input.indexOf(SEMICOLON, i + 1);
			if (end < 0 || end - i > 12) return { ok: false, reason: 'the text contains an unterminated "&"' };
			const name = input.toString('latin1', i + 1, end);
			let code: number | undefined = NAMED_ENTITIES[name];
			if (code === undefined && /^#[0-9]{1,7}$/.test(name)) code = Number(name.slice(1));
			if (code === undefined && /^#x[0-9a-fA-F]{1,6}$/.test(name)) code = parseInt(name.slice(2), 16);
			if (code === undefined) return { ok: false, reason: `undefined entity "&${name.slice(0, 20)};"` };
			if (!isXmlChar(code)) return { ok: false, reason: `the character reference "&${name};" is not an XML character` };
			written += output.write(String.fromCodePoint(code), written, 'utf8');
			i = end;
			copyFrom = end + 1;
		} else {
			return { ok: false, reason: 'the text contains a control character XML does not allow' };
		}
	}
	written += input.copy(output, written, copyFrom, length);
	return { ok: true, value: output.subarray(0, written) };
}

function indexOfBytes(haystack: Buffer, needle: string, from = 0): number {
	return haystack.indexOf(needle, from, 'latin1');
}

/**
 * For answers that are one long text (getReportResultCsv's `<return>`, a whole report): the envelope
 * around it goes through saxes like every answer, while the text itself is decoded straight into
 * bytes by `decodeCharacterData`, never becoming a string of its own. On a 50,000-row report this
 * saves about a third of the node's time and half of its memory. Answers of another shape go
 * through the full parser.
 */
export function readBulkTextResponse(body: Buffer, element: string): XmlResult<SoapResponse> {
	const open = `<${element}>`;
	const close = `</${element}>`;
	const start = indexOfBytes(body, open);
	const end = body.lastIndexOf(close, undefined, 'latin1');
	if (start < 0 || end < start || indexOfBytes(body, open, start + open.length) >= 0) return readSoapResponse(body);
	const contentStart = start + open.length;
	const content = body.subarray(contentStart, end);
	const outside = () => readSoapResponse(Buffer.concat([body.subarray(0, contentStart), body.subarray(end)]));
	if (body.indexOf(LT, contentStart) < end) {
		// Markup in the text: the decoder stops at it, and the whole answer goes through saxes.
		const text = decodeCharacterData(content);
		if (text === undefined) return readSoapResponse(body);
		const envelope = outside();
		if (!envelope.ok || envelope.value.kind === 'fault') return envelope;
		// A text with markup never decodes: the decoder stopped at a fault before it.
		return text.ok ? readSoapResponse(body) : text;
	}
	// No markup: the same steps in an order that lets the text be decoded in place, into the answer's
	// own bytes (a report's size less at the memory peak), whenever the answer is not needed again.
	const envelope = outside();
	if (!envelope.ok || envelope.value.kind === 'fault') return envelope;
	const holder = childElement(envelope.value.element, element);
	const text = decodeCharacterData(content, holder ? content : undefined)!;
	if (!text.ok) return text;
	if (!holder) return readSoapResponse(body);
	holder.bytes = text.value;
	return envelope;
}
