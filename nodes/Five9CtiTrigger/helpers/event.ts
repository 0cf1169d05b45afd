import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod/v4';

/** A missing value and a value of the wrong type get different words. */
const requiredOr = (wrongType: string) => (issue: { input?: unknown }) =>
	issue.input === undefined ? 'is required' : wrongType;

/**
 * A Five9 CTI call event as POSTed to the CTI Call Event Destination (docs/cti.md, "Event
 * shape"): a `header` naming the event, and a `payload` with one block per event name plus
 * `attached_variables` (flat `Group.field` keys, all strings). Only what the trigger relies on is
 * required.
 */
const eventSchema = z.looseObject(
	{
		header: z.looseObject(
			{
				eventName: z.string({ error: requiredOr('must be text') }).trim().min(1, 'is required'),
				eventTimestamp: z.string({ error: 'must be text' }).optional(),
			},
			{ error: requiredOr('must be an object') },
		),
		payload: z
			.looseObject(
				{
					attached_variables: z
						.record(z.string(), z.unknown(), { error: 'must be an object' })
						.optional(),
				},
				{ error: 'must be an object' },
			)
			.optional(),
	},
	{ error: 'must be a JSON object' },
);

export type CtiEvent = z.infer<typeof eventSchema>;

export type ParsedEvent =
	| { ok: true; event: CtiEvent; body: IDataObject }
	| { ok: false; reason: string };

/**
 * Reads the event from what n8n hands the node: an already parsed JSON body, a text body, or the
 * raw bytes when the sender gave no usable Content-Type.
 */
export function parseEvent(body: unknown, rawBody: Buffer | undefined): ParsedEvent {
	let value: unknown = body;
	const bodyIsEmptyObject =
		typeof body === 'object' &&
		body !== null &&
		!Array.isArray(body) &&
		Object.keys(body).length === 0;
	if (
		typeof body === 'string' ||
		body === undefined ||
		body === null ||
		(bodyIsEmptyObject && rawBody?.length)
	) {
		const text = typeof body === 'string' ? body : (rawBody?.toString('utf8') ?? '');
		if (text.trim() === '')
			return { ok: false, reason: 'The body is empty: expected a Five9 CTI event as JSON' };
		try {
			value = JSON.parse(text);
		} catch {
			return { ok: false, reason: 'The body is not valid JSON' };
		}
	}
	const result = eventSchema.safeParse(value);
	if (!result.success) {
		const issue = result.error.issues[0];
		const where = issue.path.length ? issue.path.join('.') : 'body';
		return { ok: false, reason: `${where} ${issue.message}` };
	}
	return { ok: true, event: result.data, body: value as IDataObject };
}

/** Attached-variable groups that get their own top-level field on the item. */
const TOP_LEVEL_GROUPS = new Set(['call', 'agent']);

/**
 * Splits `Group.field` attached variables into one object per group, the group name lowercased
 * and the field kept as Five9 spells it: `Call.session_id` → `call.session_id`,
 * `Agent.user_name` → `agent.user_name`, `IVR.last_module` → `ivr.last_module`. A key without a
 * dot goes to the group `other`. Built from entries, so a hostile `__proto__` key stays data.
 */
export function groupAttachedVariables(
	variables: Record<string, unknown>,
): Map<string, IDataObject> {
	const groups = new Map<string, Map<string, unknown>>();
	for (const [key, value] of Object.entries(variables)) {
		const dot = key.indexOf('.');
		const group = dot > 0 ? key.slice(0, dot).toLowerCase() : 'other';
		const field = dot > 0 ? key.slice(dot + 1) : key;
		if (!groups.has(group)) groups.set(group, new Map());
		groups.get(group)!.set(field, value);
	}
	return new Map(
		[...groups].map(([group, fields]) => [group, Object.fromEntries(fields) as IDataObject]),
	);
}

/**
 * The item the trigger emits for one event:
 * - the header fields as they came (`eventName`, `eventTimestamp`, `eventId`, `eventGroup`,
 *   `subscriptionId`, `orgId`, `domainId`, …);
 * - `call` and `agent`: the `Call.*` and `Agent.*` attached variables;
 * - `variables`: every other attached-variable group (`ivr`, `omni`, custom groups);
 * - `event`: the event-specific block `payload.<eventName>` (null when the payload has none);
 * - `raw`: the body exactly as received, when asked for.
 */
export function toItem(event: CtiEvent, body: IDataObject, includeRaw: boolean): IDataObject {
	const header = event.header as IDataObject;
	const payload = (event.payload ?? {}) as IDataObject;
	const groups = groupAttachedVariables(
		(event.payload?.attached_variables ?? {}) as Record<string, unknown>,
	);
	const others = [...groups].filter(([group]) => !TOP_LEVEL_GROUPS.has(group));
	const eventName = event.header.eventName;
	const block = Object.prototype.hasOwnProperty.call(payload, eventName)
		? payload[eventName]
		: undefined;
	const item: IDataObject = Object.fromEntries(Object.entries(header));
	item.eventName = eventName;
	item.call = groups.get('call') ?? {};
	item.agent = groups.get('agent') ?? {};
	item.variables = Object.fromEntries(others);
	item.event = (block ?? null) as IDataObject | null;
	if (includeRaw) item.raw = body;
	return item;
}

/**
 * What makes two deliveries the same event: the call (session id and call id), the event name
 * and its timestamp. Without any call id, Five9's own event id stands in; with neither, there is
 * nothing reliable to compare and the event is never treated as a duplicate.
 */
export function dedupeKey(event: CtiEvent): string | undefined {
	const variables = (event.payload?.attached_variables ?? {}) as Record<string, unknown>;
	const text = (value: unknown) =>
		typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	const sessionId = text(variables['Call.session_id']);
	const callId = text(variables['Call.call_id']);
	const eventId = text((event.header as IDataObject).eventId);
	const call = sessionId || callId ? `${sessionId}/${callId}` : eventId ? `event:${eventId}` : '';
	if (!call) return undefined;
	return JSON.stringify([call, event.header.eventName, event.header.eventTimestamp ?? '']);
}
