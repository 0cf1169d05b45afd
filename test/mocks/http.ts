import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A local HTTP server on 127.0.0.1 and a random port, closed with every open socket. */
export class LocalServer {
	private server?: Server;
	private sockets = new Set<Socket>();
	url = '';

	constructor(private readonly handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>) {}

	async start(port = 0): Promise<string> {
		this.server = createServer((req, res) => {
			Promise.resolve(this.handler(req, res)).catch((error: Error) => {
				if (!res.headersSent) {
					res.writeHead(500, { 'Content-Type': 'text/plain' });
					res.end(`mock failure: ${error.message}`);
				} else res.destroy();
			});
		});
		this.server.keepAliveTimeout = 1000;
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
		const { port: bound } = this.server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${bound}`;
		return this.url;
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

export function basicAuth(req: IncomingMessage): { username: string; password: string } | undefined {
	const header = req.headers.authorization;
	if (!header || !/^Basic\s+/i.test(header)) return undefined;
	const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return undefined;
	return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Server-side token bucket, refilled continuously like the vendor's limiter. */
export class ServerBucket {
	private tokens: number;
	private last = Date.now();
	constructor(
		private readonly perMinute: number,
		private readonly burst: number,
	) {
		this.tokens = burst;
	}
	/** Returns 0 when a token was taken, else the milliseconds until one is available. */
	take(): number {
		const now = Date.now();
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perMinute) / 60_000);
		this.last = now;
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return 0;
		}
		return Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute);
	}
}

/** Credentials as the Authorization header carries them, decoded without judging them. */
export function requestCredentials(req: IncomingMessage): { kind: 'basic'; user: string; password: string } | { kind: 'bearer'; token: string } | undefined {
	const header = req.headers.authorization ?? '';
	const basic = /^Basic\s+(.*)$/i.exec(header);
	if (basic) {
		const decoded = Buffer.from(basic[1].trim(), 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		return colon < 0 ? { kind: 'basic', user: decoded, password: '' } : { kind: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
	}
	const bearer = /^Bearer\s+(.*)$/i.exec(header);
	return bearer ? { kind: 'bearer', token: bearer[1].trim() } : undefined;
}

export function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * The request as a careless server would reflect it in an error: request line, every header verbatim,
 * the body, then the credentials decoded and re-encoded the ways a client's redaction might miss.
 * `maxBody` shortens the body only (never the credentials), for places with size limits.
 */
export function echoRequest(req: IncomingMessage, body: Buffer | string, maxBody = Infinity): string {
	const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`];
	for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
	let text = typeof body === 'string' ? body : body.toString('utf8');
	if (text.length > maxBody) text = `${text.slice(0, maxBody)}…[${text.length - maxBody} more characters]`;
	lines.push('', text, '');
	const credentials = requestCredentials(req);
	if (credentials?.kind === 'basic') {
		const { user, password } = credentials;
		const pair = `${user}:${password}`;
		const json = JSON.stringify(pair).slice(1, -1);
		lines.push(
			`basic raw: ${pair}`,
			`basic url-encoded: user=${encodeURIComponent(user)} password=${encodeURIComponent(password)} pair=${encodeURIComponent(pair)}`,
			`basic html-escaped: ${escapeHtml(pair)}`,
			`basic json-escaped: ${json}`,
			// Some serializers also escape HTML characters in JSON strings.
			`basic json-escaped html-safe: ${json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')}`,
			`basic base64: ${Buffer.from(pair, 'utf8').toString('base64')}`,
		);
	} else if (credentials?.kind === 'bearer') {
		lines.push(`bearer raw: ${credentials.token}`);
	}
	return lines.join('\n');
}

/** The echo as one header line: no line breaks, and bytes a header may carry (UTF-8 sent as raw octets). */
export function echoHeader(req: IncomingMessage, body: Buffer | string): string {
	const line = echoRequest(req, body, 2048).replace(/\r?\n/g, ' | ');
	return Buffer.from(line, 'utf8').toString('latin1').replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');
}

/**
 * An HTML page that reflects the request: the echo raw and escaped in <pre>, and the secret alone in
 * <b>, so a client that strips tags before redacting turns the secret into something it no longer
 * recognises (the mock passwords contain "<" and ">") and leaks the rest.
 */
export function echoHtml(req: IncomingMessage, body: Buffer | string): string {
	const echo = echoRequest(req, body);
	const credentials = requestCredentials(req);
	const secret =
		credentials?.kind === 'basic'
			? `<p>User <b>${credentials.user}</b> password <b>${credentials.password}</b></p><p>User <b>${escapeHtml(credentials.user)}</b> password <b>${escapeHtml(credentials.password)}</b></p>`
			: credentials?.kind === 'bearer'
				? `<p>Token <b>${credentials.token}</b></p><p>Token <b>${escapeHtml(credentials.token)}</b></p>`
				: '';
	return `<h2>Request</h2><pre>${echo}</pre><pre>${escapeHtml(echo)}</pre>${secret}`;
}

/** Puts the reflected request just before </body> (or at the end). */
export function withEchoHtml(page: string, req: IncomingMessage, body: Buffer | string): string {
	const block = echoHtml(req, body);
	const at = page.lastIndexOf('</body>');
	return at < 0 ? page + block : page.slice(0, at) + block + page.slice(at);
}

/** A redirect target that carries the echo in its query, for a client that logs where it was sent. */
export function echoLocation(req: IncomingMessage, body: Buffer | string, leaky: boolean): string {
	const target = `http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`;
	if (!leaky) return target;
	return `${target}${target.includes('?') ? '&' : '?'}echo=${encodeURIComponent(echoRequest(req, body, 1024))}`;
}

export interface DripOptions {
	intervalMs: number;
	/** When the body ends (with the rest of the answer); never when absent. */
	totalMs?: number;
}

/**
 * Sends the status and headers at once, then the answer one byte per interval: the opening of the
 * document, then whitespace (legal there in JSON, XML and HTML), and the rest when `totalMs` is up.
 * Resolves when the body ended or the connection closed.
 */
export function dripAnswer(res: ServerResponse, status: number, headers: Record<string, string>, text: string, options: DripOptions): Promise<void> {
	const bytes = Buffer.from(text, 'utf8');
	const head = text.startsWith('<') ? bytes.indexOf('>') + 1 : /^[{[]/.test(text) ? 1 : 0;
	// The filler makes the length unknowable: chunked.
	const rest = { ...headers };
	delete rest['Content-Length'];
	res.writeHead(status, rest);
	res.flushHeaders();
	return new Promise((resolve) => {
		let sent = 0;
		let done = false;
		const finish = (complete: boolean) => {
			if (done) return;
			done = true;
			clearInterval(timer);
			if (ender) clearTimeout(ender);
			if (complete && !res.destroyed) res.end(bytes.subarray(sent), () => resolve());
			else resolve();
		};
		const timer = setInterval(() => {
			if (res.destroyed) return finish(false);
			if (sent < head) res.write(bytes.subarray(sent, ++sent));
			else res.write(' ');
		}, Math.max(1, options.intervalMs));
		timer.unref();
		const ender = options.totalMs === undefined ? undefined : setTimeout(() => finish(true), options.totalMs);
		ender?.unref();
		res.on('close', () => finish(false));
	});
}

/**
 * Sends the status and headers of the answer with its true Content-Length, the first `afterBytes`
 * bytes (always fewer than the whole), then destroys the socket: a connection lost mid-body.
 */
export function cutOffAnswer(res: ServerResponse, status: number, headers: Record<string, string>, text: string, afterBytes: number): Promise<void> {
	const bytes = Buffer.from(text, 'utf8');
	const part = bytes.subarray(0, Math.max(0, Math.min(afterBytes, bytes.length - 1)));
	res.writeHead(status, { ...headers, 'Content-Length': String(bytes.length) });
	return new Promise((resolve) => {
		res.on('close', () => resolve());
		// Destroy only once the part reached the socket, or the client might see nothing at all.
		if (part.length) res.write(part, () => res.destroy());
		else {
			res.flushHeaders();
			if (res.socket) res.socket.write('', () => res.destroy());
			else res.destroy();
		}
	});
}
