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
