/**
 * The one way this package talks to Five9: SOAP 1.1 document/literal over HTTPS with Basic auth
 * (five9.md §1.2). Envelopes are built with XML escaping; responses are parsed with saxes, which
 * never expands DTD entities, by local name so any prefix works; faults become NodeApiErrors by
 * their detail element name (§1.7). Five9 denies concurrent requests per user, so every request of
 * one credential waits for the previous one, across executions in this process.
 */
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { StringDecoder } from 'node:string_decoder';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { SaxesParser } from 'saxes';

import {
	FIVE9_ADMIN_PATH,
	FIVE9_REJECTED_LOGIN,
	FIVE9_SUPERVISOR_PATH,
} from '../../../credentials/Five9Api.credentials';
import { five9BaseUrl, five9ReportTimeZone } from '../helpers/dataCenters';
import { asNodeError } from '../../shared/errors';
import {
	DEFAULT_RETRY_POLICY,
	NETWORK_WORDS,
	networkErrorCode,
	parseRetryAfter,
	withRetries,
	type AttemptOutcome,
	type RetryPolicy,
	type RetryStats,
} from '../../shared/retry';
import { isValidTimeZone } from '../../shared/time';

export const FIVE9_CREDENTIAL = 'five9Api';

export type Five9Service = 'admin' | 'supervisor';

const SERVICES: Record<Five9Service, { path: string; namespace: string; label: string }> = {
	admin: { path: FIVE9_ADMIN_PATH, namespace: 'http://service.admin.ws.five9.com/', label: 'Configuration Web Services' },
	supervisor: {
		path: FIVE9_SUPERVISOR_PATH,
		namespace: 'http://service.supervisor.ws.five9.com/',
		label: 'Supervisor Web Services',
	},
};

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

type Five9Context = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

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

/** A SOAP 1.1 request: only the operation element is qualified; its children are not (§1.2). */
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

/**
 * Decodes XML character data (no markup) into UTF-8 bytes the way an XML parser reports it: the five
 * predefined entities and character references expanded, line ends normalized to LF, characters XML
 * forbids refused. Anything else after `&` is an error: entities declared in a DTD are never
 * expanded. `undefined` means the data holds markup (a CDATA section, a comment…) and needs the
 * full parser.
 */
export function decodeCharacterData(input: Buffer): XmlResult<Buffer> | undefined {
	const output = Buffer.allocUnsafe(input.length);
	let written = 0;
	let copyFrom = 0;
	const length = input.length;
	for (let i = 0; i < length; i++) {
		const byte = input[i];
		if (byte >= 0x20 && byte !== AMP && byte !== LT && byte !== GT && byte !== 0xef) continue;
		if (byte === 0x09 || byte === LF) continue;
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
	const text = decodeCharacterData(body.subarray(contentStart, end));
	if (text === undefined) return readSoapResponse(body);
	const envelope = readSoapResponse(Buffer.concat([body.subarray(0, contentStart), body.subarray(end)]));
	if (!envelope.ok || envelope.value.kind === 'fault') return envelope;
	if (!text.ok) return text;
	const holder = childElement(envelope.value.element, element);
	if (!holder) return readSoapResponse(body);
	holder.bytes = text.value;
	return envelope;
}

// ---------------------------------------------------------------------------------------------
// Faults in plain words (five9.md §1.7, seed 000 "Common connection issues")

interface FaultWords {
	message: (fault: SoapFault) => string;
	action: string;
	/** Worth another try after a pause. */
	retry?: boolean;
}

const RIGHTS_ACTION =
	'In Five9 Admin, give the integration user the Administrator role with all administrative services and APIs, reporting rights, and (for agent states) Supervisor with "Execute Web API" explicitly enabled.';

const CONCURRENT_WORDS: FaultWords = {
	message: () => 'Another program is using the same Five9 user at the same moment',
	action:
		'Five9 refuses concurrent requests of one user. Give n8n its own Five9 integration user, or stop the other program or workflow that uses this one.',
	retry: true,
};

const FAULT_WORDS: Record<string, FaultWords> = {
	ReportNotFoundFault: {
		message: (f) =>
			`Five9 has no report "${f.detail.reportName ?? '?'}" in folder "${f.detail.folder ?? '?'}"`,
		action:
			'Folder and report names are case-sensitive and must match Five9 exactly (Reports → Custom Reports), in the language of the integration user’s locale. The user must also be allowed to see the report.',
	},
	UnknownIdentifierFault: {
		message: () => 'Five9 no longer knows this report run',
		action: 'Report results expire or belong to another user. Run the report again.',
	},
	ResultIsNotReadyFault: {
		message: () => 'The Five9 report is still being generated',
		action: 'Raise "Max Wait (Seconds)" in the node options, or use smaller windows.',
	},
	AccessDisallowedFault: {
		message: () => 'Five9 refused access: the user lacks the rights for this web service',
		action: RIGHTS_ACTION,
	},
	InvalidAccountFault: {
		message: () => FIVE9_REJECTED_LOGIN,
		action:
			'Check the Five9 credential. Five9 also answers this when the user’s security questions were never answered: log in once as that user and complete them.',
	},
	OperationsLimitExceededFault: {
		message: (f) =>
			`Five9's request limit${f.detail.operationType ? ` for ${f.detail.operationType}` : ''}${
				f.detail.limit ? ` (${f.detail.limit} requests)` : ''
			} is used up`,
		action:
			'Five9 counts web-service requests per domain over hours and a day. Run the workflow less often, use fewer and larger windows, or ask Five9 to raise the limit.',
		retry: true,
	},
	UserAlreadyLoggedInFault: CONCURRENT_WORDS,
	SessionClosedFault: CONCURRENT_WORDS,
	AdminSessionClosedFault: CONCURRENT_WORDS,
	ServiceUnavailableFault: {
		message: () => 'Five9 web services are unavailable',
		action: 'This is usually temporary (maintenance). Run the workflow again later.',
		retry: true,
	},
	ServerFault: {
		message: () => 'Five9 had an internal error',
		action: 'This is usually temporary. If it keeps happening for one window, try smaller windows.',
		retry: true,
	},
	IncorrectArgumentFault: {
		message: () => 'Five9 rejected a value in the request',
		action: 'Check the dates, the criteria and the names in the node.',
	},
	MissedArgumentFault: {
		message: () => 'Five9 says a required value is missing from the request',
		action: 'Fill in the folder, report and dates.',
	},
	ObjectNotFoundFault: {
		message: (f) =>
			`Five9 has no ${f.detail.objectType ?? 'object'}${f.detail.objectName ? ` named "${f.detail.objectName}"` : ''}`,
		action: 'Check the names under Criteria: they must match Five9 exactly.',
	},
	SessionNotInitializedFault: {
		message: () => 'The Five9 supervisor session was not set up',
		action: 'Run the node again; it starts a session before each request for statistics.',
	},
	UnknownColumnFault: {
		message: () => 'Five9 does not know one of the requested statistics columns',
		action: 'Check the column names under Options → Columns; they are case-sensitive.',
	},
	UserLimitReachedFault: {
		message: () => 'Five9 has no free supervisor session for this user',
		action: 'Close other supervisor sessions of the integration user.',
		retry: true,
	},
};

// ---------------------------------------------------------------------------------------------
// Per-credential serialization

const queues = new Map<string, Promise<void>>();

/** Runs `task` after every earlier task of the same key has settled. */
export async function serialized<T>(key: string, task: () => Promise<T>): Promise<T> {
	const previous = queues.get(key) ?? Promise.resolve();
	let release!: () => void;
	const done = new Promise<void>((resolve) => (release = resolve));
	const tail = previous.then(() => done);
	queues.set(key, tail);
	await previous;
	try {
		return await task();
	} finally {
		release();
		if (queues.get(key) === tail) queues.delete(key);
	}
}

// ---------------------------------------------------------------------------------------------
// Client

export interface Five9ClientOptions {
	retry?: RetryPolicy;
	timeoutMs?: number;
	/** Overrides the credential's report time zone. */
	timeZone?: string;
}

export interface Five9CallOptions {
	itemIndex?: number;
	/** The answer is one long text in this element: read it as bytes (see `readBulkTextResponse`). */
	bulkText?: string;
	/** For long polls: the HTTP timeout must outlast the server's hold. */
	timeoutMs?: number;
}

export interface Five9Settings {
	baseUrl: string;
	timeZone: string;
	username: string;
}

export interface Five9Stats {
	requests: number;
	retries: number;
}

/** Whether an error from this transport is about the login (wrong password, wrong data center). */
export function isLoginError(error: unknown): boolean {
	return (error as { context?: { five9Login?: unknown } } | undefined)?.context?.five9Login === true;
}

/** The fault name an error from this transport carries, if it came from a SOAP fault. */
export function faultNameOf(error: unknown): string | undefined {
	const context = (error as { context?: { five9Fault?: unknown } } | undefined)?.context;
	return typeof context?.five9Fault === 'string' ? context.five9Fault : undefined;
}

export class Five9Client {
	readonly retry: RetryPolicy;
	readonly timeoutMs: number;
	readonly stats: Five9Stats = { requests: 0, retries: 0 };
	private settingsPromise?: Promise<Five9Settings>;
	private secrets: string[] = [];
	private lockKey = '';

	constructor(
		private readonly ctx: Five9Context,
		private readonly options: Five9ClientOptions = {},
	) {
		this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
		this.timeoutMs = options.timeoutMs ?? 60_000;
	}

	get node() {
		return this.ctx.getNode();
	}

	/** Base URL, report time zone and user, read once from the credential. */
	settings(): Promise<Five9Settings> {
		this.settingsPromise ??= (async () => {
			const credentials = (await this.ctx.getCredentials(FIVE9_CREDENTIAL)) as ICredentialDataDecryptedObject;
			const username = String(credentials.username ?? '').trim();
			const baseUrl = five9BaseUrl(credentials);
			if (!/^https?:\/\/[^/]+/i.test(baseUrl)) {
				throw new NodeOperationError(this.ctx.getNode(), 'The Five9 credential has no valid Base URL', {
					description: 'With the data center "Custom Base URL", enter a URL such as https://api.five9.com.',
				});
			}
			const timeZone = (this.options.timeZone ?? '').trim() || five9ReportTimeZone(credentials);
			if (!isValidTimeZone(timeZone)) {
				throw new NodeOperationError(this.ctx.getNode(), `"${timeZone}" is not a time zone`, {
					description: 'Use an IANA name such as America/Los_Angeles or Europe/London for the report time zone.',
				});
			}
			this.secrets = [String(credentials.password ?? '')].filter((secret) => secret.length >= 3);
			this.lockKey = `${username.toLowerCase()}@${baseUrl.toLowerCase()}`;
			return { baseUrl, timeZone, username };
		})();
		return this.settingsPromise;
	}

	/** Removes the password should a server or proxy ever echo it. */
	redact(text: string): string {
		let result = text;
		for (const secret of this.secrets) result = result.split(secret).join('***');
		return result;
	}

	/**
	 * Sends one SOAP request and returns the response element (`<ns2:runReportResponse>` …).
	 * Rate limits, busy sessions, 429/5xx and dropped connections are retried with back-off.
	 */
	async call(
		service: Five9Service,
		method: string,
		params: Record<string, XmlValue> = {},
		options: Five9CallOptions = {},
	): Promise<XmlElement> {
		const { baseUrl } = await this.settings();
		let body: string;
		try {
			body = soapEnvelope(service, method, params);
		} catch (error) {
			throw new NodeOperationError(this.ctx.getNode(), (error as Error).message, { itemIndex: options.itemIndex });
		}
		const request: IHttpRequestOptions = {
			method: 'POST',
			baseURL: baseUrl,
			url: SERVICES[service].path,
			headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
			body,
			json: false,
			// Bytes, not text: a 50,000-row report would otherwise be held as one UTF-16 string
			// (25 MB when a name has an accent) before the XML parser even starts.
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: options.timeoutMs ?? this.timeoutMs,
		};
		const attempt = async (): Promise<AttemptOutcome<XmlElement>> => {
			let response: { statusCode: number; body: unknown; headers: Record<string, unknown> };
			try {
				response = await serialized(this.lockKey, async () => {
					this.stats.requests += 1;
					return (await this.ctx.helpers.httpRequestWithAuthentication.call(
						this.ctx,
						FIVE9_CREDENTIAL,
						request,
					)) as typeof response;
				});
			} catch (error) {
				const code = networkErrorCode(error);
				const apiError = this.networkError(method, code, error, options.itemIndex);
				return code ? { kind: 'retry', reason: code, error: apiError } : { kind: 'fail', error: apiError };
			}
			return this.judge(method, response, options.itemIndex, options.bulkText);
		};
		const stats: RetryStats = { retries: 0, waitedMs: 0, reasons: [] };
		try {
			return await withRetries(attempt, this.retry, stats);
		} catch (error) {
			if (error instanceof NodeApiError && stats.retries > 0) {
				error.description = `${error.description ?? ''} Gave up after ${stats.retries} ${
					stats.retries === 1 ? 'retry' : 'retries'
				} (${[...new Set(stats.reasons)].join(', ')}).`.trim();
			}
			throw asNodeError(this.ctx.getNode(), error, options.itemIndex);
		} finally {
			this.stats.retries += stats.retries;
		}
	}

	private judge(
		method: string,
		response: { statusCode: number; body: unknown; headers: Record<string, unknown> },
		itemIndex?: number,
		bulkText?: string,
	): AttemptOutcome<XmlElement> {
		const status = response.statusCode;
		const body = bodyBytes(response.body);
		if (status === 401 || status === 403) {
			return { kind: 'fail', error: this.loginError(status, itemIndex) };
		}
		let parsed: SoapResponse | undefined;
		let xmlProblem: string | undefined;
		if (/<(?:[\w.-]+:)?Envelope[\s>/]/.test(body.subarray(0, 4096).toString('latin1'))) {
			const read = bulkText && status >= 200 && status < 300 ? readBulkTextResponse(body, bulkText) : readSoapResponse(body);
			if (read.ok) parsed = read.value;
			else xmlProblem = read.reason;
		} else if (status >= 200 && status < 300) {
			xmlProblem = 'it is not a SOAP envelope';
		}
		if (parsed?.kind === 'fault') {
			const error = this.faultError(method, parsed.fault, status, itemIndex);
			const words = FAULT_WORDS[parsed.fault.name];
			if (words?.retry) return { kind: 'retry', reason: parsed.fault.name, error };
			return { kind: 'fail', error };
		}
		if (status >= 200 && status < 300) {
			if (parsed) return { kind: 'done', value: parsed.element };
			return { kind: 'fail', error: this.malformedError(method, xmlProblem ?? 'unknown', itemIndex) };
		}
		const error = this.httpError(method, status, body.subarray(0, 8192).toString('utf8'), itemIndex);
		if (status === 429 || status === 503) {
			return {
				kind: 'retry',
				reason: `HTTP ${status}`,
				retryAfterMs: parseRetryAfter(response.headers?.['retry-after']),
				error,
			};
		}
		if (status >= 500 && status !== 501) return { kind: 'retry', reason: `HTTP ${status}`, error };
		return { kind: 'fail', error };
	}

	private apiError(
		message: string,
		description: string,
		extra: { httpCode?: string; itemIndex?: number; fault?: string; login?: boolean },
	): NodeApiError {
		const error = new NodeApiError(
			this.ctx.getNode(),
			{ message, ...(extra.httpCode ? { httpCode: extra.httpCode } : {}) } as JsonObject,
			{ message, description, httpCode: extra.httpCode, itemIndex: extra.itemIndex },
		);
		if (extra.fault) error.context.five9Fault = extra.fault;
		// About the account, not about what was asked: callers leave these messages as they are.
		if (extra.login) error.context.five9Login = true;
		return error;
	}

	private loginError(status: number, itemIndex?: number): NodeApiError {
		return this.apiError(
			FIVE9_REJECTED_LOGIN,
			`Five9 answered ${status}. Check the user name and password in the Five9 credential, and its data center: Five9 also answers ${status} when a valid user calls another data center's host (US, Canada, UK, Frankfurt, India). The user must be a dedicated integration user whose password has not been changed since.`,
			{ httpCode: String(status), itemIndex, login: true },
		);
	}

	private faultError(method: string, fault: SoapFault, status: number, itemIndex?: number): NodeApiError {
		const words = FAULT_WORDS[fault.name];
		const said = this.redact(fault.faultString || fault.detail.message || '').slice(0, 300);
		const plain = words ? words.message(fault) : `Five9 refused ${method}`;
		const message = this.redact(`${plain} (${fault.name})`);
		const description = `${words?.action ?? 'Five9 gave no more detail than its own message.'}${
			said ? ` Five9 said: "${said}".` : ''
		}`;
		return this.apiError(message, description, {
			httpCode: status >= 400 ? String(status) : undefined,
			itemIndex,
			fault: fault.name,
			login: fault.name === 'InvalidAccountFault',
		});
	}

	private malformedError(method: string, problem: string, itemIndex?: number): NodeApiError {
		return this.apiError(
			`Five9 sent an answer to ${method} that is not valid XML: ${this.redact(problem)}`,
			'The response was cut off or is not from Five9 web services. If a proxy sits in between, check it; otherwise run again.',
			{ itemIndex },
		);
	}

	private httpError(method: string, status: number, text: string, itemIndex?: number): NodeApiError {
		const said = this.redact(
			text
				.replace(/<[^>]*>/g, ' ')
				.replace(/\s+/g, ' ')
				.trim(),
		).slice(0, 200);
		let message: string;
		let description: string;
		if (status === 429) {
			message = 'Five9 kept answering "too many requests" (429)';
			description = 'Five9 throttles requests per domain. Run the workflow less often or with larger windows.';
		} else if (status === 503) {
			message = 'Five9 web services are unavailable (503)';
			description = 'This is usually temporary (maintenance). Run the workflow again later.';
		} else if (status >= 500) {
			message = `Five9 had a server error (${status})`;
			description = `This is usually temporary; run the workflow again later.${said ? ` Five9 said: "${said}".` : ''}`;
		} else if (status === 404) {
			message = `Five9 has no web service at this address (404) for ${method}`;
			description = 'Check the data center or Base URL in the Five9 credential.';
		} else {
			message = `Five9 answered ${status} to ${method}`;
			description = said ? `Five9 said: "${said}".` : 'Five9 gave no explanation.';
		}
		return this.apiError(message, description, { httpCode: String(status), itemIndex });
	}

	private networkError(method: string, code: string | undefined, error: unknown, itemIndex?: number): NodeApiError {
		const what = code ? NETWORK_WORDS[code] ?? 'the connection failed' : 'the request could not be sent';
		const detail = error instanceof Error ? this.redact(error.message) : '';
		return this.apiError(
			`Could not reach Five9: ${what}`,
			`${method} to ${this.settingsPromise ? 'the data center in the credential' : 'Five9'} failed${
				code ? ` (${code})` : detail ? `: ${detail}` : ''
			}. Check the data center in the Five9 credential and the network.`,
			{ itemIndex },
		);
	}
}

function bodyBytes(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	if (body === undefined || body === null) return Buffer.alloc(0);
	return Buffer.from(typeof body === 'object' ? JSON.stringify(body) : String(body), 'utf8');
}
