import type {
	ICredentialDataDecryptedObject,
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

import { asNodeError } from './errors';
import {
	DEFAULT_RETRY_POLICY,
	NETWORK_WORDS,
	networkErrorCode,
	parseRetryAfter,
	withRetries,
	type AttemptOutcome,
	type RetryPolicy,
} from './retry';
import { TokenBucket, type RateLimit } from './throttle';

export type RequestContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions | IWebhookFunctions;

export interface JsonRequest {
	method: IHttpRequestMethods;
	/** Path below the credential's base URL, or an absolute URL (e.g. a `next` page link). */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

export interface JsonResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, unknown>;
}

export interface ClientOptions {
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

/** What differs between vendors: where to send, what is secret, and how to explain a failure. */
export interface VendorProfile {
	vendor: string;
	credentialType: string;
	defaultRateLimit: RateLimit;
	baseUrl(credentials: ICredentialDataDecryptedObject): string;
	secrets(credentials: ICredentialDataDecryptedObject): string[];
	/** The vendor's own words from an error body of unknown shape. */
	errorText(body: unknown, statusCode: number): string;
	explain(status: number, said: string, where: string, client: RateLimitedJsonClient): { message: string; description: string };
	/** Let n8n refresh an expirable token credential on 401 and repeat the request once. */
	refreshOn401?: boolean;
}

/**
 * One client per node execution: one rate limiter for every request it makes, retries with
 * back-off for 429 (honouring Retry-After), 5xx, timeouts and dropped connections, and errors a
 * non-developer can act on. Secrets never enter a message.
 */
export class RateLimitedJsonClient {
	readonly limiter: TokenBucket;
	readonly retry: RetryPolicy;
	readonly timeoutMs: number;
	readonly stats: TransportStats = { requests: 0, retries: 0, rateLimited: 0, serverErrors: 0, networkErrors: 0 };
	private baseUrl?: string;
	private secretValues: string[] = [];

	constructor(
		protected readonly ctx: RequestContext,
		readonly profile: VendorProfile,
		options: ClientOptions = {},
	) {
		this.limiter = new TokenBucket(options.rateLimit ?? profile.defaultRateLimit);
		this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
		this.timeoutMs = options.timeoutMs ?? 30_000;
	}

	protected async resolveBaseUrl(): Promise<string> {
		if (this.baseUrl === undefined) {
			const credentials = await this.ctx.getCredentials(this.profile.credentialType);
			this.baseUrl = this.profile.baseUrl(credentials).trim().replace(/\/+$/, '');
			this.secretValues = this.profile.secrets(credentials).filter((secret) => secret && secret.length >= 4);
		}
		return this.baseUrl;
	}

	/** Removes anything secret a server or proxy might have echoed back. */
	redact(text: string): string {
		let result = text;
		for (const secret of this.secretValues) result = result.split(secret).join('***');
		return result;
	}

	/** Sends one request through the limiter, retrying what is worth retrying; any 2xx resolves. */
	async send(request: JsonRequest, itemIndex?: number): Promise<JsonResponse> {
		const baseURL = await this.resolveBaseUrl();
		const absolute = /^https?:\/\//i.test(request.path);
		const attempt = async (): Promise<AttemptOutcome<JsonResponse>> => {
			const ticket = await this.limiter.acquire();
			this.stats.requests += 1;
			const options: IHttpRequestOptions = {
				method: request.method,
				...(absolute ? {} : { baseURL }),
				url: request.path,
				qs: request.qs,
				body: request.body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: this.profile.refreshOn401 ? { ignore: true, except: [401] } : true,
				timeout: this.timeoutMs,
			};
			let response: JsonResponse;
			try {
				response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
					this.ctx,
					this.profile.credentialType,
					options,
				)) as JsonResponse;
			} catch (error) {
				this.limiter.settle(ticket);
				const status = httpStatusOf(error);
				if (status !== undefined) {
					// Only a 401 the credential could not recover from gets here.
					const body = (error as { cause?: { response?: { data?: unknown } } }).cause?.response?.data;
					return { kind: 'fail', error: this.httpError(request, { statusCode: status, body, headers: {} }, itemIndex) };
				}
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
			const retryAfterMs = parseRetryAfter(response.headers?.['retry-after']);
			if (status === 429) {
				this.stats.rateLimited += 1;
				if (retryAfterMs !== undefined) this.limiter.pause(retryAfterMs);
				return { kind: 'retry', reason: 'HTTP 429', retryAfterMs, error };
			}
			if (status >= 500 && status !== 501) {
				this.stats.serverErrors += 1;
				return { kind: 'retry', reason: `HTTP ${status}`, retryAfterMs, error };
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
	async request<T = unknown>(request: JsonRequest, itemIndex?: number): Promise<T> {
		const response = await this.send(request, itemIndex);
		return response.body as T;
	}

	private httpError(request: JsonRequest, response: JsonResponse, itemIndex?: number): NodeApiError {
		const status = response.statusCode;
		const said = this.redact(this.profile.errorText(response.body, status));
		const where = `${request.method} ${this.redact(request.path.replace(/\?.*$/, ''))}`;
		const { message, description } = this.profile.explain(status, said, where, this);
		return new NodeApiError(this.ctx.getNode(), { message, httpCode: String(status) } as JsonObject, {
			message,
			description,
			httpCode: String(status),
			itemIndex,
		});
	}

	private networkError(request: JsonRequest, code: string | undefined, error: unknown, itemIndex?: number): NodeApiError {
		const what = code ? (NETWORK_WORDS[code] ?? 'the connection failed') : 'the request could not be sent';
		const message = `Could not reach ${this.profile.vendor}: ${what}`;
		const detail = error instanceof Error ? this.redact(error.message) : '';
		const description = `${request.method} ${this.redact(request.path.replace(/\?.*$/, ''))} to ${this.baseUrl ?? ''} failed${
			code ? ` (${code})` : ''
		}${detail && !code ? `: ${detail}` : ''}. Check the base URL in the credential and the network.`;
		return new NodeApiError(this.ctx.getNode(), { message } as JsonObject, { message, description, itemIndex });
	}
}

function httpStatusOf(error: unknown): number | undefined {
	const candidate = error as { httpCode?: unknown; response?: { status?: unknown }; cause?: { response?: { status?: unknown } } };
	const status = Number(candidate?.cause?.response?.status ?? candidate?.response?.status ?? candidate?.httpCode);
	return Number.isInteger(status) && status >= 400 ? status : undefined;
}

/** Reads a JSON error body of unknown shape: `error.message`, `error`, `message`, `details[].message`, or raw text. */
export function genericErrorText(body: unknown, statusCode: number): string {
	let text: string | undefined;
	if (body && typeof body === 'object' && !Buffer.isBuffer(body)) {
		const data = body as { error?: unknown; message?: unknown; details?: unknown };
		if (data.error && typeof data.error === 'object' && typeof (data.error as { message?: unknown }).message === 'string') {
			text = (data.error as { message: string }).message;
		} else if (typeof data.error === 'string') {
			text = data.error;
		} else if (typeof data.message === 'string') {
			text = data.message;
		} else if (Array.isArray(data.details) && data.details.length > 0) {
			text = data.details
				.map((detail) => (detail && typeof detail === 'object' ? String((detail as { message?: unknown }).message ?? '') : ''))
				.filter(Boolean)
				.join('; ');
		}
		if (!text) {
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
