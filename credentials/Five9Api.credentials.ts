import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** Five9's data centers: web-services host and the zone its reports are usually in (five9.md §1.1). */
export const FIVE9_DATA_CENTERS = {
	us: { name: 'US', baseUrl: 'https://api.five9.com', timeZone: 'America/Los_Angeles' },
	ca: { name: 'Canada', baseUrl: 'https://api.five9.ca', timeZone: 'America/Vancouver' },
	uk: { name: 'UK', baseUrl: 'https://api.five9.eu', timeZone: 'Europe/London' },
	eu: { name: 'Frankfurt (EU)', baseUrl: 'https://api.eu.five9.com', timeZone: 'Europe/Berlin' },
	in: { name: 'India', baseUrl: 'https://api.in.five9.com', timeZone: 'Asia/Kolkata' },
} as const;

export const FIVE9_ADMIN_PATH = '/wsadmin/v13/AdminWebService';
export const FIVE9_SUPERVISOR_PATH = '/wssupervisor/v13/SupervisorWebService';

/** Said for a 401 from any Five9 host: a valid user on another data center's host gets it too. */
export const FIVE9_REJECTED_LOGIN =
	'Five9 rejected the username/password — or the user belongs to another data center';

const TEST_ENVELOPE =
	'<?xml version="1.0" encoding="UTF-8"?>' +
	'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ser="http://service.admin.ws.five9.com/">' +
	'<soapenv:Header/><soapenv:Body><ser:getVCCConfiguration/></soapenv:Body></soapenv:Envelope>';

const baseUrlExpression =
	'={{ $credentials.dataCenter === "custom" ? String($credentials.baseUrl || "").replace(/\\/+$/, "") : ' +
	'({ us: "https://api.five9.com", ca: "https://api.five9.ca", uk: "https://api.five9.eu", eu: "https://api.eu.five9.com", in: "https://api.in.five9.com" })[$credentials.dataCenter || "us"] }}';

export class Five9Api implements ICredentialType {
	name = 'five9Api';

	displayName = 'Five9 API';

	icon: Icon = {
		light: 'file:../nodes/Five9/five9.svg',
		dark: 'file:../nodes/Five9/five9.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-five9-assembled/n8n-nodes-five9-assembled#five9-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'integration@example.com',
			description:
				'A dedicated Five9 integration user (not a person’s login) with the Administrator role, reporting rights and Supervisor: Execute Web API',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Data Center',
			name: 'dataCenter',
			type: 'options',
			options: [
				{ name: 'US (api.five9.com)', value: 'us' },
				{ name: 'Canada (api.five9.ca)', value: 'ca' },
				{ name: 'UK (api.five9.eu)', value: 'uk' },
				{ name: 'Frankfurt / EU (api.eu.five9.com)', value: 'eu' },
				{ name: 'India (api.in.five9.com)', value: 'in' },
				{ name: 'Custom Base URL', value: 'custom' },
			],
			default: 'us',
			description:
				'Where your Five9 domain lives. The login page you use tells: login.five9.com is US, login.eu.five9.com Frankfurt, login.five9.eu UK, login.five9.ca Canada.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://five9-proxy.example.com',
			displayOptions: { show: { dataCenter: ['custom'] } },
			description: 'For a proxy or a test server: the part before /wsadmin/…',
		},
		{
			displayName: 'Report Time Zone',
			name: 'reportTimeZone',
			type: 'string',
			default: '',
			placeholder: 'America/Los_Angeles',
			description:
				'IANA zone Five9 report times are in. Empty uses the data center’s usual zone: US America/Los_Angeles, Canada America/Vancouver, UK Europe/London, Frankfurt Europe/Berlin, India Asia/Kolkata. Five9’s documents disagree on this, so compare one call’s time in Five9 with the node’s output once.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username: '={{$credentials.username}}',
				password: '={{$credentials.password}}',
			},
		},
	};

	// A read-only call every integration user may make (five9.md §1.9, last paragraph).
	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression,
			url: FIVE9_ADMIN_PATH,
			method: 'POST',
			headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
			body: TEST_ENVELOPE,
			json: false,
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: FIVE9_REJECTED_LOGIN },
			},
			{
				type: 'responseCode',
				properties: {
					value: 500,
					message:
						'Five9 accepted the login but refused the web-services call: the user probably lacks the Administrator role with all administrative services and APIs, or its security questions are not answered yet',
				},
			},
		],
	};
}
