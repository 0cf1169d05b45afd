import { AQM_REPORT, aqmReport } from './evaluations';

/**
 * Deterministic report data for the Five9 mock. Calls happen on a fixed grid of instants (call k at
 * k × spacing seconds since 1970), so the rows of any window — and of both its halves — follow from
 * the window alone, and a test can compute what it expects without asking the mock.
 * Local times are formatted with Intl here, independently of the node's own time code.
 */

export interface MockWindow {
	startMs: number;
	endMs: number;
}

export interface ReportData {
	header: string[];
	rows: string[][];
}

export type ReportGenerator = (window: MockWindow, context: { timeZone: string }) => ReportData;

/** Call Log columns in Five9's order; their cell formats are in docs/five9.md, "Report values". */
export const CALL_LOG_COLUMNS = [
	'CALL ID',
	'TIMESTAMP',
	'CAMPAIGN',
	'CALL TYPE',
	'AGENT',
	'AGENT NAME',
	'DISPOSITION',
	'ANI',
	'CUSTOMER NAME',
	'DNIS',
	'CALL TIME',
	'BILL TIME (ROUNDED)',
	'COST',
	'IVR TIME',
	'QUEUE WAIT TIME',
	'RING TIME',
	'TALK TIME',
	'HOLD TIME',
	'PARK TIME',
	'AFTER CALL WORK TIME',
	'TRANSFERS',
	'CONFERENCES',
	'HOLDS',
	'ABANDONED',
	'RECORDINGS',
];

/** Chat/email columns of a custom "Digital Channel Log" (cell formats: docs/five9.md, "Report values"). */
export const DIGITAL_COLUMNS = [
	'SESSION GUID',
	'CREATE DATE',
	'MEDIA TYPE',
	'CAMPAIGN',
	'AGENT NAME',
	'AGENT GROUP',
	'QUEUE TIME',
	'HANDLE TIME',
	'AFTER CHAT WORK',
	'USER',
];

export const MOCK_AGENTS = [
	{ email: 'zoe.muller@acme.example', name: 'Zoë Müller' },
	{ email: 'jose.garcia@acme.example', name: 'José García' },
	{ email: 'jj.oneil@acme.example', name: 'Jean "JJ" O\'Neil' },
	{ email: 'li.wei@acme.example', name: '李 伟' },
	{ email: 'ana.diaz@acme.example', name: 'Diaz, Ana' },
	{ email: 'oyvind.as@acme.example', name: 'Øyvind Ås' },
];

const CAMPAIGNS = ['Support Inbound', 'Sales, Renewals', 'Soporte Español'];
const CALL_TYPES = ['Inbound', 'Inbound', 'Outbound', 'Queue Callback', 'Manual'];
const DISPOSITIONS = ['Resolved', 'Voicemail, left message', 'Transferred To 3rd Party'];

export interface CallFacts {
	k: number;
	callId: string;
	instantMs: number;
	campaign: string;
	callType: string;
	abandoned: boolean;
	agentEmail: string | null;
	agentName: string | null;
	disposition: string;
	ani: string | null;
	customerName: string | null;
	ivrSeconds: number;
	queueSeconds: number;
	ringSeconds: number;
	talkSeconds: number;
	holdSeconds: number;
	acwSeconds: number;
	callSeconds: number;
	billSeconds: number;
	cost: number;
	transfers: number;
	holds: number;
}

/** Everything about call k, as plain values (what a correct conversion must produce). */
export function callFacts(k: number, spacingSeconds: number): CallFacts {
	const abandoned = k % 7 === 3;
	const agent = MOCK_AGENTS[k % MOCK_AGENTS.length];
	const disposition = abandoned ? 'Abandon' : DISPOSITIONS[k % DISPOSITIONS.length];
	const ivrSeconds = 5 + (k % 20);
	const queueSeconds = k % 120;
	const ringSeconds = abandoned ? 0 : 3 + (k % 10);
	const talkSeconds = abandoned ? 0 : 30 + ((k * 37) % 900);
	const holdSeconds = !abandoned && k % 5 === 0 ? k % 60 : 0;
	const acwSeconds = abandoned ? 0 : 10 + (k % 50);
	const callSeconds = ivrSeconds + queueSeconds + ringSeconds + talkSeconds + holdSeconds + acwSeconds;
	const customerNames = ['Acme Corp\nBilling Dept', null, null, 'Müller & Söhne "GmbH" <b>', 'Ærø Fisk, AS'];
	return {
		k,
		callId: String(300000000000000 + k),
		instantMs: k * spacingSeconds * 1000,
		campaign: CAMPAIGNS[k % CAMPAIGNS.length],
		callType: CALL_TYPES[k % CALL_TYPES.length],
		abandoned,
		agentEmail: abandoned ? null : agent.email,
		agentName: abandoned ? null : agent.name,
		disposition,
		// Phone numbers: one in eleven unknown, some with a leading zero that must survive.
		ani: k % 11 === 0 ? null : k % 13 === 0 ? `0044${String(2079460000 + (k % 10000))}` : `555${String(1000000 + ((k * 7919) % 8999999)).padStart(7, '0')}`,
		customerName: customerNames[k % customerNames.length],
		ivrSeconds,
		queueSeconds,
		ringSeconds,
		talkSeconds,
		holdSeconds,
		acwSeconds,
		callSeconds,
		billSeconds: Math.ceil(callSeconds / 60) * 60,
		cost: Math.round(callSeconds * 5) / 10000,
		transfers: disposition.startsWith('Transferred') ? 1 : 0,
		holds: holdSeconds > 0 ? 1 : 0,
	};
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(epochMs: number, timeZone: string): Record<string, string> {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-GB', {
			timeZone,
			weekday: 'short',
			day: '2-digit',
			month: 'short',
			year: 'numeric',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			hourCycle: 'h23',
		});
		formatters.set(timeZone, formatter);
	}
	const parts: Record<string, string> = {};
	for (const part of formatter.formatToParts(new Date(epochMs))) parts[part.type] = part.value;
	return parts;
}

const MONTH_NUMBERS: Record<string, string> = {
	Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06',
	Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12',
};

/** `Mon, 05 Feb 2024 13:45:12` in `timeZone`, as Five9 writes TIMESTAMP. */
export function five9Timestamp(epochMs: number, timeZone: string): string {
	const p = partsIn(epochMs, timeZone);
	// en-GB abbreviates September as "Sept"; Five9 uses three letters.
	return `${p.weekday}, ${p.day} ${p.month.slice(0, 3)} ${p.year} ${p.hour}:${p.minute}:${p.second}`;
}

/** `2024-02-05 12:01:33` in `timeZone`. */
export function isoLocal(epochMs: number, timeZone: string): string {
	const p = partsIn(epochMs, timeZone);
	return `${p.year}-${MONTH_NUMBERS[p.month.slice(0, 3)]}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

export function hms(seconds: number): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}

/** The k of every grid instant in [startMs, endMs), offset by `offsetSeconds`. */
export function gridIndexes(window: MockWindow, spacingSeconds: number, offsetSeconds = 0): number[] {
	const spacingMs = spacingSeconds * 1000;
	const first = Math.ceil((window.startMs - offsetSeconds * 1000) / spacingMs);
	const indexes: number[] = [];
	for (let k = first; k * spacingMs + offsetSeconds * 1000 < window.endMs; k++) indexes.push(k);
	return indexes;
}

export function callLogRow(facts: CallFacts, timeZone: string): string[] {
	return [
		facts.callId,
		five9Timestamp(facts.instantMs, timeZone),
		facts.campaign,
		facts.callType,
		facts.agentEmail ?? '',
		facts.agentName ?? '',
		facts.disposition,
		facts.ani ?? '-',
		facts.customerName ?? (facts.k % 2 === 0 ? '' : '-'),
		'8005550100',
		hms(facts.callSeconds),
		hms(facts.billSeconds),
		facts.cost.toFixed(4),
		hms(facts.ivrSeconds),
		hms(facts.queueSeconds),
		hms(facts.ringSeconds),
		hms(facts.talkSeconds),
		hms(facts.holdSeconds),
		'00:00:00',
		hms(facts.acwSeconds),
		String(facts.transfers),
		'0',
		String(facts.holds),
		facts.abandoned ? '1' : '0',
		facts.abandoned ? '0' : '1',
	];
}

/** Call Log rows of a window: the pure function tests use to know what to expect. */
export function callLogRows(window: MockWindow, timeZone: string, spacingSeconds: number): ReportData {
	return {
		header: CALL_LOG_COLUMNS,
		rows: gridIndexes(window, spacingSeconds).map((k) => callLogRow(callFacts(k, spacingSeconds), timeZone)),
	};
}

export interface DigitalFacts {
	k: number;
	instantMs: number;
	guid: string;
	mediaType: 'Chat' | 'Email';
	agentName: string | null;
	agentEmail: string | null;
	handleSeconds: number;
	queueSeconds: number;
}

/** Digital sessions sit half a spacing after the calls, so windows cut them differently. */
export function digitalFacts(k: number, spacingSeconds: number): DigitalFacts {
	const abandoned = k % 6 === 5;
	return {
		k,
		instantMs: (k * spacingSeconds + Math.floor(spacingSeconds / 2)) * 1000,
		guid: `${(0x5e55 + k).toString(16).toUpperCase().padStart(8, '0')}-7C1A-4D7E-9F00-${String(k).padStart(12, '0')}`,
		mediaType: k % 3 === 0 ? 'Email' : 'Chat',
		agentName: abandoned ? null : MOCK_AGENTS[(k + 2) % MOCK_AGENTS.length].name,
		agentEmail: abandoned ? null : MOCK_AGENTS[(k + 2) % MOCK_AGENTS.length].email,
		handleSeconds: abandoned ? 0 : 60 + ((k * 53) % 1800),
		queueSeconds: 2 + (k % 300),
	};
}

export function digitalRows(window: MockWindow, timeZone: string, spacingSeconds: number): ReportData {
	return {
		header: DIGITAL_COLUMNS,
		rows: gridIndexes(window, spacingSeconds, Math.floor(spacingSeconds / 2)).map((k) => {
			const facts = digitalFacts(k, spacingSeconds);
			return [
				facts.guid,
				five9Timestamp(facts.instantMs, timeZone),
				facts.mediaType,
				facts.mediaType === 'Chat' ? 'Web Chat' : 'Support Email',
				facts.agentName ?? '',
				facts.agentName ? 'Digital, Tier 1' : '',
				hms(facts.queueSeconds),
				hms(facts.handleSeconds),
				facts.agentName ? hms(15) : '00:00:00',
				facts.agentEmail ?? '-',
			];
		}),
	};
}

/** The reports a fresh mock knows, keyed `folder/report` exactly as Five9 names them. */
export function defaultReports(options: { callSpacingSeconds: number; digitalSpacingSeconds: number }): Record<string, ReportGenerator> {
	return {
		'Call Log Reports/Call Log': (window, { timeZone }) => callLogRows(window, timeZone, options.callSpacingSeconds),
		'Digital Channel Reports/Digital Channel Log': (window, { timeZone }) =>
			digitalRows(window, timeZone, options.digitalSpacingSeconds),
		[AQM_REPORT]: aqmReport(),
	};
}

/** RFC 4180 as Five9 writes it: quotes only where needed, a line break after every row. */
export function toFive9Csv(data: ReportData): string {
	const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
	let text = `${data.header.map(cell).join(',')}\n`;
	for (const row of data.rows) text += `${row.map(cell).join(',')}\n`;
	return text;
}
