/**
 * A local stand-in for the provisional Five9 evaluations API (docs/five9.md, "Evaluations"):
 * new-platform conventions — OAuth client credentials at /oauth2/v1/token, bearer tokens,
 * /quality/v1/domains/{domainId}/evaluations with a `filter` on evaluatedOn, cursor paging through
 * `paging.next`, `{traceId, details}` error bodies and 429 with Retry-After. With `leaky`, every
 * error message reflects the request, client secret or bearer token included.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { URL } from 'node:url';

import { evaluationsBetween, type EvaluationFeed, type MockEvaluation } from './evaluations';
import { MockServer } from './base';
import { basicAuth, echoRequest, readBody } from './http';

export interface QualityMockOptions {
	domainId?: string;
	consumerKey?: string;
	consumerSecret?: string;
	feed: EvaluationFeed;
	/** Evaluations that exist only up to this instant (ms); later ones are "not yet evaluated". */
	now?: () => number;
	maxPageLimit?: number;
	/** Every error message reflects the request, credentials included (see `leaky`). */
	leaky?: boolean;
}

/** Its failures are scripted with `failNext` (a count and a skip), not with `inject`. */
export class Five9QualityMock extends MockServer {
	readonly requests: { method: string; path: string; query: Record<string, string>; status: number }[] = [];
	readonly tokens = new Set<string>();
	tokenRequests = 0;
	/** Evaluations that arrive late: listed only from `visibleFrom` on, though evaluated earlier. */
	late: { evaluation: MockEvaluation; visibleFrom: number }[] = [];
	/** Answers the next N evaluation requests with this status. */
	failNext: { status: number; count: number; retryAfter?: number; skip?: number } | undefined;
	/** Append the echo of the request to every error message, so a test can prove the client never shows a secret. */
	leaky: boolean;

	constructor(readonly options: QualityMockOptions) {
		super();
		this.leaky = options.leaky ?? false;
	}

	get domainId() {
		return this.options.domainId ?? '130736';
	}
	expireTokens() {
		this.tokens.clear();
	}

	private now() {
		return (this.options.now ?? Date.now)();
	}

	protected async handle(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = (req.method ?? 'GET').toUpperCase();
		const record = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0 };
		this.requests.push(record);
		const body = await readBody(req);
		const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
			record.status = status;
			res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
			res.end(payload === undefined ? '' : JSON.stringify(payload));
		};
		const error = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
			send(status, { traceId: randomUUID(), details: [{ code, message: this.leaky ? `${message}\n${echoRequest(req, body)}` : message }] }, headers);

		if (method === 'POST' && url.pathname === '/oauth2/v1/token') {
			this.tokenRequests += 1;
			const auth = basicAuth(req);
			const form = new URLSearchParams(body.toString('utf8'));
			if (
				!auth ||
				auth.username !== (this.options.consumerKey ?? 'consumer-key') ||
				auth.password !== (this.options.consumerSecret ?? 'consumer-secret')
			) {
				return error(401, 'INVALID_CLIENT', 'Client authentication failed');
			}
			if (form.get('grant_type') !== 'client_credentials') return error(400, 'INVALID_GRANT', 'grant_type must be client_credentials');
			const token = randomUUID();
			this.tokens.add(token);
			return send(200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
		}

		const match = /^\/quality\/v1\/domains\/([^/]+)\/evaluations$/.exec(url.pathname);
		if (method === 'GET' && match) {
			const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
			if (!bearer || !this.tokens.has(bearer)) return error(401, 'UNAUTHORIZED', 'Access token is missing or expired');
			if (decodeURIComponent(match[1]) !== this.domainId) return error(403, 'FORBIDDEN', 'No access to this domain');
			if (this.failNext && this.failNext.skip) {
				this.failNext.skip -= 1;
			} else if (this.failNext && this.failNext.count > 0) {
				this.failNext.count -= 1;
				const headers: Record<string, string> = {};
				if (this.failNext.retryAfter !== undefined) headers['Retry-After'] = String(this.failNext.retryAfter);
				return error(this.failNext.status, this.failNext.status === 429 ? 'TOO_MANY_REQUESTS' : 'SERVER_ERROR', 'Try again later', headers);
			}
			const range = parseFilter(url.searchParams.get('filter') ?? '');
			if (!range) return error(400, 'INVALID_FILTER', 'filter must be evaluatedOn>=<ISO>;evaluatedOn<<ISO>');
			const limit = Math.min(Number(url.searchParams.get('pageLimit') ?? 100) || 100, this.options.maxPageLimit ?? 100);
			const cursor = Number(url.searchParams.get('pageCursor') ?? 0) || 0;
			const all = this.visible(range.from, range.to);
			const page = all.slice(cursor, cursor + limit);
			const next = cursor + limit < all.length ? new URL(req.url ?? '', 'http://x') : undefined;
			if (next) next.searchParams.set('pageCursor', String(cursor + limit));
			return send(200, {
				items: page.map((evaluation) => ({
					...evaluation,
					evaluatedOn: new Date(evaluation.evaluatedOn).toISOString(),
					interaction: { ...evaluation.interaction, startedOn: new Date(evaluation.interaction.startedOn).toISOString() },
				})),
				paging: { ...(next ? { next: `${next.pathname}${next.search}` } : {}), limit },
			});
		}
		return error(404, 'NOT_FOUND', `No route for ${method} ${url.pathname}`);
	}

	/** What the API lists for [from, to) right now. */
	visible(from: number, to: number): MockEvaluation[] {
		const now = this.now();
		const regular = evaluationsBetween(this.options.feed, from, Math.min(to, now));
		const late = this.late
			.filter((l) => l.visibleFrom <= now && l.evaluation.evaluatedOn >= from && l.evaluation.evaluatedOn < to)
			.map((l) => l.evaluation);
		return [...regular, ...late].sort((a, b) => a.evaluatedOn - b.evaluatedOn || a.id.localeCompare(b.id));
	}
}

function parseFilter(filter: string): { from: number; to: number } | undefined {
	const from = /evaluatedOn>=([^;]+)/.exec(filter)?.[1];
	const to = /evaluatedOn<([^=;][^;]*)/.exec(filter)?.[1];
	if (!from || !to) return undefined;
	const fromMs = Date.parse(decodeURIComponent(from));
	const toMs = Date.parse(decodeURIComponent(to));
	return Number.isNaN(fromMs) || Number.isNaN(toMs) ? undefined : { from: fromMs, to: toMs };
}
