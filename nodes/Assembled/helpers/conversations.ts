/**
 * Conversations as the node sends them to Assembled in bulk. The request shape is not confirmed by
 * Assembled's public API reference: the fields mirror its conversation upload format (docs/assembled.md,
 * "Conversations and agent-state ingestion"), times in unix seconds like every Assembled time.
 */
import { z } from 'zod/v4';

import type { AssembledPerson, PeopleDirectory } from './people';
import { wordsFor, type BulkWire } from './bulkDelivery';
import { numeric, text, unixSeconds } from './fields';

export const CONVERSATION_CHANNELS = ['phone', 'email', 'chat', 'sms', 'social', 'back_office'] as const;
/** `abandoned` is not in the upload format but is sent by a working API integration (docs/assembled.md). */
export const CONVERSATION_STATUSES = ['open', 'pending', 'solved', 'abandoned'] as const;

/** Assembled's largest batch for conversations is undocumented; the QA endpoint's 1,000 is the cap here. */
export const MAX_CONVERSATIONS_PER_REQUEST = 1000;
export const DEFAULT_CONVERSATION_BATCH = 500;

export interface ConversationPayload {
	import_id: string;
	created_at?: number;
	channel?: string;
	status?: string;
	assignee_import_id?: string;
	first_responded_at?: number;
	solved_at?: number;
	handle_time?: number;
	tags?: string[];
	queue?: string;
}

const base = {
	method: 'POST' as const,
	path: '/v0/conversations/bulk',
	bodyKey: 'conversations',
	noun: 'conversations',
	idField: 'import_id',
	idOf: (payload: ConversationPayload) => payload.import_id,
	...wordsFor('conversations', 'conversations', 'import_id'),
};
export const CREATE_CONVERSATIONS_WIRE: BulkWire<ConversationPayload> = base;
/** Partial updates by import_id: only the fields given are sent. */
export const UPDATE_CONVERSATIONS_WIRE: BulkWire<ConversationPayload> = { ...base, method: 'PATCH' };

/** What the node reads from one input item before validation. */
export interface ConversationFields {
	import_id?: unknown;
	created_at?: unknown;
	channel?: unknown;
	status?: unknown;
	assignee_import_id?: unknown;
	agent_email?: unknown;
	first_responded_at?: unknown;
	solved_at?: unknown;
	handle_time?: unknown;
	tags?: unknown;
	queue?: unknown;
}

function oneOf(values: readonly string[], label: string, required: boolean) {
	return z.unknown().transform((value, ctx) => {
		if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
			if (required) ctx.addIssue({ code: 'custom', message: `is required (one of ${values.join(', ')})` });
			return undefined;
		}
		// "Back Office", "back-office" and "backoffice" all mean back_office.
		const given = String(value).trim().toLowerCase().replace(/[\s-]+/g, '_').replace(/^backoffice$/, 'back_office');
		if (!values.includes(given)) {
			ctx.addIssue({ code: 'custom', message: `"${String(value)}" is not a ${label}; use one of ${values.join(', ')}` });
			return z.NEVER;
		}
		return given;
	});
}

/** Tags as a list, or as text separated by commas. */
const tagList = z.unknown().transform((value, ctx) => {
	if (value === undefined || value === null || value === '') return undefined;
	const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
	if (!parts) {
		ctx.addIssue({ code: 'custom', message: 'must be a list of tags or text separated by commas' });
		return z.NEVER;
	}
	if (parts.some((part) => part !== null && part !== undefined && typeof part === 'object')) {
		ctx.addIssue({ code: 'custom', message: 'must hold text, not objects' });
		return z.NEVER;
	}
	const tags = [...new Set(parts.filter((part) => part !== null && part !== undefined).map((part) => String(part).trim()).filter(Boolean))];
	return tags.length > 0 ? tags : undefined;
});

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function conversationSchema(timeZone: string, mode: 'create' | 'update') {
	const create = mode === 'create';
	return z
		.object({
			import_id: text('import_id', true, 255),
			created_at: unixSeconds(create, timeZone),
			channel: oneOf(CONVERSATION_CHANNELS, 'channel', create),
			status: oneOf(CONVERSATION_STATUSES, 'status', create),
			assignee_import_id: text('assignee_import_id', false, 255),
			agent_email: text('agent_email', false, 320),
			first_responded_at: unixSeconds(false, timeZone),
			solved_at: unixSeconds(false, timeZone),
			handle_time: numeric(false),
			tags: tagList,
			queue: text('queue', false, 255),
		})
		.superRefine((value, ctx) => {
			if (value.agent_email !== undefined && !EMAIL_RE.test(value.agent_email)) {
				ctx.addIssue({ code: 'custom', path: ['agent_email'], message: `"${value.agent_email}" is not an email address` });
			}
			if (value.handle_time !== undefined && !(value.handle_time >= 0)) {
				ctx.addIssue({ code: 'custom', path: ['handle_time'], message: 'must not be negative (seconds)' });
			}
			for (const field of ['first_responded_at', 'solved_at'] as const) {
				const at = value[field];
				if (at !== undefined && value.created_at !== undefined && at < value.created_at) {
					ctx.addIssue({ code: 'custom', path: [field], message: 'is before created_at' });
				}
			}
			if (!create) {
				const changes = Object.entries(value).filter(([field, given]) => field !== 'import_id' && given !== undefined);
				if (changes.length === 0) {
					ctx.addIssue({ code: 'custom', path: ['item'], message: 'has nothing to update besides import_id' });
				}
			}
		});
}

export type ParsedConversation = z.output<ReturnType<typeof conversationSchema>>;

const schemas = new Map<string, ReturnType<typeof conversationSchema>>();

export function validateConversation(
	fields: ConversationFields,
	timeZone: string,
	mode: 'create' | 'update',
): { ok: true; conversation: ParsedConversation } | { ok: false; reasons: string[] } {
	const key = `${mode}:${timeZone}`;
	let schema = schemas.get(key);
	if (!schema) {
		schema = conversationSchema(timeZone, mode);
		schemas.set(key, schema);
	}
	const result = schema.safeParse(fields);
	if (result.success) return { ok: true, conversation: result.data };
	return { ok: false, reasons: result.error.issues.map((issue) => `${issue.path.join('.') || 'item'} ${issue.message}`) };
}

/** The wire payload: fields not given are left out (an update changes only those). */
export function toConversationPayload(conversation: ParsedConversation, assigneeImportId?: string): ConversationPayload {
	const payload: ConversationPayload = { import_id: conversation.import_id! };
	if (conversation.created_at !== undefined) payload.created_at = conversation.created_at;
	if (conversation.channel !== undefined) payload.channel = conversation.channel;
	if (conversation.status !== undefined) payload.status = conversation.status;
	const assignee = conversation.assignee_import_id ?? assigneeImportId;
	if (assignee !== undefined) payload.assignee_import_id = assignee;
	if (conversation.first_responded_at !== undefined) payload.first_responded_at = conversation.first_responded_at;
	if (conversation.solved_at !== undefined) payload.solved_at = conversation.solved_at;
	// Whole seconds, as the upload format gives handle time.
	if (conversation.handle_time !== undefined) payload.handle_time = Math.round(conversation.handle_time);
	if (conversation.tags !== undefined) payload.tags = conversation.tags;
	if (conversation.queue !== undefined) payload.queue = conversation.queue;
	return payload;
}

/**
 * The Imported Id of the agent with this email in Assembled People (Assembled links a conversation
 * to its agent by it: docs/assembled.md). A Five9 username is often the email, so the person's Five9
 * platform id is tried too.
 */
export function assigneeByEmail(
	directory: PeopleDirectory,
	email: string,
): { importId: string; person: AssembledPerson } | { problem: string } {
	let people = directory.findByEmail(email);
	if (people.length === 0) people = directory.findByPlatformId(email, 'five9');
	if (people.length === 0) return { problem: `no agent in Assembled People has the email "${email}"` };
	const withId = people.filter((person) => person.imported_id && String(person.imported_id).trim());
	if (withId.length === 0) {
		return { problem: `the agent with the email "${email}" has no Imported Id in Assembled People, which links conversations to agents` };
	}
	if (withId.length > 1) return { problem: `${withId.length} agents in Assembled People have the email "${email}"` };
	return { importId: String(withId[0].imported_id).trim(), person: withId[0] };
}
