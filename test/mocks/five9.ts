/**
 * A local stand-in for Five9's Configuration (AdminWebService) and Supervisor web services
 * (docs/five9.md, "SOAP", "Reports", "Agent-state statistics", "Directory", "Faults", "Limits"):
 * SOAP 1.1 envelopes routed by the Body's first element's local name, unqualified children, Basic
 * auth with the web server's 401 HTML page, runReport / long-polled isReportRunning /
 * getReportResult(Csv) with deterministic rows and a silent row cap, the directory listings with
 * their name patterns, per-operation request counters in several windows (on a clock tests can
 * move) answered by getCallCountersState, refusal of concurrent requests of one user,
 * and scripted faults. Opt-in hostile
 * modes: `leaky` faults and pages that reflect the request and its credentials; dripped, cut-off and
 * redirected answers; a streamed CSV of any size (`hugeCsvBytes`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { URL } from 'node:url';

import { SaxesParser } from 'saxes';

import { defaultReports, isoLocal, hms, toFive9Csv, type MockWindow, type ReportData, type ReportGenerator } from './five9-data';
import { makePeople } from './assembled';
import { MockServer } from './base';
import { agentsFor } from './evaluations';
import {
	basicAuth,
	cutOffAnswer,
	delay,
	dripAnswer,
	echoLocation,
	echoRequest,
	readBody,
	withEchoHtml,
	type DripOptions,
} from './http';

/** Five9's `apiOperationType` values this server counts (docs/five9.md, "Limits"). */
export type OperationType = 'Query' | 'ReportRequest' | 'RetrieveReport' | 'QueryStatistics' | 'QueryChangedStatistics';

/**
 * Which counter a request counts against. The reference names one example per type (runReport,
 * getReportResult, getStatistics, getStatisticsUpdate, getListsInfo for Query); the directory
 * listings as Query are this server's assumption. isReportRunning and getCallCountersState count
 * against nothing.
 */
const OPERATION_TYPES: Record<string, OperationType> = {
	runReport: 'ReportRequest',
	getReportResult: 'RetrieveReport',
	getReportResultCsv: 'RetrieveReport',
	getStatistics: 'QueryStatistics',
	getStatisticsUpdate: 'QueryChangedStatistics',
	getUsersGeneralInfo: 'Query',
	getUsersInfo: 'Query',
	getCampaigns: 'Query',
	getSkills: 'Query',
	getAgentGroups: 'Query',
	getDispositions: 'Query',
	getReasonCodeByType: 'Query',
	getReasonCode: 'Query',
};

/** One limit of one operation type: at most `limit` requests in any `windowMs` (a sliding window). */
export interface MockLimit {
	limit: number;
	windowMs: number;
}

/** Limits per operation type: one window or several (e.g. an hour and a day). */
export type MockLimits = Partial<Record<OperationType, MockLimit | MockLimit[]>>;

/** One counter as getCallCountersState reports it, for tests to compare with. */
export interface MockCounterState {
	operationType: OperationType;
	windowMs: number;
	limit: number;
	used: number;
}

const ADMIN_NS = 'http://service.admin.ws.five9.com/';
const SUPERVISOR_NS = 'http://service.supervisor.ws.five9.com/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

export const MOCK_USER = 'n8n.integration@acme.example';
export const MOCK_PASSWORD = 'S3cret&<Pa:ss>';

export interface MockAgentState {
	username: string;
	fullName: string;
	state: string;
	reasonCode: string | null;
	/** When the agent entered the state; State Duration is computed from it per request. */
	stateSinceMs: number;
	campaign: string | null;
	callType: string | null;
	mediaAvailability: string;
}

export interface Five9MockOptions {
	/** username → password. */
	users?: Record<string, string>;
	/** The zone the domain's reports are written in. */
	timeZone?: string;
	/** How often isReportRunning answers true for each run. */
	runningPolls?: number;
	/** How long a "still running" poll is held (never longer than the request's timeout). */
	pollHoldMs?: number;
	csvCap?: number;
	tableCap?: number;
	callSpacingSeconds?: number;
	digitalSpacingSeconds?: number;
	/** `folder/report` → rows for a window. Missing names answer ReportNotFoundFault. */
	reports?: Record<string, ReportGenerator>;
	/** Request limits per operation type (none by default): past one, a request gets OperationsLimitExceededFault. */
	limits?: MockLimits;
	/** The fault a second concurrent request of the same user gets. */
	concurrencyFault?: string;
	/** Added to every answer, so overlapping requests really overlap. */
	latencyMs?: number;
	/** Prefix of the answer's SOAP envelope (`env`, `soap`, `S`): clients must not depend on it. */
	envelopePrefix?: string;
	agents?: MockAgentState[];
	/** Users, campaigns, skills, agent groups, dispositions and reason codes; `defaultDirectory()` by default. */
	directory?: Partial<MockDirectory>;
	/** Every answer that is not a normal success reflects the request, credentials included (see `leaky`). */
	leaky?: boolean;
	/** getReportResultCsv answers a streamed CSV of about this many bytes instead of the report's rows. */
	hugeCsvBytes?: number;
	/** Report answers kept for repeated requests (default 64); a long benchmark keeps few to bound memory. */
	csvCacheSize?: number;
}

/** A scripted misbehaviour for the next matching request(s), applied after authentication. */
export interface Five9Fault {
	/** SOAP operation local name (runReport, getReportResultCsv…); any when absent. */
	operation?: string;
	/** Further condition, e.g. only the run for one window. */
	match?: (request: RecordedRequest) => boolean;
	/** How many matching requests this answers (default 1). */
	times?: number;
	/** Answer with this SOAP fault (detail element name), HTTP 500. */
	fault?: string;
	detail?: Record<string, string>;
	/** Answer with this HTTP status and an HTML page. */
	status?: number;
	retryAfter?: number;
	/** Answer 200 with exactly this body (e.g. malformed XML). */
	body?: string;
	/** For getReportResultCsv: answer normally but with this CSV text. */
	csv?: string;
	/** Hold the answer this long (a slow server). */
	delayMs?: number;
	/** Answer `status` (default 302) pointing back at the same URL; in leaky mode with `?echo=` and the echo in the HTML body. */
	redirect?: boolean;
	/**
	 * Send the answer's status and headers at once, then a byte per `intervalMs`; the rest after `totalMs`
	 * (default never). Shapes whatever the request would get: the operation's answer, or `fault`/`status`/`body`.
	 */
	drip?: DripOptions;
	/** Send the answer's status, headers and first `afterBytes` bytes, then destroy the socket. */
	cutOff?: { afterBytes: number };
	/** For getReportResultCsv: a streamed CSV of about this many bytes (like the option, for one request). */
	hugeCsvBytes?: number;
}

export interface RecordedRequest {
	service: 'admin' | 'supervisor' | 'other';
	operation: string;
	path: string;
	user?: string;
	/** Leaf values by dotted local path: folderName, criteria.time.start, identifier, timeout… */
	params: Record<string, string>;
	soapAction?: string;
	contentType?: string;
	/** The request envelope as sent. */
	body: string;
	/** Requests of this user in flight when this one arrived, itself included. */
	inFlight: number;
	status: number;
	/** The SOAP fault answered, or how a scripted fault shaped the answer: drip, cutOff, huge, redirect. */
	fault?: string;
	at: number;
}

export interface MockRun {
	identifier: string;
	key: string;
	window: MockWindow;
	pollsLeft: number;
	user: string;
}

/** What one request's answer needs beyond its status and text. */
interface AnswerContext {
	res: ServerResponse;
	/** A drip or cutOff fault that shapes whatever answer the request ends up with. */
	shape?: Five9Fault;
	/** The message, with the echo appended in leaky mode. */
	leak: (message: string) => string;
	/** The HTML page, with the echo inserted in leaky mode. */
	page: (html: string) => string;
	location: () => string;
	echo: () => string;
}

interface ParsedElement {
	local: string;
	uri: string;
	nil: boolean;
	children: ParsedElement[];
	text: string;
}

function parseRequest(xml: string): ParsedElement {
	const root: ParsedElement = { local: '#document', uri: '', nil: false, children: [], text: '' };
	const stack = [root];
	const parser = new SaxesParser({ xmlns: true });
	parser.on('opentag', (tag) => {
		const nil = Object.values(tag.attributes).some((a) => a.local === 'nil' && a.uri === XSI && a.value === 'true');
		const element: ParsedElement = { local: tag.local, uri: tag.uri, nil, children: [], text: '' };
		stack[stack.length - 1].children.push(element);
		stack.push(element);
	});
	parser.on('text', (text) => (stack[stack.length - 1].text += text));
	parser.on('closetag', () => stack.pop());
	parser.write(xml).close();
	return root;
}

/** Leaf texts by dotted path. Qualified children are skipped: the schema's children are unqualified. */
function flatten(element: ParsedElement, prefix = '', into: Record<string, string> = {}, lists: Record<string, string[]> = {}) {
	for (const child of element.children) {
		if (child.uri) continue;
		const path = prefix ? `${prefix}.${child.local}` : child.local;
		if (child.children.length) flatten(child, path, into, lists);
		else {
			into[path] = child.nil ? '' : child.text;
			(lists[path] ??= []).push(child.text);
		}
	}
	return { values: into, lists };
}

function escapeXml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

const WEB_SERVER_401 =
	'<!doctype html><html lang="en"><head><title>HTTP Status 401 – Unauthorized</title></head><body><h1>HTTP Status 401 – Unauthorized</h1><hr class="line" /><p><b>Type</b> Status Report</p><p><b>Message</b> This request requires HTTP authentication.</p></body></html>';

/** Parses `2024-03-10T00:00:00.000-08:00` (offset optional: then read in `timeZone`). */
function parseCriteriaTime(text: string, timeZone: string): number | undefined {
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(text.trim());
	if (!match) return undefined;
	const [, y, mo, d, h, mi, s, offset] = match;
	const naive = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
	if (offset === 'Z') return naive;
	if (offset) {
		const sign = offset.startsWith('-') ? -1 : 1;
		return naive - sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6))) * 60_000;
	}
	// No offset: the domain's zone, found by adjusting twice.
	let guess = naive;
	for (let i = 0; i < 2; i++) {
		const local = new Date(new Date(guess).toLocaleString('en-US', { timeZone })).getTime();
		const utc = new Date(new Date(guess).toLocaleString('en-US', { timeZone: 'UTC' })).getTime();
		guess = naive - (local - utc);
	}
	return guess;
}

export function defaultAgents(now = Date.now()): MockAgentState[] {
	const minutesAgo = (m: number) => Math.floor((now - m * 60_000) / 1000) * 1000;
	return [
		{ username: 'zoe.muller@acme.example', fullName: 'Zoë Müller', state: 'Ready', reasonCode: null, stateSinceMs: minutesAgo(3), campaign: null, callType: null, mediaAvailability: 'Voice, Chat' },
		{ username: 'jose.garcia@acme.example', fullName: 'José García', state: 'Not Ready', reasonCode: 'Lunch', stateSinceMs: minutesAgo(14), campaign: null, callType: null, mediaAvailability: 'Voice' },
		{ username: 'jj.oneil@acme.example', fullName: 'Jean "JJ" O\'Neil', state: 'On Call', reasonCode: null, stateSinceMs: minutesAgo(7), campaign: 'Sales, Renewals', callType: 'Inbound', mediaAvailability: 'Voice' },
		{ username: 'li.wei@acme.example', fullName: '李 伟', state: 'After Call Work', reasonCode: null, stateSinceMs: minutesAgo(1), campaign: 'Support Inbound', callType: 'Inbound', mediaAvailability: 'Voice' },
		{ username: 'ana.diaz@acme.example', fullName: 'Diaz, Ana', state: 'Logged Out', reasonCode: null, stateSinceMs: minutesAgo(300), campaign: null, callType: null, mediaAvailability: '' },
	];
}

export type MockRole = 'admin' | 'agent' | 'supervisor' | 'reporting' | 'crmManager';

/** A Five9 user: `userGeneralInfo` plus what `userInfo` adds (docs/five9.md, "Directory"). */
export interface MockUser {
	id: string;
	userName: string;
	firstName: string;
	lastName: string;
	fullName: string;
	email: string | null;
	active: boolean;
	extension: string;
	userProfileName: string | null;
	roles: MockRole[];
	agentGroups: string[];
	skills: string[];
}

export interface MockCampaign {
	name: string;
	type: 'INBOUND' | 'OUTBOUND' | 'AUTODIAL';
	state: 'NOT_RUNNING' | 'STARTING' | 'RUNNING' | 'STOPPING' | 'RESETTING';
	mode: 'BASIC' | 'ADVANCED';
	description: string;
	profileName: string | null;
	trainingMode: boolean;
}

export interface MockSkill {
	id: string;
	name: string;
	description: string;
	messageOfTheDay: string | null;
	routeVoiceMails: boolean;
}

export interface MockAgentGroup {
	id: string;
	name: string;
	description: string;
	/** User names. */
	agents: string[];
}

export interface MockDisposition {
	name: string;
	type: 'FinalDisp' | 'FinalApplyToCampaigns' | 'AddActiveNumber' | 'AddAndFinalize' | 'AddAllNumbers' | 'DoNotDial' | 'RedialNumber';
	description: string;
	agentMustCompleteWorksheet: boolean;
	agentMustConfirm: boolean;
	resetAttemptsCounter: boolean;
	sendEmailNotification: boolean;
	sendIMNotification: boolean;
	trackAsFirstCallResolution: boolean;
	/** Redial dispositions only. */
	redial?: { useTimer: boolean; timerSeconds: number; allowChangeTimer: boolean; attempts: number };
}

export interface MockReasonCode {
	name: string;
	type: 'NotReady' | 'Logout';
	enabled: boolean;
	paidTime: boolean;
	shortcut: number;
}

export interface MockDirectory {
	users: MockUser[];
	campaigns: MockCampaign[];
	skills: MockSkill[];
	agentGroups: MockAgentGroup[];
	dispositions: MockDisposition[];
	reasonCodes: MockReasonCode[];
}

/**
 * The domain's directory. Its agents are the AQM feed's (`agentsFor(makePeople(12))`), with the same
 * user names and IDs, so evaluations find them: most log in with their email, every third with a
 * Five9 user name that is not an email. The feed's temp agent is not a Five9 user here. Besides
 * them: the QA lead who evaluates, the integration user, an inactive agent and a user without email.
 */
export function defaultDirectory(): MockDirectory {
	const people = makePeople(12);
	const active = people.filter((person) => !person.deleted);
	const agents = agentsFor(people);
	const teams = ['Support Team', 'Sales Team'];
	const users: MockUser[] = active.map((person, index) => ({
		id: agents[index].userUID,
		userName: agents[index].userName,
		firstName: person.first_name,
		lastName: person.last_name,
		fullName: agents[index].fullName,
		email: person.email,
		active: true,
		extension: String(1001 + index),
		userProfileName: 'Agents',
		roles: ['agent'],
		agentGroups: [teams[index % teams.length]],
		skills: index % 2 === 0 ? ['Support'] : ['Sales', 'Support'],
	}));
	users.push(
		{ id: '3500001', userName: 'qa.lead@example.com', firstName: 'Quinn', lastName: 'Lead', fullName: 'Quinn Lead', email: 'qa.lead@example.com', active: true, extension: '2001', userProfileName: 'Supervisors', roles: ['agent', 'supervisor', 'reporting'], agentGroups: ['QA'], skills: [] },
		{ id: '3000900', userName: MOCK_USER, firstName: 'n8n', lastName: 'Integration', fullName: 'n8n Integration', email: MOCK_USER, active: true, extension: '', userProfileName: null, roles: ['admin', 'supervisor', 'reporting'], agentGroups: [], skills: [] },
		{ id: '3000901', userName: 'former.agent', firstName: 'Former', lastName: 'Agent', fullName: 'Former Agent', email: 'Former.Agent@Example.com', active: false, extension: '1999', userProfileName: 'Agents', roles: ['agent'], agentGroups: [], skills: [] },
		{ id: '3000902', userName: 'kiosk.7', firstName: 'Kiosk', lastName: 'Seven', fullName: 'Kiosk Seven', email: null, active: true, extension: '1998', userProfileName: 'Agents', roles: ['agent'], agentGroups: [], skills: ['Support'] },
	);
	const campaign = (name: string, type: MockCampaign['type'], state: MockCampaign['state'], description: string): MockCampaign => ({
		name,
		type,
		state,
		mode: type === 'INBOUND' ? 'BASIC' : 'ADVANCED',
		description,
		profileName: type === 'INBOUND' ? null : `${name} Profile`,
		trainingMode: false,
	});
	return {
		users,
		campaigns: [
			campaign('Support Inbound', 'INBOUND', 'RUNNING', 'Main support line'),
			campaign('Digital Support', 'INBOUND', 'RUNNING', 'Chat and email'),
			campaign('Sales, Renewals', 'OUTBOUND', 'RUNNING', 'Renewal calls'),
			campaign('Soporte Español', 'INBOUND', 'RUNNING', 'Spanish support line'),
			campaign('Support Inbound (Training)', 'INBOUND', 'NOT_RUNNING', 'For new agents'),
			campaign('Winback Autodial', 'AUTODIAL', 'NOT_RUNNING', 'Lapsed customers'),
		],
		skills: [
			{ id: '266001', name: 'Support', description: 'General support', messageOfTheDay: null, routeVoiceMails: true },
			{ id: '266002', name: 'Sales', description: 'Renewals and upgrades', messageOfTheDay: 'Quarter ends Friday', routeVoiceMails: false },
			{ id: '266003', name: 'Billing', description: 'Invoices & refunds', messageOfTheDay: null, routeVoiceMails: false },
			{ id: '266004', name: 'Español', description: 'Spanish queue', messageOfTheDay: null, routeVoiceMails: true },
			{ id: '266005', name: 'Support Tier 2', description: 'Escalations', messageOfTheDay: null, routeVoiceMails: false },
		],
		agentGroups: [
			...teams.map((name, index) => ({
				id: String(51001 + index),
				name,
				description: `${name.split(' ')[0]} agents`,
				agents: users.filter((user) => user.agentGroups.includes(name)).map((user) => user.userName),
			})),
			{ id: '51003', name: 'QA', description: 'Quality team', agents: ['qa.lead@example.com'] },
			{ id: '51004', name: 'Night Shift', description: 'No agents yet', agents: [] },
		],
		dispositions: [
			...['Resolved', 'Voicemail, left message', 'Transferred To 3rd Party'].map((name) => ({
				name,
				type: 'FinalDisp' as const,
				description: name,
				agentMustCompleteWorksheet: false,
				agentMustConfirm: false,
				resetAttemptsCounter: false,
				sendEmailNotification: false,
				sendIMNotification: false,
				trackAsFirstCallResolution: name === 'Resolved',
			})),
			{
				name: 'Callback Requested',
				type: 'RedialNumber',
				description: 'Customer asked for a call back',
				agentMustCompleteWorksheet: false,
				agentMustConfirm: true,
				resetAttemptsCounter: false,
				sendEmailNotification: false,
				sendIMNotification: false,
				trackAsFirstCallResolution: false,
				redial: { useTimer: true, timerSeconds: 2 * 3600 + 30 * 60, allowChangeTimer: true, attempts: 3 },
			},
		],
		reasonCodes: [
			{ name: 'Lunch', type: 'NotReady', enabled: true, paidTime: false, shortcut: 1 },
			{ name: 'Break', type: 'NotReady', enabled: true, paidTime: true, shortcut: 2 },
			{ name: 'Training', type: 'NotReady', enabled: true, paidTime: true, shortcut: 3 },
			{ name: 'Training', type: 'Logout', enabled: true, paidTime: true, shortcut: 4 },
			{ name: 'End of Shift', type: 'Logout', enabled: true, paidTime: false, shortcut: 5 },
		],
	};
}

/**
 * Five9's name patterns are regular expressions (docs/five9.md, "Directory"); this server matches
 * them against the whole name, with JavaScript's syntax, which is Java's for these patterns. Empty
 * or absent matches all.
 */
export function matchesNamePattern(pattern: string | undefined): ((name: string) => boolean) | { invalid: string } {
	if (pattern === undefined || pattern === '') return () => true;
	try {
		const regex = new RegExp(`^(?:${pattern})$`, 'u');
		return (name) => regex.test(name);
	} catch (error) {
		return { invalid: (error as Error).message };
	}
}

export const AGENT_STATE_COLUMNS = ['Username', 'Full Name', 'State', 'Reason Code', 'State Since', 'State Duration', 'Campaign Name', 'Call Type', 'Media Availability'];

export class Five9Mock extends MockServer<Five9Fault> {
	readonly requests: RecordedRequest[] = [];
	readonly runs = new Map<string, MockRun>();
	readonly reports: Record<string, ReportGenerator>;
	agents: MockAgentState[];
	directory: MockDirectory;
	/** Reflect each request in every fault and error page, so a test can prove the client never shows a secret. */
	leaky: boolean;
	/** Highest number of one user's requests in flight at the same time. */
	maxInFlight = 0;
	private readonly inFlight = new Map<string, number>();
	private readonly sessions = new Map<string, { timeZoneMs: number }>();
	/** When each counted request of a type arrived, on this server's clock. */
	private readonly counters = new Map<OperationType, number[]>();
	private limits: MockLimits;
	/** How far this server's clock is ahead of the real one (see `advanceClock`). */
	private clockOffsetMs = 0;
	private runCounter = 0;
	private readonly csvCache = new Map<string, string>();
	/** Whole getReportResultCsv answers as bytes, for the last few windows asked for. */
	private readonly answerCache = new Map<string, Buffer>();

	constructor(readonly options: Five9MockOptions = {}) {
		super();
		this.reports = options.reports ?? defaultReports({
			callSpacingSeconds: options.callSpacingSeconds ?? 600,
			digitalSpacingSeconds: options.digitalSpacingSeconds ?? 3600,
		});
		this.agents = options.agents ?? defaultAgents();
		this.directory = { ...defaultDirectory(), ...options.directory };
		this.leaky = options.leaky ?? false;
		this.limits = options.limits ?? {};
	}

	/** This server's clock: the real one plus what `advanceClock` added. Request limits count on it. */
	now(): number {
		return Date.now() + this.clockOffsetMs;
	}

	/** Moves the clock forward, e.g. past an hour's window, so the requests counted in it drop out. */
	advanceClock(ms: number): void {
		this.clockOffsetMs += ms;
	}

	/** Forgets every counted request, as if all windows had just reset. */
	resetCounters(): void {
		this.counters.clear();
	}

	/** Replaces the request limits (counted requests stay). */
	setLimits(limits: MockLimits): void {
		this.limits = limits;
	}

	/** Every configured counter: its type, window, limit and the requests counted in it now. */
	counterStates(): MockCounterState[] {
		const now = this.now();
		const states: MockCounterState[] = [];
		for (const [type, windows] of Object.entries(this.limits) as Array<[OperationType, MockLimit | MockLimit[] | undefined]>) {
			for (const window of windowsOf(windows)) {
				const used = (this.counters.get(type) ?? []).filter((at) => now - at < window.windowMs).length;
				states.push({ operationType: type, windowMs: window.windowMs, limit: window.limit, used });
			}
		}
		return states;
	}

	get timeZone() {
		return this.options.timeZone ?? 'America/Los_Angeles';
	}

	clear() {
		this.requests.length = 0;
		this.runs.clear();
		this.sessions.clear();
		this.counters.clear();
		this.clearFaults();
		this.maxInFlight = 0;
	}

	/** Builds and caches a report window's answer ahead of time (benchmarks time the client, not the mock). */
	prepare(key: string, window: MockWindow): void {
		this.csvFor({ identifier: '', key, window, pollsLeft: 0, user: '' });
	}

	/** Credentials for the engine harness: the mock as a "Custom Base URL" data center. */
	credentials(overrides: Record<string, string> = {}) {
		return {
			username: MOCK_USER,
			password: MOCK_PASSWORD,
			dataCenter: 'custom',
			baseUrl: this.url,
			reportTimeZone: '',
			...overrides,
		};
	}

	calls(operation?: string): RecordedRequest[] {
		return this.requests.filter((r) => !operation || r.operation === operation);
	}

	/** The windows runReport was asked for, in order. */
	get reportWindows(): Array<{ key: string; start: string; end: string }> {
		return this.calls('runReport').map((r) => ({
			key: `${r.params.folderName}/${r.params.reportName}`,
			start: r.params['criteria.time.start'],
			end: r.params['criteria.time.end'],
		}));
	}

	protected async handle(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const service = /^\/wsadmin\/(v[\w.]+\/)?AdminWebService$/.test(url.pathname)
			? 'admin'
			: /^\/wssupervisor\/(v[\w.]+\/)?SupervisorWebService$/.test(url.pathname)
				? 'supervisor'
				: 'other';
		const record: RecordedRequest = {
			service,
			operation: '',
			path: url.pathname,
			params: {},
			soapAction: req.headers.soapaction as string | undefined,
			contentType: req.headers['content-type'],
			body: '',
			inFlight: 0,
			status: 0,
			at: Date.now(),
		};
		this.requests.push(record);
		const body = (await readBody(req)).toString('utf8');
		record.body = body;
		const ctx: AnswerContext = {
			res,
			// Characters XML 1.0 cannot carry at all would make the fault unparseable rather than leaky.
			leak: (message) => (this.leaky ? `${message}\n${echoRequest(req, body)}`.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '\ufffd') : message),
			page: (html) => (this.leaky ? withEchoHtml(html, req, body) : html),
			location: () => echoLocation(req, body, this.leaky),
			echo: () => echoRequest(req, body),
		};
		const send = async (status: number, answer: string | Buffer, headers: Record<string, string> = {}, extraDelay = 0) => {
			const text = typeof answer === 'string' || ctx.shape === undefined ? answer : answer.toString('utf8');
			const wait = (this.options.latencyMs ?? 0) + extraDelay;
			if (wait > 0) await delay(wait);
			record.status = status;
			const all = { 'Content-Type': 'text/xml; charset=utf-8', ...headers };
			if (ctx.shape?.drip) {
				record.fault = 'drip';
				return dripAnswer(res, status, all, String(text), ctx.shape.drip);
			}
			if (ctx.shape?.cutOff) {
				record.fault = 'cutOff';
				return cutOffAnswer(res, status, all, String(text), ctx.shape.cutOff.afterBytes);
			}
			res.writeHead(status, all);
			res.end(text);
		};

		if (service === 'other') return send(404, ctx.page('<html><body>Not Found</body></html>'), { 'Content-Type': 'text/html' });
		if (req.method === 'GET' && url.searchParams.has('wsdl')) return send(200, `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="${service === 'admin' ? ADMIN_NS : SUPERVISOR_NS}"/>`);

		const auth = basicAuth(req);
		const users = this.options.users ?? { [MOCK_USER]: MOCK_PASSWORD };
		if (!auth || users[auth.username] === undefined || users[auth.username] !== auth.password) {
			return send(401, ctx.page(WEB_SERVER_401), { 'Content-Type': 'text/html;charset=utf-8', 'WWW-Authenticate': 'Basic realm="Five9 Web Services"' });
		}
		record.user = auth.username;
		if (req.method !== 'POST') return send(405, ctx.page('<html><body>Method Not Allowed</body></html>'), { 'Content-Type': 'text/html' });
		if (!/^text\/xml\b/i.test(record.contentType ?? '')) {
			return send(415, ctx.page('<html><body>Unsupported Media Type: SOAP 1.1 needs text/xml</body></html>'), { 'Content-Type': 'text/html' });
		}

		let operation: ParsedElement | undefined;
		try {
			const document = parseRequest(body);
			const envelope = document.children[0];
			const soapBody = envelope?.local === 'Envelope' ? envelope.children.find((c) => c.local === 'Body') : undefined;
			operation = soapBody?.children[0];
		} catch {
			operation = undefined;
		}
		if (!operation) return send(500, this.faultXml('ServerFault', ctx.leak('Unable to parse the SOAP request'), {}, 'Client'));
		record.operation = operation.local;
		const { values, lists } = flatten(operation);
		record.params = values;

		// One request per user at a time (docs/five9.md, "Limits"): a second one is refused, not queued.
		const user = auth.username;
		const current = (this.inFlight.get(user) ?? 0) + 1;
		record.inFlight = current;
		this.maxInFlight = Math.max(this.maxInFlight, current);
		if (current > 1) {
			const name = this.options.concurrencyFault ?? 'UserAlreadyLoggedInFault';
			record.fault = name;
			return send(500, this.faultXml(name, ctx.leak(`User ${user} is already executing a request`)));
		}
		this.inFlight.set(user, current);
		try {
			await this.answer(record, operation.local, values, lists, user, send, ctx);
		} finally {
			this.inFlight.set(user, (this.inFlight.get(user) ?? 1) - 1);
		}
	}

	private async answer(
		record: RecordedRequest,
		operation: string,
		params: Record<string, string>,
		lists: Record<string, string[]>,
		user: string,
		send: (status: number, text: string | Buffer, headers?: Record<string, string>, extraDelay?: number) => Promise<void>,
		ctx: AnswerContext,
	) {
		const fault = this.takeFault(
			(f) => (!f.operation || f.operation === operation) && (!f.match || f.match(record)),
		);
		let csvOverride: string | undefined;
		let hugeBytes = this.options.hugeCsvBytes;
		let slow = 0;
		if (fault) {
			slow = fault.delayMs ?? 0;
			if (fault.drip || fault.cutOff) ctx.shape = fault;
			if (fault.redirect) {
				record.fault = 'redirect';
				const headers: Record<string, string> = { 'Content-Type': 'text/html', Location: ctx.location() };
				if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
				return send(fault.status ?? 302, ctx.page('<html><head><title>Moved</title></head><body><h1>Moved</h1></body></html>'), headers, slow);
			}
			if (fault.fault) {
				record.fault = fault.fault;
				return send(500, this.faultXml(fault.fault, ctx.leak(`Scripted ${fault.fault}`), fault.detail ?? {}), {}, slow);
			}
			if (fault.status) {
				const headers: Record<string, string> = { 'Content-Type': 'text/html' };
				if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
				return send(fault.status, ctx.page(`<html><body><h1>HTTP Status ${fault.status}</h1></body></html>`), headers, slow);
			}
			// A scripted body is sent as written; in leaky mode the echo follows it.
			if (fault.body !== undefined) return send(200, this.leaky ? `${fault.body}\n${ctx.echo()}` : fault.body, {}, slow);
			csvOverride = fault.csv;
			if (fault.hugeCsvBytes !== undefined) hugeBytes = fault.hugeCsvBytes;
		}

		const type = OPERATION_TYPES[operation];
		const windows = type ? windowsOf(this.limits[type]) : [];
		if (type && windows.length > 0) {
			// Every window of the type counts the request; a full one refuses it, and a refused request counts nowhere.
			const now = this.now();
			const longest = Math.max(...windows.map((w) => w.windowMs));
			const recent = (this.counters.get(type) ?? []).filter((at) => now - at < longest);
			this.counters.set(type, recent);
			const full = windows.find((w) => recent.filter((at) => now - at < w.windowMs).length >= w.limit);
			if (full) {
				record.fault = 'OperationsLimitExceededFault';
				return send(500, this.faultXml('OperationsLimitExceededFault', ctx.leak(`Operations limit exceeded: ${type}`), { limit: String(full.limit), operationType: type }));
			}
			recent.push(now);
		}

		const ok = (inner: string, ns = ADMIN_NS) => send(200, this.responseXml(operation, inner, ns), {}, slow);
		const fail = (name: string, message: string, detail: Record<string, string> = {}) => {
			record.fault = name;
			return send(500, this.faultXml(name, ctx.leak(message), detail), {}, slow);
		};

		if (record.service === 'admin') {
			switch (operation) {
				case 'getVCCConfiguration':
					return ok('<return><domainId>131072</domainId><domainName>Acme Mock Domain</domainName><timeZone>' + escapeXml(this.timeZone) + '</timeZone></return>');
				case 'getApiVersions':
					return ok('<return><maxVersion>13</maxVersion><minVersion>2</minVersion></return>');
				case 'getCallCountersState':
					return ok(this.countersXml());
				case 'runReport': {
					const folder = params.folderName;
					const report = params.reportName;
					if (!folder || !report) return fail('MissedArgumentFault', 'folderName and reportName are required');
					const key = `${folder}/${report}`;
					if (!this.reports[key]) {
						return fail('ReportNotFoundFault', `Report "${report}" doesn't exist in folder "${folder}"`, { folder, reportName: report });
					}
					const start = parseCriteriaTime(params['criteria.time.start'] ?? '', this.timeZone);
					const end = parseCriteriaTime(params['criteria.time.end'] ?? '', this.timeZone);
					if (start === undefined || end === undefined) return fail('IncorrectArgumentFault', 'criteria.time start and end must be dateTime values');
					if (end <= start) return fail('IncorrectArgumentFault', 'End of the reporting period must be after its start');
					for (const type of lists['criteria.reportObjects.objectType'] ?? []) {
						if (!['AgentGroup', 'Campaign', 'CampaignProfile', 'CrmField', 'Disposition', 'List', 'Prompt', 'ReasonCode', 'Skill', 'User', 'UserProfile', 'IvrScript', 'CallVariableGroup', 'CallVariable', 'Connector'].includes(type)) {
							return fail('IncorrectArgumentFault', `Unknown object type ${type}`);
						}
					}
					this.runCounter += 1;
					const n = this.runCounter;
					const identifier = `${(0x95be6486acc24e0 + n).toString(16).toUpperCase()}4rt1.c.ie.o${(0x260ba + n).toString(16).toUpperCase()}@8pC0${String(n).padStart(4, '0')}s5l4f4vF97c8m`;
					this.runs.set(identifier, { identifier, key, window: { startMs: start, endMs: end }, pollsLeft: this.options.runningPolls ?? 1, user });
					return ok(`<return>${escapeXml(identifier)}</return>`);
				}
				case 'isReportRunning': {
					const run = this.runs.get(params.identifier ?? '');
					if (!run) return fail('UnknownIdentifierFault', `Unknown identifier ${params.identifier ?? ''}`);
					if (params.timeout === undefined || params.timeout === '') return fail('MissedArgumentFault', 'timeout is required');
					const timeoutMs = Math.max(0, Number(params.timeout) * 1000);
					if (run.pollsLeft > 0) {
						// Long poll: hold the request (up to the client's timeout) while "generating".
						await delay(Math.min(timeoutMs, this.options.pollHoldMs ?? 20));
						run.pollsLeft -= 1;
						return ok('<return>true</return>');
					}
					return ok('<return>false</return>');
				}
				case 'getReportResultCsv':
				case 'getReportResult': {
					const run = this.runs.get(params.identifier ?? '');
					if (!run) return fail('UnknownIdentifierFault', `Unknown identifier ${params.identifier ?? ''}`);
					if (run.pollsLeft > 0) return fail('ResultIsNotReadyFault', 'Result is not ready due to process is not complete');
					if (operation === 'getReportResultCsv' && hugeBytes !== undefined && csvOverride === undefined) {
						return this.streamHugeCsv(ctx.res, record, operation, hugeBytes, (this.options.latencyMs ?? 0) + slow);
					}
					if (operation === 'getReportResultCsv') {
						if (csvOverride !== undefined) return ok(`<return>${escapeXml(csvOverride)}</return>`);
						// The answer's bytes are made once per window: encoding a 12 MB text again for every
						// request would put the server's work into what a benchmark measures of the client.
						const key = `${operation}|${this.csvKey(run)}`;
						let bytes = this.answerCache.get(key);
						if (!bytes) {
							bytes = Buffer.from(this.responseXml(operation, `<return>${this.csvFor(run)}</return>`, ADMIN_NS), 'utf8');
							if (this.answerCache.size >= 4) this.answerCache.clear();
							if ((this.options.csvCacheSize ?? 64) > 0) this.answerCache.set(key, bytes);
						}
						return send(200, bytes, {}, slow);
					}
					return ok(this.tableXml(this.capped(this.reports[run.key](run.window, { timeZone: this.timeZone }), this.options.tableCap ?? 5000)));
				}
				case 'getUsersGeneralInfo':
				case 'getUsersInfo':
				case 'getCampaigns':
				case 'getSkills':
				case 'getAgentGroups':
				case 'getDispositions': {
					const argument = PATTERN_ARGUMENTS[operation];
					const pattern = params[argument];
					const matches = matchesNamePattern(pattern);
					if (typeof matches !== 'function') {
						return fail('InvalidRegexpPatternFault', `Invalid regular expression pattern: ${matches.invalid}`, { pattern: pattern ?? '' });
					}
					const campaignType = params.campaignType;
					if (campaignType !== undefined && !['INBOUND', 'OUTBOUND', 'AUTODIAL'].includes(campaignType)) {
						return fail('IncorrectArgumentFault', `Unknown campaign type ${campaignType}`);
					}
					return ok(this.directoryXml(operation, matches, campaignType));
				}
				case 'getReasonCodeByType':
				case 'getReasonCode': {
					const name = params.reasonCodeName;
					if (!name) return fail('MissedArgumentFault', 'reasonCodeName is required');
					// The deprecated getReasonCode names no type: here it answers the first code of that name.
					const type = operation === 'getReasonCode' ? undefined : params.type;
					if (operation === 'getReasonCodeByType' && type !== 'NotReady' && type !== 'Logout') {
						return fail('IncorrectArgumentFault', `Unknown reason code type ${type ?? ''}`);
					}
					const code = this.directory.reasonCodes.find((c) => c.name === name && (!type || c.type === type));
					if (!code) return fail('ObjectNotFoundFault', `Reason code "${name}" not found`, { objectName: name, objectType: 'ReasonCode' });
					return ok(`<return>${reasonCodeXml(code)}</return>`);
				}
				default:
					return fail('ServerFault', `Operation ${operation} is not supported by this mock`);
			}
		}

		switch (operation) {
			case 'setSessionParameters': {
				const zone = Number(params['viewSettings.timeZone'] ?? '0');
				this.sessions.set(user, { timeZoneMs: Number.isFinite(zone) ? zone : 0 });
				return ok('', SUPERVISOR_NS);
			}
			case 'getStatistics': {
				const session = this.sessions.get(user);
				if (!session) return fail('SessionNotInitializedFault', 'Session was not initialized: call setSessionParameters first');
				if (params.statisticType !== 'AgentState') {
					return ok(`<return><columns><values/></columns><timestamp>${Date.now()}</timestamp><type>${escapeXml(params.statisticType ?? '')}</type></return>`, SUPERVISOR_NS);
				}
				const wanted = lists['columnNames.values.data'];
				const columns = wanted?.length ? wanted : AGENT_STATE_COLUMNS;
				const unknown = columns.find((c) => !AGENT_STATE_COLUMNS.includes(c));
				if (unknown) return fail('UnknownColumnFault', `Unknown column ${unknown}`);
				return ok(this.agentStatesXml(columns, session.timeZoneMs), SUPERVISOR_NS);
			}
			default:
				return fail('ServerFault', `Operation ${operation} is not supported by this mock`);
		}
	}

	/**
	 * A valid getReportResultCsv answer whose CSV is about `bytes` long, generated a chunk at a time as
	 * the client reads (waiting for 'drain'), so the mock never holds the body; stops when the client leaves.
	 */
	private async streamHugeCsv(res: ServerResponse, record: RecordedRequest, operation: string, bytes: number, wait: number) {
		if (wait > 0) await delay(wait);
		const marker = '\u0000';
		const [before, after] = this.responseXml(operation, `<return>${marker}</return>`, ADMIN_NS).split(marker);
		record.status = 200;
		record.fault = 'huge';
		res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
		let closed = false;
		res.once('close', () => (closed = true));
		const write = async (chunk: string | Buffer) => {
			if (res.write(chunk) || closed) return;
			await new Promise<void>((resolve) => {
				const done = () => {
					res.off('drain', done);
					res.off('close', done);
					resolve();
				};
				res.on('drain', done);
				res.on('close', done);
			});
		};
		const header = 'CALL ID,TIMESTAMP,AGENT\n';
		await write(before + header);
		// Fixed-width rows from cached pieces, written straight into the chunk: cheap enough that the
		// client, not the mock, sets the pace.
		const two = (value: number) => String(value).padStart(2, '0');
		const seconds = Array.from({ length: 60 }, (_, i) => two(i));
		const agents = Array.from({ length: 50 }, (_, i) => `,agent${two(i)}@acme.example\n`);
		const width = `1000000000,2024/03/10 00:00:00${agents[0]}`.length;
		let minute = '';
		let sent = header.length;
		let n = 0;
		while (sent < bytes && !closed) {
			const rows = Math.min(Math.floor((1 << 18) / width), Math.ceil((bytes - sent) / width));
			const chunk = Buffer.allocUnsafe(rows * width);
			for (let at = 0; at < chunk.length; at += width) {
				n += 1;
				const second = n % 86_400;
				if (second % 60 === 0 || !minute) minute = `,2024/03/10 ${two(Math.floor(second / 3600))}:${two(Math.floor((second % 3600) / 60))}:`;
				chunk.write(`${1_000_000_000 + n}${minute}${seconds[second % 60]}${agents[n % 50]}`, at, 'latin1');
			}
			sent += chunk.length;
			await write(chunk);
		}
		if (!closed) res.end(after);
	}

	private capped(data: ReportData, cap: number): ReportData {
		// Five9 cuts results off at the cap without saying so.
		return data.rows.length > cap ? { header: data.header, rows: data.rows.slice(0, cap) } : data;
	}

	private csvKey(run: MockRun): string {
		return `${run.key}|${run.window.startMs}|${run.window.endMs}|${this.options.csvCap ?? 50_000}|${this.timeZone}`;
	}

	/** The window's CSV, capped and already XML-escaped for the envelope. */
	private csvFor(run: MockRun): string {
		const cap = this.options.csvCap ?? 50_000;
		const cacheKey = this.csvKey(run);
		let escaped = this.csvCache.get(cacheKey);
		if (escaped === undefined) {
			escaped = escapeXml(toFive9Csv(this.capped(this.reports[run.key](run.window, { timeZone: this.timeZone }), cap)));
			if (this.csvCache.size >= (this.options.csvCacheSize ?? 64)) this.csvCache.clear();
			if ((this.options.csvCacheSize ?? 64) > 0) this.csvCache.set(cacheKey, escaped);
		}
		return escaped;
	}

	private envelope(inner: string): string {
		const p = this.options.envelopePrefix ?? 'env';
		return `<?xml version='1.0' encoding='UTF-8'?><${p}:Envelope xmlns:${p}="http://schemas.xmlsoap.org/soap/envelope/"><${p}:Header/><${p}:Body>${inner}</${p}:Body></${p}:Envelope>`;
	}

	private responseXml(operation: string, inner: string, ns: string): string {
		return this.envelope(`<ns2:${operation}Response xmlns:ns2="${ns}">${inner}</ns2:${operation}Response>`);
	}

	faultXml(name: string, message: string, detail: Record<string, string> = {}, code = 'Server'): string {
		const p = this.options.envelopePrefix ?? 'env';
		const fields = { ...detail, message };
		const inner = Object.keys(fields)
			.sort()
			.map((key) => `<${key}>${escapeXml(fields[key as keyof typeof fields] ?? '')}</${key}>`)
			.join('');
		return this.envelope(
			`<${p}:Fault><faultcode>${p}:${code}</faultcode><faultstring>${escapeXml(message)}</faultstring><detail><ns1:${name} xmlns:ns1="${ADMIN_NS}">${inner}</ns1:${name}></detail></${p}:Fault>`,
		);
	}

	private tableXml(data: ReportData): string {
		const nil = `<data xmlns:xsi="${XSI}" xsi:nil="true"/>`;
		const values = (row: string[]) => `<values>${row.map((cell) => (cell === '' ? nil : `<data>${escapeXml(cell)}</data>`)).join('')}</values>`;
		return `<return><header>${values(data.header)}</header>${data.rows.map((row) => `<records>${values(row)}</records>`).join('')}</return>`;
	}

	private agentStatesXml(columns: string[], timeZoneMs: number): string {
		const now = Date.now();
		const nil = `<data xmlns:xsi="${XSI}" xsi:nil="true"/>`;
		const cell = (value: string | null) => (value === null ? nil : `<data>${escapeXml(value)}</data>`);
		const valueOf = (agent: MockAgentState, column: string): string | null => {
			switch (column) {
				case 'Username': return agent.username;
				case 'Full Name': return agent.fullName;
				case 'State': return agent.state;
				case 'Reason Code': return agent.reasonCode;
				// Times in the session's zone, a fixed offset in milliseconds (docs/five9.md, "Agent-state statistics").
				case 'State Since': return isoLocal(agent.stateSinceMs + timeZoneMs, 'UTC');
				case 'State Duration': return hms(Math.max(0, Math.floor((now - agent.stateSinceMs) / 1000)));
				case 'Campaign Name': return agent.campaign;
				case 'Call Type': return agent.callType;
				case 'Media Availability': return agent.mediaAvailability;
				default: return null;
			}
		};
		const rows = this.agents.map((agent) => `<rows><values>${columns.map((c) => cell(valueOf(agent, c))).join('')}</values></rows>`).join('');
		return `<return><columns><values>${columns.map((c) => cell(c)).join('')}</values></columns>${rows}<timestamp>${now}</timestamp><type>AgentState</type></return>`;
	}

	/** A listing's `<return>` elements, in the directory's order, XSD element order within each. */
	private directoryXml(operation: string, matches: (name: string) => boolean, campaignType?: string): string {
		const d = this.directory;
		switch (operation) {
			case 'getUsersGeneralInfo':
				return d.users.filter((u) => matches(u.userName)).map((u) => `<return>${userGeneralInfoXml(u)}</return>`).join('');
			case 'getUsersInfo':
				return d.users.filter((u) => matches(u.userName)).map((u) => `<return>${userInfoXml(u)}</return>`).join('');
			case 'getCampaigns':
				return d.campaigns
					.filter((c) => matches(c.name) && (!campaignType || c.type === campaignType))
					.map((c) => `<return>${elements([['description', c.description], ['mode', c.mode], ['name', c.name], ['profileName', c.profileName], ['state', c.state], ['trainingMode', c.trainingMode], ['type', c.type]])}</return>`)
					.join('');
			case 'getSkills':
				return d.skills
					.filter((k) => matches(k.name))
					.map((k) => `<return>${elements([['description', k.description], ['id', k.id], ['messageOfTheDay', k.messageOfTheDay], ['name', k.name], ['routeVoiceMails', k.routeVoiceMails]])}</return>`)
					.join('');
			case 'getAgentGroups':
				return d.agentGroups
					.filter((g) => matches(g.name))
					.map((g) => `<return>${g.agents.map((a) => `<agents>${escapeXml(a)}</agents>`).join('')}${elements([['description', g.description], ['id', g.id], ['name', g.name]])}</return>`)
					.join('');
			default:
				return d.dispositions.filter((x) => matches(x.name)).map((x) => `<return>${dispositionXml(x)}</return>`).join('');
		}
	}

	/**
	 * getCallCountersState's answer (docs/five9.md, "Limits"): one `limitTimeoutState` per window
	 * length, `timeout` in whole seconds (a test's sub-second window reads as 1 s), holding a
	 * `callCounterState` per operation type counted over that window, children in XSD order.
	 */
	private countersXml(): string {
		const byWindow = new Map<number, string[]>();
		for (const state of this.counterStates()) {
			const seconds = Math.max(1, Math.ceil(state.windowMs / 1000));
			const list = byWindow.get(seconds) ?? [];
			list.push(`<callCounterStates><limit>${state.limit}</limit><operationType>${state.operationType}</operationType><value>${state.used}</value></callCounterStates>`);
			byWindow.set(seconds, list);
		}
		return [...byWindow.entries()]
			.sort(([a], [b]) => a - b)
			.map(([seconds, states]) => `<return>${states.join('')}<timeout>${seconds}</timeout></return>`)
			.join('');
	}
}

function windowsOf(limits: MockLimit | MockLimit[] | undefined): MockLimit[] {
	if (!limits) return [];
	return (Array.isArray(limits) ? limits : [limits]).filter((w) => w.limit >= 0 && w.windowMs > 0);
}

/** The pattern argument of each listing method (WSDL v13, docs/five9.md "Directory"). */
const PATTERN_ARGUMENTS: Record<string, string> = {
	getUsersGeneralInfo: 'userNamePattern',
	getUsersInfo: 'userNamePattern',
	getCampaigns: 'campaignNamePattern',
	getSkills: 'skillNamePattern',
	getAgentGroups: 'groupNamePattern',
	getDispositions: 'dispositionNamePattern',
};

/** Child elements in the given order; a null value is left out, as Five9 leaves out empty optional elements. */
function elements(fields: Array<[string, string | number | boolean | null]>): string {
	return fields
		.filter(([, value]) => value !== null)
		.map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
		.join('');
}

function userGeneralInfoXml(u: MockUser): string {
	return elements([
		['active', u.active],
		['canChangePassword', true],
		['EMail', u.email],
		['extension', u.extension || null],
		['firstName', u.firstName],
		['fullName', u.fullName],
		['IEXScheduled', false],
		['id', u.id],
		['lastName', u.lastName],
		['locale', 'en-US'],
	]) +
		// Nested settings and a password field: the node must leave both out of its items.
		'<mediaTypeConfig><mediaTypes><enabled>true</enabled><intlligentRouting>false</intlligentRouting><maxAlowed>1</maxAlowed><type>VOICE</type></mediaTypes></mediaTypeConfig>' +
		elements([
			['mustChangePassword', false],
			['password', '********'],
			['startDate', '2024-01-01T00:00:00.000-08:00'],
			['userName', u.userName],
			['userProfileName', u.userProfileName],
		]);
}

function userInfoXml(u: MockUser): string {
	const roles = u.roles.map((role) => (role === 'agent' ? '<agent><alwaysRecorded>false</alwaysRecorded><attachVmToEmail>false</attachVmToEmail><sendEmailOnVm>false</sendEmailOnVm></agent>' : `<${role}/>`)).join('');
	return (
		u.agentGroups.map((group) => `<agentGroups>${escapeXml(group)}</agentGroups>`).join('') +
		`<generalInfo>${userGeneralInfoXml(u)}</generalInfo>` +
		`<roles>${roles}</roles>` +
		u.skills.map((skill, i) => `<skills><id>${266001 + i}</id><level>1</level><skillName>${escapeXml(skill)}</skillName><userName>${escapeXml(u.userName)}</userName></skills>`).join('')
	);
}

function dispositionXml(x: MockDisposition): string {
	const redial = x.redial;
	const timer = redial
		? `<typeParameters>${elements([['allowChangeTimer', redial.allowChangeTimer], ['attempts', redial.attempts]])}<timer><days>${Math.floor(redial.timerSeconds / 86400)}</days><hours>${Math.floor((redial.timerSeconds % 86400) / 3600)}</hours><minutes>${Math.floor((redial.timerSeconds % 3600) / 60)}</minutes><seconds>${redial.timerSeconds % 60}</seconds></timer>${elements([['useTimer', redial.useTimer]])}</typeParameters>`
		: '';
	return (
		elements([
			['agentMustCompleteWorksheet', x.agentMustCompleteWorksheet],
			['agentMustConfirm', x.agentMustConfirm],
			['description', x.description],
			['name', x.name],
			['resetAttemptsCounter', x.resetAttemptsCounter],
			['sendEmailNotification', x.sendEmailNotification],
			['sendIMNotification', x.sendIMNotification],
			['trackAsFirstCallResolution', x.trackAsFirstCallResolution],
			['type', x.type],
		]) + timer
	);
}

function reasonCodeXml(code: MockReasonCode): string {
	return elements([['enabled', code.enabled], ['name', code.name], ['paidTime', code.paidTime], ['shortcut', code.shortcut], ['type', code.type]]);
}
