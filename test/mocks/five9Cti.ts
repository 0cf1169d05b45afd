/**
 * Five9's side of a CTI event subscription (docs/cti.md, "Trust-token handshake", "API key",
 * "Event shape"): before it saves a subscription it GETs the CTI Call Event Destination and expects
 * the JSON-quoted SHA-256 hex of the trust token; afterwards it POSTs call events with the
 * subscription's API key in a header (`x-api-key` by default; some integrations document
 * `X-F9-APIKEY`).
 */
import { createHash } from 'node:crypto';

/** A CTI call event (docs/cti.md, "Event shape"): an `Accepted` header with a `CallEnded` block, the agent and domain names made up. */
export const FIXTURE_EVENT = {
	header: {
		subscriptionId: '1c64c341f39a48f49437410232cf7bb8',
		orgId: '130736',
		domainId: '130736',
		eventId: '507F52DFCA684C9FAD7B109711E1FC09',
		eventTimestamp: '2022-01-19T16:34:18.517',
		eventGroup: 'InteractionEvent',
		eventName: 'Accepted',
	},
	payload: {
		CallEnded: {
			party: {
				Call: {
					ani: '7122215936',
					dnis: '7122214593',
					list_id: 0,
				},
			},
		},
		attached_variables: {
			'Call.session_id': 'F6A99879178C4E099B0C4172CB0E6743',
			'Call.type_name': 'Inbound',
			'Call.call_id': '962',
			'IVR.last_module': 'SkillTransfer2',
			'Call.type': '2',
			'IVR.error_code': '0000000000000000000',
			'Call.handle_time': '6093',
			'Agent.station_type': 'SOFTPHONE',
			'Call.start_timestamp': '2022-01-19 16:34:07.937',
			'Call.mediatype': 'voice',
			'Call.campaign_name': 'Omnichannel_Campaign',
			'Agent.first_agent': '3911840',
			'Omni.total_body_chars_size': '0',
			'Agent.full_name': 'Ana Diaz',
			'Call.wrapup_time': '0',
			'Call.skill_id': '266184',
			'Call.bill_time': '12000',
			'Call.DNIS': '7122214593',
			'Call.hold_time': '0',
			'Agent.id': '3911840',
			'Call.length': '10529',
			'Call.domain_id': '130736',
			'IVR.error_desc': 'No error',
			'Call.ANI': '7122215936',
			'Agent.user_name': 'ana.diaz1@example.com',
			'Call.park_time': '0',
			'Call.language': 'en-US',
			'Agent.station_id': '2676119',
			'Omni.total_body_bytes_size': '0',
			'Call.queue_time': '1489',
			'Call.number': '7122215936',
			'Omni.email_priority': '0',
			'Call.skill_name': 'Omnichannel_Skill',
			'Call.campaign_id': '1137587',
			'Call.domain_name': 'ExampleDomain',
		},
	},
};

export type CtiEventBody = typeof FIXTURE_EVENT & Record<string, unknown>;

/**
 * The fixture's shape for another call or event: the named event gets its own payload block and
 * header, the attached variables are the fixture's with the given ones replaced.
 */
export function ctiEvent(change: {
	eventName?: string;
	eventId?: string;
	eventTimestamp?: string;
	variables?: Record<string, string>;
	block?: Record<string, unknown>;
}): CtiEventBody {
	const event = structuredClone(FIXTURE_EVENT) as CtiEventBody;
	const eventName = change.eventName ?? event.header.eventName;
	event.header.eventName = eventName;
	if (change.eventId) event.header.eventId = change.eventId;
	if (change.eventTimestamp) event.header.eventTimestamp = change.eventTimestamp;
	const payload = event.payload as Record<string, unknown>;
	if (change.block || change.eventName) {
		delete payload.CallEnded;
		payload[eventName] = change.block ?? structuredClone(FIXTURE_EVENT.payload.CallEnded);
	}
	Object.assign(event.payload.attached_variables, change.variables ?? {});
	return event;
}

export interface SenderResponse {
	status: number;
	contentType: string;
	text: string;
	json: unknown;
}

async function toResponse(response: Response): Promise<SenderResponse> {
	const text = await response.text();
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return {
		status: response.status,
		contentType: response.headers.get('content-type') ?? '',
		text,
		json,
	};
}

export class Five9CtiSender {
	constructor(
		private readonly destination: string,
		private readonly subscription: { trustToken: string; apiKey?: string; apiKeyHeader?: string },
	) {}

	/** The validation GET; `accepted` is Five9's verdict: 200 and the JSON string of the token's SHA-256. */
	async validate(): Promise<SenderResponse & { accepted: boolean }> {
		const response = await toResponse(await fetch(this.destination, { method: 'GET' }));
		const expected = createHash('sha256')
			.update(this.subscription.trustToken, 'utf8')
			.digest('hex');
		const accepted = response.status === 200 && response.json === expected;
		return { ...response, accepted };
	}

	/** POSTs one event (an object is sent as JSON; a string is sent as it is). */
	async post(
		event: unknown,
		options: {
			contentType?: string | null;
			headers?: Record<string, string>;
			apiKey?: string | null;
		} = {},
	): Promise<SenderResponse> {
		const headers: Record<string, string> = {};
		const contentType =
			options.contentType === undefined ? 'application/json' : options.contentType;
		if (contentType) headers['Content-Type'] = contentType;
		const apiKey = options.apiKey === undefined ? this.subscription.apiKey : options.apiKey;
		if (apiKey) headers[this.subscription.apiKeyHeader ?? 'x-api-key'] = apiKey;
		Object.assign(headers, options.headers ?? {});
		const body = typeof event === 'string' ? event : JSON.stringify(event);
		return toResponse(await fetch(this.destination, { method: 'POST', headers, body }));
	}
}
