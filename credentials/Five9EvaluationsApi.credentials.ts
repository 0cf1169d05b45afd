import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Five9 publishes no evaluations API (docs/five9.md, "Evaluations"). This credential follows
 * Five9's new-platform conventions (OAuth client credentials, bearer tokens) for a provisional
 * evaluations endpoint, so a domain that exposes one — or a proxy in front of an AQM export — can
 * be read directly.
 */
export class Five9EvaluationsApi implements ICredentialType {
	name = 'five9EvaluationsApi';

	displayName = 'Five9 Evaluations (Provisional) API';

	icon: Icon = { light: 'file:../nodes/Five9/five9.svg', dark: 'file:../nodes/Five9/five9.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-five9-assembled/n8n-nodes-five9-assembled#five9-evaluation-sources';

	properties: INodeProperties[] = [
		{
			displayName:
				'Provisional contract: Five9 documents no evaluations API. Use this only with an endpoint that implements the contract described in the package README.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.prod.us.five9.net',
			description: 'Five9 new-platform API host for your region, or your proxy',
		},
		{
			displayName: 'Domain ID',
			name: 'domainId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Consumer Key',
			name: 'consumerKey',
			type: 'string',
			default: '',
			required: true,
			description: 'From Admin Console → API Access Control',
		},
		{
			displayName: 'Consumer Secret',
			name: 'consumerSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	// Exchanges the consumer key and secret for a bearer token; n8n repeats this after a 401.
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const base = String(credentials.baseUrl || 'https://api.prod.us.five9.net').replace(/\/+$/, '');
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${base}/oauth2/v1/token`,
			auth: { username: String(credentials.consumerKey ?? ''), password: String(credentials.consumerSecret ?? '') },
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials',
			json: true,
		})) as { access_token?: string };
		return { accessToken: response.access_token ?? '' };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{($credentials.baseUrl || "https://api.prod.us.five9.net").replace(/\\/+$/, "")}}',
			url: '=/quality/v1/domains/{{$credentials.domainId}}/evaluations',
			qs: { pageLimit: 1, filter: 'evaluatedOn>=2000-01-01T00:00:00Z;evaluatedOn<2000-01-02T00:00:00Z' },
		},
	};
}
