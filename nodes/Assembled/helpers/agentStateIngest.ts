/**
 * Agent states from another platform as the node sends them to Assembled in bulk. Assembled's
 * public reference confirms the read shape only; the write mirrors it (docs/assembled.md,
 * "Conversations and agent-state ingestion"): the Assembled agent id, the state's name, unix-second
 * start and optional end, and an external id that names the state when it is sent again.
 */
import { z } from 'zod/v4';

import type { AssembledPerson, PeopleDirectory } from './people';
import { wordsFor, type BulkWire } from './bulkDelivery';
import { text, unixSeconds } from './fields';

export const MAX_STATES_PER_REQUEST = 1000;
export const DEFAULT_STATE_BATCH = 500;

export interface AgentStatePayload {
	agent_id: string;
	state: string;
	start_time: number;
	end_time?: number;
	external_id?: string;
}

export const CREATE_AGENT_STATES_WIRE: BulkWire<AgentStatePayload> = {
	method: 'POST',
	path: '/v0/agents/state/bulk',
	bodyKey: 'agent_states',
	noun: 'agent states',
	idField: 'external_id',
	idOf: (payload) => payload.external_id,
	...wordsFor('agent states', 'agent_states', 'external_id'),
};

/** The same state sent twice in one input: the same external id, else the same agent and start. */
export function stateKey(payload: AgentStatePayload): string {
	return payload.external_id ?? `${payload.agent_id}@${payload.start_time}`;
}

export interface AgentStateFields {
	agent_id?: unknown;
	agent_email?: unknown;
	agent_platform_id?: unknown;
	platform?: unknown;
	state?: unknown;
	start_time?: unknown;
	end_time?: unknown;
	external_id?: unknown;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function agentStateSchema(timeZone: string) {
	return z
		.object({
			agent_id: text('agent_id', false, 255),
			agent_email: text('agent_email', false, 320),
			agent_platform_id: text('agent_platform_id', false, 255),
			platform: text('platform', false, 64),
			state: text('state', true, 255),
			start_time: unixSeconds(true, timeZone),
			end_time: unixSeconds(false, timeZone),
			external_id: text('external_id', false, 255),
		})
		.superRefine((value, ctx) => {
			if (value.agent_id === undefined && value.agent_email === undefined && value.agent_platform_id === undefined) {
				ctx.addIssue({ code: 'custom', path: ['agent_id'], message: 'is required (or an agent_email or agent_platform_id to find the agent in Assembled People)' });
			}
			if (value.agent_email !== undefined && !EMAIL_RE.test(value.agent_email)) {
				ctx.addIssue({ code: 'custom', path: ['agent_email'], message: `"${value.agent_email}" is not an email address` });
			}
			if (value.end_time !== undefined && value.start_time !== undefined && value.end_time <= value.start_time) {
				ctx.addIssue({ code: 'custom', path: ['end_time'], message: 'must be after start_time' });
			}
		});
}

export type ParsedAgentState = z.output<ReturnType<typeof agentStateSchema>>;

const schemas = new Map<string, ReturnType<typeof agentStateSchema>>();

export function validateAgentState(
	fields: AgentStateFields,
	timeZone: string,
): { ok: true; state: ParsedAgentState } | { ok: false; reasons: string[] } {
	let schema = schemas.get(timeZone);
	if (!schema) {
		schema = agentStateSchema(timeZone);
		schemas.set(timeZone, schema);
	}
	const result = schema.safeParse(fields);
	if (result.success) return { ok: true, state: result.data };
	return { ok: false, reasons: result.error.issues.map((issue) => `${issue.path.join('.') || 'item'} ${issue.message}`) };
}

/**
 * The Assembled agent of a state given by email or platform id: by email first, then by
 * `platforms.<platform>` and imported id (docs/assembled.md, "Platform ids").
 */
export function agentOfState(
	directory: PeopleDirectory,
	state: ParsedAgentState,
): { person: AssembledPerson; matchedBy: string } | { problem: string } {
	const platform = (state.platform || 'five9').toLowerCase();
	const tries: Array<[string, string, () => AssembledPerson[]]> = [];
	const { agent_email: email, agent_platform_id: platformId } = state;
	if (email) tries.push(['email', email, () => directory.findByEmail(email)]);
	if (platformId) tries.push([`${platform} id`, platformId, () => directory.findByPlatformId(platformId, platform)]);
	// A Five9 username is often the agent's email.
	if (email) tries.push([`${platform} id`, email, () => directory.findByPlatformId(email, platform)]);
	for (const [matchedBy, value, find] of tries) {
		const people = find().filter((person) => person.agent_id);
		if (people.length === 1) return { person: people[0], matchedBy };
		if (people.length > 1) return { problem: `${people.length} agents in Assembled People match ${matchedBy} "${value}"; give agent_id instead` };
	}
	const given = [
		...(state.agent_email ? [`the email "${state.agent_email}"`] : []),
		...(state.agent_platform_id ? [`${platform} id or imported id "${state.agent_platform_id}"`] : []),
	];
	return { problem: `no agent in Assembled People has ${given.join(' or ')}` };
}

export function toAgentStatePayload(state: ParsedAgentState, agentId: string): AgentStatePayload {
	const payload: AgentStatePayload = { agent_id: agentId, state: state.state!, start_time: state.start_time! };
	if (state.end_time !== undefined) payload.end_time = state.end_time;
	if (state.external_id !== undefined) payload.external_id = state.external_id;
	return payload;
}
