import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export const ASSEMBLED_DEFAULT_BASE_URL = 'https://api.assembledhq.com';
export const ASSEMBLED_DEFAULT_API_VERSION = '2019-06-20';

export class AssembledApi implements ICredentialType {
	name = 'assembledApi';

	displayName = 'Assembled API';

	icon: Icon = {
		light: 'file:../nodes/Assembled/assembled.svg',
		dark: 'file:../nodes/Assembled/assembled.dark.svg',
	};

	documentationUrl = 'https://docs.assembled.com/#authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'sk_live_…',
			description: 'Created in Assembled under Settings → API. Keys start with sk_live_.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: ASSEMBLED_DEFAULT_BASE_URL,
			description: 'Change only for a proxy or a test server',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: ASSEMBLED_DEFAULT_API_VERSION,
			description:
				'Sent as the API-Version header. Assembled keeps an integration on the dated version it was built against.',
		},
	];

	// HTTP Basic with the key as username and an empty password, and a dated API-Version
	// (docs/assembled.md, "Authentication").
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username: '={{$credentials.apiKey}}',
				password: '',
			},
			headers: {
				'API-Version': '={{$credentials.apiVersion || "2019-06-20"}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{($credentials.baseUrl || "https://api.assembledhq.com").replace(/\\/+$/, "")}}',
			url: '/v0/people',
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'The API key was rejected by Assembled (401). Copy a current key from Settings → API in Assembled.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Assembled refused this API key (403): it may be a test key or lack access to people data.',
				},
			},
		],
	};
}
