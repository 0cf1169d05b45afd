/**
 * The body of Person → Create (`POST /v0/people`) and Update (`PATCH /v0/people/{id}`): the
 * fields Assembled returns for a person, under the same names (docs/assembled.md, "Filters, people
 * writes, activity writes, event changes"). Read and checked with zod before anything is sent;
 * teams, sites, queues, skills and roles given by name are turned into ids here.
 */
import type { IDataObject, INode } from 'n8n-workflow';
import { z } from 'zod/v4';

import { rowError } from '../../shared/errors';
import { isBlank } from '../../shared/values';
import { resolveIds, type NamedLists } from './filters';
import { locatorList, locatorValue } from './locators';

/** Channels a person may work; the values of Assembled's conversation channels (docs/assembled.md). */
export const PERSON_CHANNELS = ['back_office', 'chat', 'email', 'phone', 'sms', 'social'] as const;

/** Fields that identify a person: never taken from Other Fields. */
const NOT_WRITABLE = new Set(['id', 'agent_id']);

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function text(max: number) {
	return z.unknown().transform((value, ctx) => {
		if (isBlank(value)) return undefined;
		if (typeof value === 'object') {
			ctx.addIssue({ code: 'custom', message: `must be text, not an ${Array.isArray(value) ? 'array' : 'object'}` });
			return z.NEVER;
		}
		const result = String(value).trim();
		if (result.length > max) ctx.addIssue({ code: 'custom', message: `is longer than ${max} characters` });
		return result;
	});
}

/** A list from a multi-select, an array in an expression, or comma-separated text. */
const list = z.unknown().transform((value) => {
	if (isBlank(value)) return undefined;
	const parts = Array.isArray(value) ? value.map((part) => locatorValue(part)) : locatorList(value);
	return parts.map((part) => part.trim()).filter(Boolean);
});

const locators = z.unknown().transform((value) => (isBlank(locatorValue(value)) ? undefined : locatorList(value)));

const flag = z.unknown().transform((value, ctx) => {
	if (isBlank(value)) return undefined;
	if (typeof value === 'boolean') return value;
	const word = String(value).trim().toLowerCase();
	if (word === 'true') return true;
	if (word === 'false') return false;
	ctx.addIssue({ code: 'custom', message: `must be true or false, got ${JSON.stringify(value)}` });
	return z.NEVER;
});

const jsonObject = z.unknown().transform((value, ctx) => {
	if (isBlank(value)) return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
			return z.NEVER;
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		ctx.addIssue({ code: 'custom', message: 'must be a JSON object, e.g. {"start_date": 1767225600}' });
		return z.NEVER;
	}
	const reserved = Object.keys(parsed).filter((key) => NOT_WRITABLE.has(key));
	if (reserved.length > 0) ctx.addIssue({ code: 'custom', message: `must not set ${reserved.join(', ')}` });
	return parsed as IDataObject;
});

/** What the node's fields hold, by their parameter names. */
const personWriteSchema = z
	.object({
		firstName: text(200),
		lastName: text(200),
		email: text(320),
		importedId: text(255),
		timezone: text(64),
		roles: locators,
		channels: list,
		site: locators,
		teams: locators,
		queues: locators,
		skills: locators,
		staffable: flag,
		five9Id: text(255),
		otherFields: jsonObject,
	})
	.superRefine((value, ctx) => {
		if (value.email !== undefined && !EMAIL_RE.test(value.email)) {
			ctx.addIssue({ code: 'custom', path: ['email'], message: `"${value.email}" is not an email address` });
		}
		if (value.timezone !== undefined && !isTimeZone(value.timezone)) {
			ctx.addIssue({ code: 'custom', path: ['timezone'], message: `"${value.timezone}" is not a time zone (use an IANA name such as America/Chicago)` });
		}
		const unknown = (value.channels ?? []).filter((channel) => !(PERSON_CHANNELS as readonly string[]).includes(channel));
		if (unknown.length > 0) {
			ctx.addIssue({ code: 'custom', path: ['channels'], message: `has unknown channels ${unknown.join(', ')} (known: ${PERSON_CHANNELS.join(', ')})` });
		}
		if ((value.site?.length ?? 0) > 1) ctx.addIssue({ code: 'custom', path: ['site'], message: 'takes one site' });
	});

export type PersonWrite = z.output<typeof personWriteSchema>;

const LABELS: Record<string, string> = {
	firstName: 'First Name',
	lastName: 'Last Name',
	email: 'Email',
	importedId: 'Imported ID',
	timezone: 'Timezone',
	roles: 'Roles',
	channels: 'Channels',
	site: 'Site',
	teams: 'Teams',
	queues: 'Queues',
	skills: 'Skills',
	staffable: 'Staffable',
	five9Id: 'Five9 ID',
	otherFields: 'Other Fields (JSON)',
};

function isTimeZone(zone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

/** The fields of one item, checked; a field at fault makes the item invalid, with every reason. */
export function readPersonWrite(node: INode, fields: IDataObject, itemIndex: number, required: string[] = []): PersonWrite {
	const result = personWriteSchema.safeParse(fields);
	const reasons = result.success ? [] : result.error.issues.map((issue) => `${LABELS[String(issue.path[0])] ?? issue.path.join('.')} ${issue.message}`);
	for (const name of required) {
		if (result.success && result.data[name as keyof PersonWrite] === undefined) reasons.push(`${LABELS[name]} is required`);
	}
	if (!result.success || reasons.length > 0) {
		throw rowError(node, reasons.join('; '), 'invalidItem', { itemIndex });
	}
	return result.data;
}

/** Whether the write sets anything at all. */
export function setsSomething(write: PersonWrite): boolean {
	return Object.entries(write).some(([key, value]) => value !== undefined && !(key === 'otherFields' && Object.keys(value as IDataObject).length === 0));
}

/**
 * The request body: Other Fields first, then the named fields over them. Lists replace the person's
 * lists; the Five9 ID goes into `platforms.five9`, over `currentPlatforms` when given (an update),
 * so the person's other platform ids are sent back unchanged.
 */
export async function toPersonPayload(
	node: INode,
	write: PersonWrite,
	lists: NamedLists,
	itemIndex: number,
	currentPlatforms?: IDataObject | null,
): Promise<IDataObject> {
	const payload: IDataObject = { ...(write.otherFields ?? {}) };
	const put = (key: string, value: unknown) => {
		if (value !== undefined) payload[key] = value as IDataObject[keyof IDataObject];
	};
	put('first_name', write.firstName);
	put('last_name', write.lastName);
	put('email', write.email);
	put('imported_id', write.importedId);
	put('timezone', write.timezone);
	put('channels', write.channels);
	put('staffable', write.staffable);
	if (write.roles) payload.roles = await resolveIds(node, lists, 'roles', write.roles, itemIndex);
	if (write.site) payload.site = (await resolveIds(node, lists, 'sites', write.site, itemIndex))[0];
	if (write.teams) payload.teams = await resolveIds(node, lists, 'teams', write.teams, itemIndex);
	if (write.queues) payload.queues = await resolveIds(node, lists, 'queues', write.queues, itemIndex);
	if (write.skills) payload.skills = await resolveIds(node, lists, 'skills', write.skills, itemIndex);
	if (write.five9Id !== undefined) {
		const given = payload.platforms && typeof payload.platforms === 'object' ? (payload.platforms as IDataObject) : {};
		payload.platforms = { ...(currentPlatforms ?? {}), ...given, five9: write.five9Id };
	}
	return payload;
}
