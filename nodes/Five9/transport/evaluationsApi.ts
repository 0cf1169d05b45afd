import type { IDataObject } from 'n8n-workflow';

import {
	RateLimitedJsonClient,
	genericErrorText,
	type ClientOptions,
	type RequestContext,
	type VendorProfile,
} from '../../shared/httpClient';

export const FIVE9_EVALUATIONS_CREDENTIAL = 'five9EvaluationsApi';

/** New-platform REST: 5 requests/s per user (docs/five9.md, "Evaluations"). */
const PROFILE: VendorProfile = {
	vendor: 'the Five9 evaluations API',
	credentialType: FIVE9_EVALUATIONS_CREDENTIAL,
	defaultRateLimit: { perMinute: 300, burst: 5 },
	baseUrl: (credentials) => String(credentials.baseUrl || 'https://api.prod.us.five9.net'),
	// The token request sends key and secret as HTTP Basic; later requests the bearer token.
	secrets: (credentials, redactor) => {
		redactor.addSecret(String(credentials.consumerSecret ?? ''));
		redactor.addSecret(String(credentials.consumerKey ?? ''));
		redactor.addSecret(String(credentials.accessToken ?? ''));
		redactor.addBasicPair(String(credentials.consumerKey ?? ''), String(credentials.consumerSecret ?? ''));
	},
	// `{traceId, details:[{code, message}]}` (docs/five9.md, "Evaluations").
	errorText: genericErrorText,
	refreshOn401: true,
	explain(status, said) {
		if (status === 401) {
			return {
				message: 'The Five9 evaluations API refused the consumer key or secret (401)',
				description: 'Check the consumer key and secret from Admin Console → API Access Control in the credential.',
			};
		}
		if (status === 403) {
			return {
				message: `The Five9 evaluations API refused access (403): ${said}`,
				description: 'Check the Domain ID in the credential and the key’s permissions.',
			};
		}
		if (status === 429) {
			return { message: 'The Five9 evaluations API kept answering "too many requests" (429)', description: 'Try again later.' };
		}
		if (status >= 500) {
			return { message: `The Five9 evaluations API had a server error (${status})`, description: `It said: ${said}` };
		}
		return { message: `The Five9 evaluations API answered ${status}: ${said}`, description: 'Check the node settings.' };
	},
};

const MAX_PAGES = 10_000;

interface EvaluationsPage {
	items?: IDataObject[];
	paging?: { next?: string };
}

/**
 * Reads the provisional `/quality/v1/domains/{id}/evaluations` endpoint (docs/five9.md,
 * "Evaluations"), following cursors.
 */
export class EvaluationsApiClient extends RateLimitedJsonClient {
	private domainId?: string;

	constructor(ctx: RequestContext, options: ClientOptions = {}) {
		super(ctx, PROFILE, options);
	}

	/** Evaluations with evaluatedOn in [fromMs, toMs). */
	async list(fromMs: number, toMs: number, pageLimit = 100, itemIndex?: number): Promise<IDataObject[]> {
		if (this.domainId === undefined) {
			const credentials = await this.credentials();
			this.domainId = String(credentials.domainId ?? '').trim();
		}
		const items: IDataObject[] = [];
		let path: string | undefined = `/quality/v1/domains/${encodeURIComponent(this.domainId)}/evaluations`;
		let qs: IDataObject | undefined = {
			filter: `evaluatedOn>=${new Date(fromMs).toISOString()};evaluatedOn<${new Date(toMs).toISOString()}`,
			pageLimit,
		};
		for (let page = 0; path && page < MAX_PAGES; page++) {
			const body: EvaluationsPage = await this.request<EvaluationsPage>(
				{ method: 'GET', path, qs },
				itemIndex,
			);
			items.push(...(Array.isArray(body?.items) ? body.items : []));
			// `next` is a path with its own query (cursor included).
			path = typeof body?.paging?.next === 'string' && body.paging.next ? body.paging.next : undefined;
			qs = undefined;
		}
		return items;
	}
}
