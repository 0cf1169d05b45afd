import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

/**
 * Five9's data centers: web-services host and the zone its reports are usually in (docs/five9.md,
 * "Data centers"). The only copy: the field's options, the test request and the transport derive
 * from it.
 */
export const FIVE9_DATA_CENTERS = {
	us: { name: 'US', baseUrl: 'https://api.five9.com', timeZone: 'America/Los_Angeles' },
	ca: { name: 'Canada', baseUrl: 'https://api.five9.ca', timeZone: 'America/Vancouver' },
	uk: { name: 'UK', baseUrl: 'https://api.five9.eu', timeZone: 'Europe/London' },
	eu: { name: 'Frankfurt / EU', baseUrl: 'https://api.eu.five9.com', timeZone: 'Europe/Berlin' },
	in: { name: 'India', baseUrl: 'https://api.in.five9.com', timeZone: 'Asia/Kolkata' },
} as const;

export type Five9DataCenter = keyof typeof FIVE9_DATA_CENTERS;

export const FIVE9_ADMIN_PATH = '/wsadmin/v13/AdminWebService';
export const FIVE9_SUPERVISOR_PATH = '/wssupervisor/v13/SupervisorWebService';

/** Said for a 401 from any Five9 host: a valid user on another data center's host gets it too. */
export const FIVE9_REJECTED_LOGIN =
	'Five9 rejected the username/password — or the user belongs to another data center';

const TEST_ENVELOPE =
	'<?xml version="1.0" encoding="UTF-8"?>' +
	'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ser="http://service.admin.ws.five9.com/">' +
	'<soapenv:Header/><soapenv:Body><ser:getVCCConfiguration/></soapenv:Body></soapenv:Envelope>';

const dataCenters = Object.entries(FIVE9_DATA_CENTERS) as Array<
	[Five9DataCenter, (typeof FIVE9_DATA_CENTERS)[Five9DataCenter]]
>;

// n8n resolves the test request as an expression, so the hosts go in as an object literal.
const baseUrls = JSON.stringify(Object.fromEntries(dataCenters.map(([key, { baseUrl }]) => [key, baseUrl])));

const baseUrlExpression =
	'={{ $credentials.dataCenter === "custom" ? String($credentials.baseUrl || "").replace(/\\/+$/, "") : ' +
	`(${baseUrls})[$credentials.dataCenter || "us"] }}`;

const usualZones = dataCenters.map(([, { name, timeZone }]) => `${name} (${timeZone})`).join(', ');

/**
 * Every IANA zone this runtime knows, as options to pick from, after one option with the value ''
 * (named `emptyName`: what an empty value falls back to). Built when the description loads, as
 * n8n's own nodes list zones. The runtime's list may spell some zones the old way (Asia/Calcutta),
 * so the data centers' zones and UTC are added; a saved zone missing from the list still runs,
 * n8n only marks it in the editor.
 */
export function timeZoneOptions(emptyName: string): INodePropertyOptions[] {
	const zones = new Set<string>([...Intl.supportedValuesOf('timeZone'), ...dataCenters.map(([, { timeZone }]) => timeZone), 'UTC']);
	return [{ name: emptyName, value: '' }, ...[...zones].sort().map((zone) => ({ name: zone, value: zone }))];
}

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
				...dataCenters.map(([value, { name, baseUrl }]) => ({ name: `${name} (${baseUrl.replace(/^https:\/\//, '')})`, value })),
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
			type: 'options',
			options: timeZoneOptions('Data Center’s Usual Zone'),
			default: '',
			description: `Zone Five9 report times are in; a date or time picked for a report’s Start and End is read in it too. The data centers’ usual zones: ${usualZones}. Five9’s documents disagree on this, so compare one call’s time in Five9 with the node’s output once.`,
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

	// A read-only call every integration user may make (docs/five9.md, "Credential test").
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
