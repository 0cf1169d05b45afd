import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { dedupeKey, parseEvent, toItem } from './helpers/event';
import { coordinator, credentialKey } from '../shared/coordination';
import { firstDelivery } from './helpers/recentEvents';
import { apiKeyProblem, requestCarriesApiKey, trustTokenDigest } from './helpers/secrets';
import { five9CtiTrustToken } from './methods/credentialTest';

const ALL_EVENTS = '*';
const WEBHOOK_PATH = 'call-events';

/** The parts of n8n's response object used here; they are Node's own `ServerResponse` methods. */
interface RawResponse {
	statusCode: number;
	setHeader(name: string, value: string): unknown;
	end(body?: string): unknown;
}

/** Answers the request directly, so n8n neither answers again nor starts a run. */
function answer(res: RawResponse, status: number, body: unknown): IWebhookResponseData {
	res.statusCode = status;
	res.setHeader('Content-Type', 'application/json');
	res.end(JSON.stringify(body));
	return { noWebhookResponse: true };
}

type EventContext = IHookFunctions | IWebhookFunctions;

/**
 * The event names that start the workflow. Version 1 has one list in which All Events (`*`) or no
 * choice means every event; from 1.1 "Which Events" says all or selected, and the list holds only
 * real names. `*` keeps meaning every event in both, as saved workflows have it.
 */
function selectedEventNames(context: EventContext): Set<string> | 'all' {
	const events = (context.getNodeParameter('events', []) as string[]) ?? [];
	const options = context.getNodeParameter('options', {}) as IDataObject;
	if (events.includes(ALL_EVENTS)) return 'all';
	if (context.getNode().typeVersion < 1.1) {
		if (events.length === 0) return 'all';
	} else if (context.getNodeParameter('eventScope', 'selected') === 'all') {
		return 'all';
	}
	const others = String(options.otherEventNames ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	return new Set([...events, ...others]);
}

const EVENT_OPTIONS = [
	{ name: 'Accepted', value: 'Accepted', description: 'An agent accepted the call' },
	{ name: 'Agent Ended', value: 'AgentEnded', description: "The agent's part of the call ended" },
	{ name: 'Call Ended', value: 'CallEnded', description: 'The call is over for every party' },
	{ name: 'Dispositioned', value: 'Dispositioned', description: 'The agent set a disposition' },
];

const FROM_1_1 = { '@version': [{ _cnd: { gte: 1.1 } }] };

export class Five9CtiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Five9 CTI Trigger',
		name: 'five9CtiTrigger',
		icon: { light: 'file:five9Cti.svg', dark: 'file:five9Cti.dark.svg' },
		group: ['trigger'],
		// 1.1 separates "all events" from the list of events; 1 keeps its single list for saved workflows.
		version: [1, 1.1],
		subtitle:
			'={{ $parameter["eventScope"] === "all" || ($parameter["events"] || []).includes("*") || ($parameter["eventScope"] === undefined && ($parameter["events"] || []).length === 0) ? "All call events" : ($parameter["events"] || []).join(", ") }}',
		description:
			'Starts the workflow when Five9 sends a CTI call event (call accepted, call ended, …)',
		defaults: { name: 'Five9 CTI Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'five9CtiApi', required: true, testedBy: 'five9CtiTrustToken' }],
		webhooks: [
			{
				// Five9 validates the destination with a GET before it saves the subscription.
				name: 'setup',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				path: WEBHOOK_PATH,
			},
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: WEBHOOK_PATH,
			},
		],
		properties: [
			{
				displayName:
					"In Five9 Admin, create a MediaStream subscription and paste this node's Production URL as the CTI Call Event Destination. Use the same Trust Token as in the credential; after saving, copy the API key Five9 shows into the credential.",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Validation Only (No API Key Yet)',
				name: 'validationOnly',
				type: 'boolean',
				default: false,
				description:
					'Whether to answer only Five9’s validation of the URL and refuse every event. Five9 shows the API key after it has validated the URL; turn this on for that step, then enter the key in the credential and turn it off.',
			},
			{
				displayName: 'Which Events',
				name: 'eventScope',
				type: 'options',
				displayOptions: { show: FROM_1_1 },
				options: [
					{ name: 'All Events', value: 'all', description: 'Every event the subscription sends' },
					{ name: 'Selected Events', value: 'selected', description: 'Only the events chosen below' },
				],
				// Selected, so that picking "On Call Ended" in n8n's node panel (which sets only the
				// list below) gives a trigger for that event.
				default: 'selected',
				description:
					'Which events start the workflow. Others are acknowledged to Five9 and dropped. Which events Five9 sends at all is set in the subscription.',
			},
			// Listed before the version 1 field: n8n's node panel offers one action per option of
			// the first field named Events.
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				displayOptions: { show: { ...FROM_1_1, eventScope: ['selected'] } },
				// The names seen in Five9 CTI deliveries (docs/cti.md, "Event shape"); others can be
				// typed in under Options.
				options: EVENT_OPTIONS,
				required: true,
				default: [],
				description: 'The events that start the workflow',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				displayOptions: { show: { '@version': [1] } },
				options: [
					EVENT_OPTIONS[0],
					EVENT_OPTIONS[1],
					{
						name: 'All Events',
						value: ALL_EVENTS,
						description: 'Every event the subscription sends',
					},
					EVENT_OPTIONS[2],
					EVENT_OPTIONS[3],
				],
				default: [ALL_EVENTS],
				description:
					'Which events start the workflow. Others are acknowledged to Five9 and dropped. Which events Five9 sends at all is set in the subscription.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Duplicate Window (Minutes)',
						name: 'dedupeWindowMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 10,
						description:
							'A second delivery of the same event (same call, event name and timestamp) within this many minutes is acknowledged but does not start the workflow. 0 turns this off.',
					},
					{
						displayName: 'Include Raw Payload',
						name: 'includeRaw',
						type: 'boolean',
						default: true,
						description: 'Whether to add the body exactly as Five9 sent it, under `raw`',
					},
					{
						displayName: 'Other Event Names',
						name: 'otherEventNames',
						type: 'string',
						default: '',
						placeholder: 'e.g. Transferred, Held',
						description:
							'Comma-separated event names to accept as well, for events not in the list. Ignored when All Events is selected.',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: { five9CtiTrustToken },
	};

	// Five9 subscriptions are created by an administrator in Five9 Admin, not through an API n8n
	// can call with these credentials, so there is nothing to register or remove remotely.
	webhookMethods = {
		default: {
			// Without an API key anyone who learns the URL could start runs: the trigger does not start.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const credentials = await this.getCredentials('five9CtiApi');
				const problem = apiKeyProblem(credentials.apiKey);
				if (problem && this.getNodeParameter('validationOnly', false) !== true) {
					throw new NodeOperationError(this.getNode(), 'The Five9 CTI credential has no API key', { description: problem });
				}
				// A trigger that lets no event through would only acknowledge and drop.
				const selected = selectedEventNames(this);
				if (selected !== 'all' && selected.size === 0) {
					throw new NodeOperationError(this.getNode(), 'No events are selected', {
						description: 'Choose the events under Events, or set Which Events to All Events.',
					});
				}
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject() as unknown as RawResponse;
		const credentials = await this.getCredentials('five9CtiApi');
		const trustToken = typeof credentials.trustToken === 'string' ? credentials.trustToken : '';
		const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';

		if (this.getWebhookName() === 'setup') {
			// Any answer but the digest makes Five9 refuse the subscription, which is the right outcome.
			if (!trustToken)
				return answer(res, 500, { error: 'No trust token is set in the n8n credential' });
			// Five9 wants a JSON string literal of the digest, quotes included (docs/cti.md,
			// "Trust-token handshake").
			return answer(res, 200, trustTokenDigest(trustToken));
		}

		if (!apiKey) {
			// Validation only: Five9 has not issued the key yet, so no delivery can be trusted.
			return answer(res, 401, { error: 'No API key is set in n8n yet; events are refused' });
		}
		if (
			!requestCarriesApiKey(
				this.getHeaderData() as Record<string, string | string[] | undefined>,
				apiKey,
			)
		) {
			return answer(res, 401, { error: 'Missing or wrong API key' });
		}

		const request = this.getRequestObject() as unknown as { rawBody?: Buffer };
		const parsed = parseEvent(this.getBodyData(), request.rawBody);
		if (!parsed.ok) return answer(res, 400, { error: parsed.reason });
		const { event, body } = parsed;

		const selected = selectedEventNames(this);
		if (selected !== 'all' && !selected.has(event.header.eventName)) {
			return { webhookResponse: { received: true, started: false, reason: 'event not selected' } };
		}

		const options = this.getNodeParameter('options', {}) as IDataObject;
		const windowMinutes =
			options.dedupeWindowMinutes === undefined ? 10 : Number(options.dedupeWindowMinutes);
		const key = dedupeKey(event);
		if (key) {
			const node = this.getNode();
			const scope = `${this.getWorkflow().id ?? ''}:${node.id}:${this.getMode() === 'manual' ? 'test' : 'production'}`;
			// Several webhook processes (queue mode) share one memory in Redis; one n8n keeps its own.
			const shared = await coordinator((message) => this.logger.warn(message));
			const windowMs = windowMinutes * 60_000;
			const first =
				shared.kind === 'redis' && windowMs > 0
					? await shared.remember(credentialKey('cti-delivery', { scope, key }), windowMs)
					: firstDelivery(scope, key, windowMs);
			if (!first) {
				return {
					webhookResponse: { received: true, started: false, reason: 'duplicate delivery' },
				};
			}
		}

		const includeRaw = options.includeRaw === undefined ? true : options.includeRaw === true;
		return {
			webhookResponse: { received: true, started: true },
			workflowData: [[{ json: toItem(event, body, includeRaw) }]],
		};
	}
}
