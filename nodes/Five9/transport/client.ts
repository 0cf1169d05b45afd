/**
 * The one way this package talks to Five9 web services: SOAP 1.1 over HTTPS with Basic auth, sent
 * through the shared transport (deadline, size cap, retries, redaction), one request per user at
 * a time. Faults become errors by their detail element name.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { FIVE9_REJECTED_LOGIN } from '../../../credentials/Five9Api.credentials';
import { transportSettingsFrom, type TransportDefaults } from '../../shared/options';
import { credentialKey } from '../../shared/coordination';
import { plainWords, type Redactor } from '../../shared/redact';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, type AttemptOutcome, type RetryPolicy } from '../../shared/retry';
import { isValidTimeZone } from '../../shared/time';
import { DEFAULT_MAX_ANSWER_BYTES, VendorTransport, type RawResponse } from '../../shared/transport';
import { five9BaseUrl, five9ReportTimeZone } from './dataCenters';
import { FAULT_WORDS } from './faults';
import { serialized } from './queue';
import {
	SERVICES,
	readBulkTextResponse,
	readSoapResponse,
	soapEnvelope,
	type Five9Service,
	type SoapFault,
	type SoapResponse,
	type XmlElement,
	type XmlValue,
} from './xml';

export const FIVE9_CREDENTIAL = 'five9Api';

type Five9Context = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export interface Five9ClientOptions {
	retry?: RetryPolicy;
	/** Longest time one request may take, answer included (ms). */
	timeoutMs?: number;
	/** Overrides the credential's report time zone. */
	timeZone?: string;
}

/**
 * What an operation uses when a transport option is not set. The same values as the defaults of
 * the fields in `actions/common.descriptions.ts`; a unit test keeps the two equal.
 */
export const FIVE9_TRANSPORT_DEFAULTS: TransportDefaults = {
	timeoutMs: 60_000,
	maxRetries: 5,
	retryDelayMs: 2000,
	maxDelayMs: DEFAULT_RETRY_POLICY.maxDelayMs,
};

/** The client settings an operation asks for (`settingsOf`), the report time zone included. */
export function clientOptionsFrom(options: IDataObject): Five9ClientOptions {
	const { retry, timeoutMs } = transportSettingsFrom(options, FIVE9_TRANSPORT_DEFAULTS);
	return { retry, timeoutMs, timeZone: typeof options.timeZone === 'string' ? options.timeZone : undefined };
}

export interface Five9CallOptions {
	itemIndex?: number;
	/** The answer is one long text in this element: read it as bytes (see `readBulkTextResponse`). */
	bulkText?: string;
	/** For long polls: the deadline must outlast the server's hold. */
	timeoutMs?: number;
	/** Largest answer accepted (bytes), and how to explain a larger one. */
	maxBytes?: number;
	tooLarge?: (maxBytes: number) => NodeApiError;
}

export interface Five9Settings {
	baseUrl: string;
	timeZone: string;
	username: string;
}

/** Whether an error from this transport is about the login (wrong password, wrong data center). */
export function isLoginError(error: unknown): boolean {
	return (error as { context?: { five9Login?: unknown } } | undefined)?.context?.five9Login === true;
}

/** The fault name an error from this transport carries, if it came from a SOAP fault. */
export function faultNameOf(error: unknown): string | undefined {
	const context = (error as { context?: { five9Fault?: unknown } } | undefined)?.context;
	return typeof context?.five9Fault === 'string' ? context.five9Fault : undefined;
}

/** Vendor words in a message are cut to this length, after redaction. */
const MAX_SAID = 300;

export class Five9Client extends VendorTransport {
	private settingsPromise?: Promise<Five9Settings>;
	private lockKey = '';

	constructor(
		ctx: Five9Context,
		private readonly options: Five9ClientOptions = {},
	) {
		super(ctx, 'Five9', FIVE9_CREDENTIAL, { retry: options.retry, timeoutMs: options.timeoutMs ?? FIVE9_TRANSPORT_DEFAULTS.timeoutMs });
	}

	protected learnSecrets(credentials: IDataObject, redactor: Redactor): void {
		redactor.addSecret(String(credentials.password ?? ''));
		redactor.addBasicPair(String(credentials.username ?? '').trim(), String(credentials.password ?? ''));
		redactor.addBasicPair(String(credentials.username ?? ''), String(credentials.password ?? ''));
		redactor.addUrl(String(credentials.baseUrl ?? ''));
	}

	/** Base URL, report time zone and user, read once from the credential. */
	settings(): Promise<Five9Settings> {
		this.settingsPromise ??= (async () => {
			const credentials = (await this.credentials()) as ICredentialDataDecryptedObject;
			const username = String(credentials.username ?? '').trim();
			const baseUrl = five9BaseUrl(credentials);
			if (!/^https?:\/\/[^/]+/i.test(baseUrl)) {
				throw new NodeOperationError(this.node, 'The Five9 credential has no valid Base URL', {
					description: 'With the data center "Custom Base URL", enter a URL such as https://api.five9.com.',
				});
			}
			const timeZone = (this.options.timeZone ?? '').trim() || five9ReportTimeZone(credentials);
			if (!isValidTimeZone(timeZone)) {
				throw new NodeOperationError(this.node, `"${timeZone}" is not a time zone`, {
					description: 'Use an IANA name such as America/Los_Angeles or Europe/London for the report time zone.',
				});
			}
			this.lockKey = credentialKey('five9-user', { username: username.toLowerCase(), baseUrl: baseUrl.toLowerCase() });
			return { baseUrl, timeZone, username };
		})();
		return this.settingsPromise;
	}

	/**
	 * Sends one SOAP request and returns the response element (`<ns2:runReportResponse>` …).
	 * Rate limits, busy sessions, 429/5xx, dropped or cut-off connections are retried with back-off.
	 */
	async call(
		service: Five9Service,
		method: string,
		params: Record<string, XmlValue> = {},
		options: Five9CallOptions = {},
	): Promise<XmlElement> {
		const { baseUrl } = await this.settings();
		let body: string;
		try {
			body = soapEnvelope(service, method, params);
		} catch (error) {
			throw new NodeOperationError(this.node, this.redact((error as Error).message), { itemIndex: options.itemIndex });
		}
		return await this.exchange<XmlElement>({
			label: method,
			itemIndex: options.itemIndex,
			timeoutMs: options.timeoutMs,
			maxBytes: options.maxBytes ?? DEFAULT_MAX_ANSWER_BYTES,
			tooLarge: options.tooLarge,
			around: (attempt) =>
				serialized(this.lockKey, attempt, { coordinatorOf: () => this.sharedState() }),
			request: {
				method: 'POST',
				baseURL: baseUrl,
				url: SERVICES[service].path,
				headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
				body,
				json: false,
			},
			judge: (response) => this.judge(method, response, options.itemIndex, options.bulkText),
		});
	}

	private judge(method: string, response: RawResponse, itemIndex?: number, bulkText?: string): AttemptOutcome<XmlElement> {
		const status = response.statusCode;
		const body = response.body;
		if (status === 401 || status === 403) {
			return { kind: 'fail', error: this.loginError(status, itemIndex) };
		}
		let parsed: SoapResponse | undefined;
		let xmlProblem: string | undefined;
		if (/<(?:[\w.-]+:)?Envelope[\s>/]/.test(body.subarray(0, 4096).toString('latin1'))) {
			const read = bulkText && status >= 200 && status < 300 ? readBulkTextResponse(body, bulkText) : readSoapResponse(body);
			if (read.ok) parsed = read.value;
			else xmlProblem = read.reason;
		} else if (status >= 200 && status < 300) {
			xmlProblem = 'it is not a SOAP envelope';
		}
		if (parsed?.kind === 'fault') {
			const error = this.faultError(method, parsed.fault, status, itemIndex);
			const words = FAULT_WORDS[parsed.fault.name];
			if (words?.retry) return { kind: 'retry', reason: parsed.fault.name, error };
			return { kind: 'fail', error };
		}
		if (status >= 200 && status < 300) {
			if (parsed) return { kind: 'done', value: parsed.element };
			return { kind: 'fail', error: this.malformedError(method, xmlProblem ?? 'unknown', itemIndex) };
		}
		const error = this.httpError(method, status, body.subarray(0, 65536).toString('utf8'), response.headers, itemIndex);
		if (status === 429 || status === 503) {
			return { kind: 'retry', reason: `HTTP ${status}`, retryAfterMs: parseRetryAfter(response.headers?.['retry-after']), error };
		}
		if (status >= 500 && status !== 501) return { kind: 'retry', reason: `HTTP ${status}`, error };
		return { kind: 'fail', error };
	}

	private five9Error(
		message: string,
		description: string,
		extra: { httpCode?: string; itemIndex?: number; fault?: string; login?: boolean },
	): NodeApiError {
		const context: IDataObject = {};
		if (extra.fault) context.five9Fault = extra.fault;
		// About the account, not about what was asked: callers leave these messages as they are.
		if (extra.login) context.five9Login = true;
		return this.apiError(message, description, { httpCode: extra.httpCode, itemIndex: extra.itemIndex, context });
	}

	private loginError(status: number, itemIndex?: number): NodeApiError {
		return this.five9Error(
			FIVE9_REJECTED_LOGIN,
			`Five9 answered ${status}. Check the user name and password in the Five9 credential, and its data center: Five9 also answers ${status} when a valid user calls another data center's host (US, Canada, UK, Frankfurt, India). The user must be a dedicated integration user whose password has not been changed since.`,
			{ httpCode: String(status), itemIndex, login: true },
		);
	}

	private faultError(method: string, fault: SoapFault, status: number, itemIndex?: number): NodeApiError {
		const words = FAULT_WORDS[fault.name];
		const said = plainWords(this.redactor, fault.faultString || fault.detail.message || '', MAX_SAID);
		const plain = words ? words.message(fault) : `Five9 refused ${method}`;
		const description = `${words?.action ?? 'Five9 gave no more detail than its own message.'}${
			said ? ` Five9 said: "${said}".` : ''
		}`;
		return this.five9Error(`${plain} (${fault.name})`, description, {
			httpCode: status >= 400 ? String(status) : undefined,
			itemIndex,
			fault: fault.name,
			login: fault.name === 'InvalidAccountFault',
		});
	}

	private malformedError(method: string, problem: string, itemIndex?: number): NodeApiError {
		return this.five9Error(
			`Five9 sent an answer to ${method} that is not valid XML: ${plainWords(this.redactor, problem, 200)}`,
			'The response was cut off or is not from Five9 web services. If a proxy sits in between, check it; otherwise run again.',
			{ itemIndex },
		);
	}

	private httpError(method: string, status: number, text: string, headers: Record<string, unknown>, itemIndex?: number): NodeApiError {
		// Redacted on the raw page, before its tags are stripped and before it is cut.
		const said = plainWords(this.redactor, text, 200);
		let message: string;
		let description: string;
		if (status >= 300 && status < 400) {
			const location = typeof headers.location === 'string' ? this.redactor.redactUrl(headers.location).slice(0, 200) : '';
			message = `Five9 answered ${status} (moved${location ? ` to ${location}` : ''}) to ${method}`;
			description = 'The node does not follow redirects. Check the data center or Base URL in the Five9 credential (https, no extra path).';
		} else if (status === 429) {
			message = 'Five9 kept answering "too many requests" (429)';
			description = 'Five9 throttles requests per domain. Run the workflow less often or with larger windows.';
		} else if (status === 503) {
			message = 'Five9 web services are unavailable (503)';
			description = 'This is usually temporary (maintenance). Run the workflow again later.';
		} else if (status >= 500) {
			message = `Five9 had a server error (${status})`;
			description = `This is usually temporary; run the workflow again later.${said ? ` Five9 said: "${said}".` : ''}`;
		} else if (status === 404) {
			message = `Five9 has no web service at this address (404) for ${method}`;
			description = 'Check the data center or Base URL in the Five9 credential.';
		} else {
			message = `Five9 answered ${status} to ${method}`;
			description = said ? `Five9 said: "${said}".` : 'Five9 gave no explanation.';
		}
		return this.five9Error(message, description, { httpCode: String(status), itemIndex });
	}
}
