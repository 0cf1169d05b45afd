/**
 * A minimal SMTP listener on 127.0.0.1 for the error-notification template: it accepts every message
 * (no TLS, no authentication) and keeps it, decoded, so a test can read what n8n's Send Email node
 * sent. Only the commands a mail client needs are understood (RFC 5321, section 4.5.1).
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface CaughtMail {
	from: string;
	to: string[];
	subject: string;
	/** The text body, transfer encoding undone. */
	text: string;
	raw: string;
}

/** Undoes RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`), as clients write non-ASCII subjects. */
function decodeWords(value: string): string {
	return value.replace(/=\?([^?]+)\?([QBqb])\?([^?]*)\?=\s*/g, (_match, _charset: string, kind: string, text: string) =>
		kind.toUpperCase() === 'B'
			? Buffer.from(text, 'base64').toString('utf8')
			: Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
	);
}

function decodeBody(body: string, encoding: string): string {
	if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (encoding !== 'quoted-printable') return body;
	const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Headers (unfolded) and the text part of a message as a client sent it. */
function parseMessage(raw: string): { subject: string; text: string } {
	const split = raw.indexOf('\r\n\r\n');
	const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
	const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
	let body = raw.slice(split + 4);
	let encoding = header('Content-Transfer-Encoding').toLowerCase();
	const boundary = /boundary="?([^";]+)"?/i.exec(header('Content-Type'))?.[1];
	if (boundary) {
		// A multipart message: the text/plain part is the one to read.
		const part = body.split(`--${boundary}`).find((p) => /content-type:\s*text\/plain/i.test(p)) ?? '';
		const partSplit = part.indexOf('\r\n\r\n');
		encoding = /content-transfer-encoding:\s*([^\r\n]+)/i.exec(part.slice(0, partSplit))?.[1]?.trim().toLowerCase() ?? '';
		body = part.slice(partSplit + 4);
	}
	return { subject: decodeWords(header('Subject')), text: decodeBody(body, encoding).replace(/\r\n/g, '\n').trimEnd() };
}

export class SmtpCatcher {
	readonly mails: CaughtMail[] = [];
	private readonly server: Server = createServer((socket) => this.session(socket));
	private readonly sockets = new Set<Socket>();
	port = 0;

	async start(): Promise<this> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.port = (this.server.address() as { port: number }).port;
		return this;
	}

	async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private session(socket: Socket) {
		this.sockets.add(socket);
		socket.on('close', () => this.sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		let buffer = '';
		let inData = false;
		let from = '';
		let to: string[] = [];
		const reply = (line: string) => socket.write(`${line}\r\n`);
		reply('220 127.0.0.1 ESMTP catcher');
		socket.on('data', (chunk) => {
			buffer += chunk.toString('latin1');
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end < 0) return;
					// Dot-stuffing undone (RFC 5321, section 4.5.2); the raw text is bytes, read as UTF-8.
					const raw = Buffer.from(buffer.slice(0, end).replace(/^\.\./gm, '.'), 'latin1').toString('utf8');
					buffer = buffer.slice(end + 5);
					inData = false;
					this.mails.push({ from, to, raw, ...parseMessage(raw) });
					reply('250 OK: queued');
					continue;
				}
				const newline = buffer.indexOf('\r\n');
				if (newline < 0) return;
				const line = buffer.slice(0, newline);
				buffer = buffer.slice(newline + 2);
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'EHLO' || verb === 'HELO') reply('250 127.0.0.1');
				else if (verb === 'MAIL') {
					from = /<([^>]*)>/.exec(line)?.[1] ?? '';
					to = [];
					reply('250 OK');
				} else if (verb === 'RCPT') {
					to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
					reply('250 OK');
				} else if (verb === 'DATA') {
					inData = true;
					reply('354 End data with <CR><LF>.<CR><LF>');
				} else if (verb === 'QUIT') {
					reply('221 Bye');
					socket.end();
					return;
				} else if (verb === 'RSET' || verb === 'NOOP') reply('250 OK');
				else reply('502 Command not implemented');
			}
		});
	}
}
