/**
 * A server that puts one credential line of the request's echo at the very start of its error
 * words. The mocks' echoes start with the request line and every header, so a node that quotes
 * only the first few hundred characters of a server's words never reaches their credential lines;
 * here each line (raw, URL-, HTML-, JSON-escaped, base64, bearer) in turn is what the node quotes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { MockServer } from './base';
import { echoRequest, escapeHtml, readBody, requestCredentials } from './http';

/** How each credential line of `echoRequest` starts. */
export const CREDENTIAL_LINES = [
	'Authorization: ',
	'basic raw: ',
	'basic url-encoded: ',
	'basic html-escaped: ',
	'basic json-escaped: ',
	'basic json-escaped html-safe: ',
	'basic base64: ',
] as const;

export type CredentialLine = (typeof CREDENTIAL_LINES)[number] | 'bearer raw: ' | 'html page: ';

export interface Exchange {
	req: IncomingMessage;
	res: ServerResponse;
	method: string;
	path: string;
	/** The chosen credential line, then the request line. */
	words: string;
	/** The request line as the echo writes it (`POST /path HTTP/1.1`). */
	requestLine: string;
	send: (status: number, contentType: string, text: string, headers?: Record<string, string>) => void;
}

export class FrontEchoServer extends MockServer {
	readonly requests: { method: string; path: string; status: number }[] = [];
	line: CredentialLine = 'basic raw: ';

	constructor(public respond: (exchange: Exchange) => void) {
		super();
	}

	protected async handle(req: IncomingMessage, res: ServerResponse) {
		const body = await readBody(req);
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const record = { method: req.method ?? 'GET', path: url.pathname, status: 0 };
		this.requests.push(record);
		const lines = echoRequest(req, body).split('\n');
		const credentials = requestCredentials(req);
		let first: string;
		if (this.line === 'html page: ') {
			// As a page would show it: the secret raw in <b>, then escaped.
			first =
				credentials?.kind === 'basic'
					? `<p>User <b>${credentials.user}</b> password <b>${credentials.password}</b></p><p><b>${escapeHtml(credentials.user)}</b> <b>${escapeHtml(credentials.password)}</b></p>`
					: credentials?.kind === 'bearer'
						? `<p>Token <b>${credentials.token}</b> <b>${escapeHtml(credentials.token)}</b></p>`
						: '';
		} else {
			first = lines.filter((line) => line.startsWith(this.line)).join(' ');
		}
		this.respond({
			req,
			res,
			method: record.method,
			path: url.pathname,
			words: `${first}\n${lines[0]}`,
			requestLine: lines[0],
			send: (status, contentType, text, headers = {}) => {
				record.status = status;
				res.writeHead(status, { 'Content-Type': contentType, ...headers });
				res.end(text);
			},
		});
	}
}
