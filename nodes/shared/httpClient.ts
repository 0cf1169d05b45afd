import type { IDataObject, IHttpRequestMethods, NodeApiError } from 'n8n-workflow';

import { plainWords, type Redactor } from './redact';
import { parseRetryAfter, type AttemptOutcome, type RetryPolicy } from './retry';
import { credentialKey } from './coordination';
import { SharedLimiter, type RateLimit } from './throttle';
import { VendorTransport, type RawResponse, type RequestContext } from './transport';

export type { RequestContext } from './transport';

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
	/** Longest time one request may take, answer included (ms). */
	timeoutMs?: number;
}

/** What differs between vendors: where to send, what is secret, and how to explain a failure. */
export interface VendorProfile {
	vendor: string;
	credentialType: string;
	defaultRateLimit: RateLimit;
	baseUrl(credentials: IDataObject): string;
	/** Registers every secret of the credential: values, Basic pairs, URLs with user info. */
	secrets(credentials: IDataObject, redactor: Redactor): void;
	/** The vendor's own words from an error body of unknown shape. */
	errorText(body: unknown, statusCode: number): string;
	explain(status: number, said: string, where: string, client: RateLimitedJsonClient): { message: string; description: string };
	/** Let n8n refresh an expirable token credential on 401 and repeat the request once. */
	refreshOn401?: boolean;
}

/** Error texts longer than this are cut, after redaction. */
const MAX_SAID = 300;

/**
 * One client per node execution for a JSON REST vendor: every request it makes is paced on the
 * rate budget all executions with the same credential share (`SharedLimiter`), retries with back-off for 429 (honouring Retry-After), 5xx, timeouts and dropped
 * connections, and errors a non-developer can act on. Secrets never enter a message.
 */
export class RateLimitedJsonClient extends VendorTransport {
	readonly limiter: SharedLimiter;
	private baseUrl?: string;

	constructor(
		ctx: RequestContext,
		readonly profile: VendorProfile,
		options: ClientOptions = {},
	) {
		super(ctx, profile.vendor, profile.credentialType, { retry: options.retry, timeoutMs: options.timeoutMs ?? 30_000 }, profile.refreshOn401);
		this.limiter = new SharedLimiter(
			options.rateLimit ?? profile.defaultRateLimit,
			async () => credentialKey(`rate:${profile.credentialType}`, { ...(await this.credentials()), baseUrl: await this.resolveBaseUrl() }),
			() => this.sharedState(),
		);
	}

	protected learnSecrets(credentials: IDataObject, redactor: Redactor): void {
		this.profile.secrets(credentials, redactor);
		redactor.addUrl(String(credentials.baseUrl ?? ''));
	}

	protected async resolveBaseUrl(): Promise<string> {
		if (this.baseUrl === undefined) {
			const credentials = await this.credentials();
			this.baseUrl = this.profile.baseUrl(credentials).trim().replace(/\/+$/, '');
		}
		return this.baseUrl;
	}

	/** Sends one request through the limiter, retrying what is worth retrying; any 2xx resolves. */
	async send(request: JsonRequest, itemIndex?: number): Promise<JsonResponse> {
		const baseURL = await this.resolveBaseUrl();
		const absolute = /^https?:\/\//i.test(request.path);
		const label = `${request.method} ${this.redactor.redactUrl(request.path.replace(/\?.*$/, ''))}`;
		return await this.exchange<JsonResponse>({
			label,
			itemIndex,
			limiter: this.limiter,
			request: {
				method: request.method,
				...(absolute ? {} : { baseURL }),
				url: request.path,
				qs: request.qs,
				body: request.body,
				json: true,
			},
			judge: (response) => this.judge(request, label, response, itemIndex),
		});
	}

	/** Like `send`, but returns the parsed body. */
	async request<T = unknown>(request: JsonRequest, itemIndex?: number): Promise<T> {
		const response = await this.send(request, itemIndex);
		return response.body as T;
	}

	private judge(request: JsonRequest, label: string, response: RawResponse, itemIndex?: number): AttemptOutcome<JsonResponse> {
		const status = response.statusCode;
		const body = parseJsonBody(response.body);
		if (status >= 200 && status < 300) {
			if (body.ok) return { kind: 'done', value: { statusCode: status, headers: response.headers, body: body.value } };
			return {
				kind: 'fail',
				error: this.apiError(
					`${this.vendor} sent an answer to ${label} that is not valid JSON`,
					'The answer may have been cut off by a proxy. Run again; if it persists, check the Base URL in the credential.',
					{ itemIndex, httpCode: String(status) },
				),
			};
		}
		const error = this.httpError(request, label, status, body.ok ? body.value : response.body.toString('utf8'), response.headers, itemIndex);
		const retryAfterMs = parseRetryAfter(response.headers?.['retry-after']);
		if (status === 429) {
			if (retryAfterMs !== undefined) this.limiter.pause(retryAfterMs);
			return { kind: 'retry', reason: 'HTTP 429', retryAfterMs, error };
		}
		if (status >= 500 && status !== 501) return { kind: 'retry', reason: `HTTP ${status}`, retryAfterMs, error };
		return { kind: 'fail', error };
	}

	private httpError(
		request: JsonRequest,
		label: string,
		status: number,
		body: unknown,
		headers: Record<string, unknown>,
		itemIndex?: number,
	): NodeApiError {
		if (status >= 300 && status < 400) {
			const location = typeof headers.location === 'string' ? this.redactor.redactUrl(headers.location).slice(0, 200) : '';
			return this.apiError(
				`${this.vendor} answered ${status} (moved${location ? ` to ${location}` : ''})`,
				`${label} was redirected, which the node does not follow. Check the Base URL in the credential (https, no extra path).`,
				{ httpCode: String(status), itemIndex },
			);
		}
		// Redacted on the whole text first, then cut: nothing secret survives the cut.
		const said = plainWords(this.redactor, this.profile.errorText(body, status), MAX_SAID);
		const { message, description } = this.profile.explain(status, said, label, this);
		void request;
		return this.apiError(message, description, { httpCode: String(status), itemIndex });
	}
}

function parseJsonBody(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
	const text = bytes.toString('utf8');
	if (text.trim() === '') return { ok: true, value: undefined };
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false };
	}
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
	// Not cut here: the caller redacts the whole text before shortening it.
	return text ?? `HTTP ${statusCode} with no explanation`;
}
