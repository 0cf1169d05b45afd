/**
 * The one error boundary of every vendor client in this package: each HTTP exchange goes through
 * `VendorTransport.exchange`, which sends through n8n's authenticated request helper, enforces an
 * overall deadline and a maximum answer size while reading the body, retries what is worth
 * retrying with back-off, words network failures plainly, and redacts every message it builds.
 * What differs per vendor (how to read an answer, what a fault means) is the caller's `judge`.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from './errors';
import { Redactor } from './redact';
import {
	DEFAULT_RETRY_POLICY,
	NETWORK_WORDS,
	networkErrorCode,
	withRetries,
	type AttemptOutcome,
	type RetryPolicy,
	type RetryStats,
} from './retry';
import { coordinator, type Coordinator } from './coordination';
import type { Limiter } from './throttle';

export type RequestContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions | IWebhookFunctions;

/** An answer as read off the wire: status, headers and the whole body as bytes. */
export interface RawResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: Buffer;
}

export interface TransportStats {
	requests: number;
	retries: number;
	rateLimited: number;
	serverErrors: number;
	networkErrors: number;
}

export interface Exchange<T> {
	/** Names the request in messages: `POST /v0/qa_scores/bulk`, `runReport`. */
	label: string;
	/** What to send; the transport adds the deadline, body reading and status handling. */
	request: IHttpRequestOptions;
	/** Turns an answer into a value, a retry or a failure. */
	judge: (response: RawResponse) => AttemptOutcome<T> | Promise<AttemptOutcome<T>>;
	itemIndex?: number;
	/** Longest time the whole exchange may take, answer included (ms). */
	timeoutMs?: number;
	/** Largest answer read (bytes); a larger one fails with `tooLarge`. */
	maxBytes?: number;
	tooLarge?: (maxBytes: number) => NodeApiError;
	/** Wraps each attempt, e.g. a per-user queue. */
	around?: <R>(attempt: () => Promise<R>) => Promise<R>;
	limiter?: Limiter;
}

/** Answers larger than this are refused unless a caller allows more. */
export const DEFAULT_MAX_ANSWER_BYTES = 64 * 1024 * 1024;

class AnswerTooLarge extends Error {}
class AnswerCutOff extends Error {}
class DeadlinePassed extends Error {}

/** Network codes this module adds to Node's own. */
export const CUT_OFF = 'ECUTOFF';
export const DEADLINE = 'EDEADLINE';

function isReadable(value: unknown): value is NodeJS.ReadableStream & { destroy?: (error?: Error) => void } {
	return !!value && typeof (value as { on?: unknown }).on === 'function' && typeof (value as { pipe?: unknown }).pipe === 'function';
}

function toBuffer(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	if (body === undefined || body === null) return Buffer.alloc(0);
	return Buffer.from(JSON.stringify(body), 'utf8');
}

/**
 * Reads a response body to its end, but no more than `maxBytes` and no later than the deadline.
 * A stream that closes or fails before its end was cut off.
 */
export async function readBody(body: unknown, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
	if (!isReadable(body)) {
		const bytes = toBuffer(body);
		if (bytes.length > maxBytes) throw new AnswerTooLarge();
		return bytes;
	}
	const stream = body;
	return await new Promise<Buffer>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const finish = (error?: Error) => {
			if (settled) return;
			settled = true;
			signal.removeEventListener('abort', onAbort);
			if (error) {
				stream.destroy?.();
				reject(error);
			} else {
				resolve(Buffer.concat(chunks, size));
			}
		};
		const onAbort = () => finish(new DeadlinePassed());
		if (signal.aborted) return finish(new DeadlinePassed());
		signal.addEventListener('abort', onAbort);
		stream.on('data', (chunk: Buffer | string) => {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
			size += bytes.length;
			if (size > maxBytes) return finish(new AnswerTooLarge());
			chunks.push(bytes);
		});
		stream.on('end', () => finish());
		stream.on('error', (error: Error) => finish(signal.aborted ? new DeadlinePassed() : new AnswerCutOff(error?.message)));
		stream.on('close', () => finish(signal.aborted ? new DeadlinePassed() : new AnswerCutOff('closed before the end')));
	});
}

function httpStatusOf(error: unknown): number | undefined {
	const candidate = error as { httpCode?: unknown; response?: { status?: unknown }; cause?: { response?: { status?: unknown } } };
	const status = Number(candidate?.cause?.response?.status ?? candidate?.response?.status ?? candidate?.httpCode);
	return Number.isInteger(status) && status >= 400 ? status : undefined;
}

function responseOf(error: unknown): { data?: unknown; headers?: Record<string, unknown> } | undefined {
	const candidate = error as { response?: { data?: unknown; headers?: Record<string, unknown> }; cause?: { response?: { data?: unknown; headers?: Record<string, unknown> } } };
	return candidate?.cause?.response ?? candidate?.response;
}

export interface TransportOptions {
	retry?: RetryPolicy;
	timeoutMs?: number;
}

/** The client of one vendor credential in one node execution. */
export abstract class VendorTransport {
	readonly retry: RetryPolicy;
	readonly timeoutMs: number;
	readonly stats: TransportStats = { requests: 0, retries: 0, rateLimited: 0, serverErrors: 0, networkErrors: 0 };
	protected readonly redactor = new Redactor();
	private credentialsRead?: Promise<IDataObject>;

	constructor(
		protected readonly ctx: RequestContext,
		/** "Assembled", "Five9": the subject of messages. */
		readonly vendor: string,
		readonly credentialType: string,
		options: TransportOptions = {},
		private readonly refreshOn401 = false,
	) {
		this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
		this.timeoutMs = options.timeoutMs ?? 30_000;
	}

	get node() {
		return this.ctx.getNode();
	}

	/** Registers the credential's secrets with the redactor; called once with the credential. */
	protected abstract learnSecrets(credentials: IDataObject, redactor: Redactor): void;

	/** The credential, read once; its secrets are known to the redactor from then on. */
	protected async credentials(): Promise<IDataObject> {
		this.credentialsRead ??= (async () => {
			const credentials = (await this.ctx.getCredentials(this.credentialType)) as IDataObject;
			this.learnSecrets(credentials, this.redactor);
			return credentials;
		})();
		return await this.credentialsRead;
	}

	/**
	 * Tokens n8n fetched during this run (a refreshed bearer token) are only in the stored
	 * credential; read it again before wording a failure, so they are masked too.
	 */
	protected async learnRuntimeSecrets(): Promise<void> {
		if (!this.refreshOn401) return;
		try {
			this.learnSecrets((await this.ctx.getCredentials(this.credentialType)) as IDataObject, this.redactor);
		} catch {
			// The credential was readable moments ago; nothing new to learn.
		}
	}

	/** What executions sharing this credential agree on (rate budget, locks): this process or Redis. */
	sharedState(): Promise<Coordinator> {
		return coordinator((message) => this.ctx.logger?.warn(message));
	}

	/** Removes anything secret a server or proxy might have echoed back. */
	redact(text: string): string {
		return this.redactor.redact(text);
	}

	/** A NodeApiError whose message and description are redacted. */
	apiError(
		message: string,
		description: string | undefined,
		extra: { httpCode?: string; itemIndex?: number; context?: IDataObject } = {},
	): NodeApiError {
		const safeMessage = this.redact(message);
		const safeDescription = description === undefined ? undefined : this.redact(description);
		const error = new NodeApiError(
			this.node,
			{ message: safeMessage, ...(extra.httpCode ? { httpCode: extra.httpCode } : {}) } as JsonObject,
			{ message: safeMessage, description: safeDescription, httpCode: extra.httpCode, itemIndex: extra.itemIndex },
		);
		if (extra.context) Object.assign(error.context, extra.context);
		return error;
	}

	/** How a network failure reads; vendors may add where to look. */
	protected networkError(label: string, code: string | undefined, detail: string, itemIndex?: number, timeoutMs?: number): NodeApiError {
		const what =
			code === CUT_OFF
				? 'the answer was cut off'
				: code === DEADLINE
					? `the answer did not arrive within ${Math.round((timeoutMs ?? this.timeoutMs) / 1000)} s`
					: code
						? (NETWORK_WORDS[code] ?? 'the connection failed')
						: 'the request could not be sent';
		const explain =
			code === CUT_OFF
				? 'The connection closed in the middle of the answer.'
				: code === DEADLINE
					? 'The whole request, answer included, has to finish within "Request Timeout"; raise it for large answers, or check the network.'
					: 'Check the base URL or data center in the credential, and the network.';
		return this.apiError(
			`Could not reach ${this.vendor}: ${what}`,
			`${label} failed${code && code !== CUT_OFF && code !== DEADLINE ? ` (${code})` : ''}${
				detail && !code ? `: ${detail}` : ''
			}. ${explain}`,
			{ itemIndex, context: { networkCode: code ?? null } },
		);
	}

	/** Sends one request, retrying what is worth retrying, and judges the answer. */
	async exchange<T>(spec: Exchange<T>): Promise<T> {
		await this.credentials();
		const timeoutMs = spec.timeoutMs ?? this.timeoutMs;
		const maxBytes = spec.maxBytes ?? DEFAULT_MAX_ANSWER_BYTES;
		const around = spec.around ?? (<R>(attempt: () => Promise<R>) => attempt());
		const attempt = async (): Promise<AttemptOutcome<T>> => {
			const ticket = spec.limiter ? await spec.limiter.acquire() : undefined;
			const settle = () => ticket && spec.limiter?.settle(ticket);
			const deadline: { signal?: AbortSignal } = {};
			let raw: RawResponse;
			try {
				raw = await around(async () => {
					// The deadline starts when the request leaves, not while it waits its turn.
					const signal = AbortSignal.timeout(timeoutMs);
					deadline.signal = signal;
					this.stats.requests += 1;
					const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, this.credentialType, {
						...spec.request,
						// Bytes as they come: the deadline and the size cap apply while the body is read.
						encoding: 'stream',
						returnFullResponse: true,
						ignoreHttpStatusErrors: this.refreshOn401 ? { ignore: true, except: [401] } : true,
						// A redirect means a wrong base URL; following it could carry credentials elsewhere.
						disableFollowRedirect: true,
						timeout: timeoutMs,
						abortSignal: signal,
					})) as { statusCode: number; headers: Record<string, unknown>; body: unknown };
					const body = await readBody(response.body, maxBytes, signal);
					return { statusCode: response.statusCode, headers: response.headers ?? {}, body };
				});
			} catch (error) {
				settle();
				if (error instanceof AnswerTooLarge) {
					return {
						kind: 'fail',
						error:
							spec.tooLarge?.(maxBytes) ??
							this.apiError(`${this.vendor} sent an answer larger than ${Math.round(maxBytes / 1048576)} MB to ${spec.label}`, 'The answer was not read.', {
								itemIndex: spec.itemIndex,
							}),
					};
				}
				const status = httpStatusOf(error);
				if (status !== undefined) {
					// Only a 401 the credential could not recover from gets here.
					const response = responseOf(error);
					let body: Buffer = Buffer.alloc(0);
					try {
						body = await readBody(response?.data, maxBytes, AbortSignal.timeout(timeoutMs));
					} catch {
						// The status says enough.
					}
					await this.learnRuntimeSecrets();
					return await spec.judge({ statusCode: status, headers: response?.headers ?? {}, body });
				}
				const code =
					error instanceof DeadlinePassed || deadline.signal?.aborted
						? DEADLINE
						: error instanceof AnswerCutOff
							? CUT_OFF
							: networkErrorCode(error);
				const detail = error instanceof Error ? this.redact(error.message).slice(0, 200) : '';
				const failure = this.networkError(spec.label, code, detail, spec.itemIndex, timeoutMs);
				if (code) {
					this.stats.networkErrors += 1;
					return { kind: 'retry', reason: code, error: failure };
				}
				return { kind: 'fail', error: failure };
			}
			settle();
			if (raw.statusCode < 200 || raw.statusCode >= 300) await this.learnRuntimeSecrets();
			const outcome = await spec.judge(raw);
			if (outcome.kind === 'retry') {
				if (raw.statusCode === 429) this.stats.rateLimited += 1;
				else if (raw.statusCode >= 500) this.stats.serverErrors += 1;
			}
			return outcome;
		};
		const stats: RetryStats = { retries: 0, waitedMs: 0, reasons: [] };
		try {
			return await withRetries(attempt, this.retry, stats);
		} catch (error) {
			if (error instanceof NodeApiError && stats.retries > 0) {
				error.description = `${error.description ?? ''} Gave up after ${stats.retries} ${
					stats.retries === 1 ? 'retry' : 'retries'
				} (${[...new Set(stats.reasons.map((reason) => this.reasonWords(reason)))].join(', ')}).`.trim();
			}
			throw this.sealed(asNodeError(this.node, error, spec.itemIndex));
		} finally {
			this.stats.retries += stats.retries;
		}
	}

	private reasonWords(reason: string): string {
		if (reason === CUT_OFF) return 'answer cut off';
		if (reason === DEADLINE) return 'deadline passed';
		return reason;
	}

	/** The last word on any error leaving the transport: redacted, whatever built it. */
	sealed<E extends NodeApiError | NodeOperationError>(error: E): E {
		error.message = this.redact(error.message);
		if (typeof error.description === 'string') error.description = this.redact(error.description);
		return error;
	}
}
