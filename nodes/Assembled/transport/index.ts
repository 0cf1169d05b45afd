import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ASSEMBLED_DEFAULT_BASE_URL } from '../../../credentials/AssembledApi.credentials';
import { asNodeError } from '../../shared/errors';
import { TokenBucket, type RateLimit } from '../../shared/throttle';
import {
	DEFAULT_RETRY_POLICY,
	networkErrorCode,
	parseRetryAfter,
	withRetries,
	type AttemptOutcome,
	type RetryPolicy,
} from '../../shared/retry';

export const ASSEMBLED_CREDENTIAL = 'assembledApi';

/** Documented default: 300 requests per minute with bursts of up to 20 (assembled.md §1.3). */
export const ASSEMBLED_RATE_LIMIT: RateLimit = { perMinute: 300, burst: 20 };

type AssembledContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions | IWebhookFunctions;

export interface AssembledRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

export interface AssembledResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, unknown>;
}

export interface AssembledClientOptions {
	rateLimit?: RateLimit;
	retry?: RetryPolicy;
	timeoutMs?: number;
}

export interface TransportStats {
	requests: number;
	retries: number;
	rateLimited: number;
	serverErrors: number;
	networkErrors: number;
}

/** Reads the vendor's own words out of an error body of unknown shape (assembled.md §1.6). */
export function vendorErrorText(body: unknown, statusCode: number): string {
	let text: string | undefined;
	if (body && typeof body === 'object') {
		const data = body as { error?: unknown; message?: unknown; errors?: unknown };
		if (data.error && typeof data.error === 'object' && typeof (data.error as { message?: unknown }).message === 'string') {
			text = (data.error as { message: string }).message;
		} else if (typeof data.error === 'string') {
			text = data.error;
		} else if (typeof data.message === 'string') {
			text = data.message;
		} else {
			text = JSON.stringify(body);
			if (text === '{}') text = undefined;
		}
	} else if (typeof body === 'string' && body.trim() !== '') {
		text = body.trim();
	} else if (Buffer.isBuffer(body) && body.length > 0) {
		text = body.toString('utf8').trim();
	}
	if (!text) return `HTTP ${statusCode} with no explanation`;
	return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

const NETWORK_WORDS: Record<string, string> = {
	ECONNRESET: 'the connection was reset',
	ECONNABORTED: 'the request timed out',
	ETIMEDOUT: 'the request timed out',
	ESOCKETTIMEDOUT: 'the request timed out',
	ERR_SOCKET_CONNECTION_TIMEOUT: 'the request timed out',
	EPIPE: 'the connection broke',
	ECONNREFUSED: 'the connection was refused',
	EAI_AGAIN: 'the host name could not be resolved',
	ENETUNREACH: 'the network is unreachable',
	EHOSTUNREACH: 'the host is unreachable',
};

/**
 * One client per node execution: one rate limiter for every request it makes, retries with
 * back-off, and errors a non-developer can act on. Secrets never enter a message.
 */
export class AssembledClient {
	readonly limiter: TokenBucket;
	readonly retry: RetryPolicy;
	readonly timeoutMs: number;
	readonly stats: TransportStats = {
		requests: 0,
		retries: 0,
		rateLimited: 0,
		serverErrors: 0,
		networkErrors: 0,
	};
	private baseUrl?: string;
	private secrets: string[] = [];

	constructor(
		private readonly ctx: AssembledContext,
		options: AssembledClientOptions = {},
	) {
		this.limiter = new TokenBucket(options.rateLimit ?? ASSEMBLED_RATE_LIMIT);
		this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
		this.timeoutMs = options.timeoutMs ?? 30_000;
	}

	private async resolveBaseUrl(): Promise<string> {
		if (this.baseUrl === undefined) {
			const credentials = await this.ctx.getCredentials(ASSEMBLED_CREDENTIAL);
			const raw = String(credentials.baseUrl || ASSEMBLED_DEFAULT_BASE_URL).trim();
			this.baseUrl = raw.replace(/\/+$/, '');
			this.secrets = [String(credentials.apiKey ?? '')].filter((secret) => secret.length >= 4);
		}
		return this.baseUrl;
	}

	/** Removes anything secret a server or proxy might have echoed back. */
	redact(text: string): string {
		let result = text;
		for (const secret of this.secrets) result = result.split(secret).join('***');
		return result;
	}

	/** Sends one request through the limiter, retrying what is worth retrying; any 2xx resolves. */
	async send(request: AssembledRequest, itemIndex?: number): Promise<AssembledResponse> {
		const baseURL = await this.resolveBaseUrl();
		const attempt = async (): Promise<AttemptOutcome<AssembledResponse>> => {
			const ticket = await this.limiter.acquire();
			this.stats.requests += 1;
			const options: IHttpRequestOptions = {
				method: request.method,
				baseURL,
				url: request.path,
				qs: request.qs,
				body: request.body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: this.timeoutMs,
			};
			let response: AssembledResponse;
			try {
				response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
					this.ctx,
					ASSEMBLED_CREDENTIAL,
					options,
				)) as AssembledResponse;
			} catch (error) {
				this.limiter.settle(ticket);
				const code = networkErrorCode(error);
				const apiError = this.networkError(request, code, error, itemIndex);
				if (code) {
					this.stats.networkErrors += 1;
					return { kind: 'retry', reason: code, error: apiError };
				}
				return { kind: 'fail', error: apiError };
			}
			this.limiter.settle(ticket);
			const status = response.statusCode;
			if (status >= 200 && status < 300) return { kind: 'done', value: response };
			const error = this.httpError(request, response, itemIndex);
			if (status === 429) {
				this.stats.rateLimited += 1;
				const retryAfterMs = parseRetryAfter(response.headers?.['retry-after']);
				if (retryAfterMs !== undefined) this.limiter.pause(retryAfterMs);
				return { kind: 'retry', reason: 'HTTP 429', retryAfterMs, error };
			}
			if (status >= 500 && status !== 501) {
				this.stats.serverErrors += 1;
				return {
					kind: 'retry',
					reason: `HTTP ${status}`,
					retryAfterMs: parseRetryAfter(response.headers?.['retry-after']),
					error,
				};
			}
			return { kind: 'fail', error };
		};
		const stats = { retries: 0, waitedMs: 0, reasons: [] as string[] };
		try {
			return await withRetries(attempt, this.retry, stats);
		} catch (error) {
			if (error instanceof NodeApiError && stats.retries > 0) {
				error.description = `${error.description ?? ''} Gave up after ${stats.retries} ${
					stats.retries === 1 ? 'retry' : 'retries'
				} (${[...new Set(stats.reasons)].join(', ')}).`.trim();
			}
			throw asNodeError(this.ctx.getNode(), error);
		} finally {
			this.stats.retries += stats.retries;
		}
	}

	/** Like `send`, but returns the parsed body. */
	async request<T = unknown>(request: AssembledRequest, itemIndex?: number): Promise<T> {
		const response = await this.send(request, itemIndex);
		return response.body as T;
	}

	private httpError(request: AssembledRequest, response: AssembledResponse, itemIndex?: number): NodeApiError {
		const status = response.statusCode;
		const said = this.redact(vendorErrorText(response.body, status));
		const where = `${request.method} ${request.path}`;
		let message: string;
		let description: string;
		switch (true) {
			case status === 400 || status === 422:
				message = `Assembled rejected the request (${status}): ${said}`;
				description = `Assembled found the data sent by ${where} invalid. Fix the field it names and run again.`;
				break;
			case status === 401:
				message = 'The API key was rejected by Assembled (401)';
				description =
					'Copy a current key from Settings → API in Assembled into the Assembled API credential. Keys start with sk_live_.';
				break;
			case status === 402 || status === 403:
				message = `Assembled refused access (${status}): ${said}`;
				description =
					'The key is valid but not allowed to do this. QA score ingestion needs the Pro or Enterprise plan, and test keys (sk_test_) cannot write.';
				break;
			case status === 404:
				message = `Not found in Assembled (404): ${said}`;
				description = `Nothing answers ${where}. Check the ID, or the Base URL in the credential.`;
				break;
			case status === 429:
				message = 'Assembled kept answering "too many requests" (429)';
				description = `The node paces itself at ${this.limiter.limit.perMinute} requests per minute; lower "Requests per Minute" or ask Assembled support for a higher limit.`;
				break;
			case status >= 500:
				message = `Assembled had a server error (${status})`;
				description = `Assembled said: ${said}. This is usually temporary; run the workflow again later.`;
				break;
			default:
				message = `Assembled answered ${status}: ${said}`;
				description = `Unexpected answer to ${where}.`;
		}
		return new NodeApiError(
			this.ctx.getNode(),
			{ message, httpCode: String(status) } as JsonObject,
			{ message, description, httpCode: String(status), itemIndex },
		);
	}

	private networkError(
		request: AssembledRequest,
		code: string | undefined,
		error: unknown,
		itemIndex?: number,
	): NodeApiError {
		const what = code ? NETWORK_WORDS[code] ?? 'the connection failed' : 'the request could not be sent';
		const message = `Could not reach Assembled: ${what}`;
		const detail = error instanceof Error ? this.redact(error.message) : '';
		const description = `${request.method} ${request.path} to ${this.baseUrl ?? ''} failed${
			code ? ` (${code})` : ''
		}${detail && !code ? `: ${detail}` : ''}. Check the Base URL in the credential and the network.`;
		return new NodeApiError(this.ctx.getNode(), { message } as JsonObject, {
			message,
			description,
			itemIndex,
		});
	}
}
