/**
 * Five9's directory (docs/five9.md, "Directory"): users, campaigns, skills, agent groups,
 * dispositions and reason codes as flat items, read with the Configuration Web Services methods
 * that list them. The listing methods differ only in their name, the name of their pattern
 * argument and the fields of their answer, so one table describes them.
 */
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import { asNodeError } from '../../shared/errors';
import { settingsOf } from '../../shared/options';
import { runPerItem } from '../../shared/perItem';
import {
	childElement,
	childElements,
	clientOptionsFrom,
	faultNameOf,
	Five9Client,
	type XmlElement,
	type XmlValue,
} from '../transport';

type FieldType = 'text' | 'boolean' | 'number' | 'list';

interface Field {
	/** The element's local name in Five9's answer. */
	element: string;
	/** The output key, when it differs from the element's name. */
	key?: string;
	type?: FieldType;
}

export type DirectoryResource = 'user' | 'campaign' | 'skill' | 'agentGroup' | 'disposition';

interface Listing {
	method: string;
	/** The method's name-pattern argument, a regular expression on the names. */
	patternArgument: string;
	/** Readable names first, then the rest; elements not listed (a password, nested settings) are left out. */
	fields: Field[];
	/** Fields read from nested elements, flattened. */
	nested?: (element: XmlElement) => IDataObject;
}

// Field lists follow the XSD types of WSDL v13 (docs/five9.md, "Directory").
const USER_FIELDS: Field[] = [
	{ element: 'userName' },
	{ element: 'fullName' },
	{ element: 'firstName' },
	{ element: 'lastName' },
	{ element: 'EMail', key: 'email' },
	{ element: 'id' },
	{ element: 'active', type: 'boolean' },
	{ element: 'extension' },
	{ element: 'userProfileName' },
	{ element: 'federationId' },
	{ element: 'osLogin' },
	{ element: 'unifiedCommunicationId' },
	{ element: 'phoneNumber' },
	{ element: 'locale' },
	{ element: 'startDate' },
	{ element: 'canChangePassword', type: 'boolean' },
	{ element: 'mustChangePassword', type: 'boolean' },
	{ element: 'IEXScheduled', key: 'iexScheduled', type: 'boolean' },
];

export const LISTINGS: Record<DirectoryResource, Listing> = {
	user: { method: 'getUsersGeneralInfo', patternArgument: 'userNamePattern', fields: USER_FIELDS },
	campaign: {
		method: 'getCampaigns',
		patternArgument: 'campaignNamePattern',
		fields: [
			{ element: 'name' },
			{ element: 'type' },
			{ element: 'state' },
			{ element: 'mode' },
			{ element: 'description' },
			{ element: 'profileName' },
			{ element: 'trainingMode', type: 'boolean' },
		],
	},
	skill: {
		method: 'getSkills',
		patternArgument: 'skillNamePattern',
		fields: [
			{ element: 'name' },
			{ element: 'id' },
			{ element: 'description' },
			{ element: 'messageOfTheDay' },
			{ element: 'routeVoiceMails', type: 'boolean' },
		],
	},
	agentGroup: {
		method: 'getAgentGroups',
		patternArgument: 'groupNamePattern',
		fields: [{ element: 'name' }, { element: 'id' }, { element: 'description' }, { element: 'agents', type: 'list' }],
	},
	disposition: {
		method: 'getDispositions',
		patternArgument: 'dispositionNamePattern',
		fields: [
			{ element: 'name' },
			{ element: 'type' },
			{ element: 'description' },
			{ element: 'agentMustCompleteWorksheet', type: 'boolean' },
			{ element: 'agentMustConfirm', type: 'boolean' },
			{ element: 'resetAttemptsCounter', type: 'boolean' },
			{ element: 'sendEmailNotification', type: 'boolean' },
			{ element: 'sendIMNotification', key: 'sendImNotification', type: 'boolean' },
			{ element: 'trackAsFirstCallResolution', type: 'boolean' },
		],
		nested: redialSettings,
	},
};

/** A redial disposition's `typeParameters{useTimer, timer{days, hours, minutes, seconds}, allowChangeTimer, attempts}`. */
function redialSettings(element: XmlElement): IDataObject {
	const params = childElement(element, 'typeParameters');
	// The same keys on every disposition, so the items line up as rows.
	if (!params) return { useTimer: null, timerSeconds: null, allowChangeTimer: null, attempts: null };
	const timer = childElement(params, 'timer');
	const part = (name: string) => Number(childElement(timer, name)?.text ?? 0) || 0;
	return {
		useTimer: valueOf(childElements(params, 'useTimer'), 'boolean'),
		timerSeconds: timer ? ((part('days') * 24 + part('hours')) * 60 + part('minutes')) * 60 + part('seconds') : null,
		allowChangeTimer: valueOf(childElements(params, 'allowChangeTimer'), 'boolean'),
		attempts: valueOf(childElements(params, 'attempts'), 'number'),
	};
}

const REASON_CODE_FIELDS: Field[] = [
	{ element: 'name' },
	{ element: 'type' },
	{ element: 'enabled', type: 'boolean' },
	{ element: 'paidTime', type: 'boolean' },
	{ element: 'shortcut', type: 'number' },
];

/** Five9's `reasonCodeType` values. */
export const REASON_CODE_TYPES = ['NotReady', 'Logout'] as const;
export type ReasonCodeType = (typeof REASON_CODE_TYPES)[number];

/** Five9's `campaignType` values. */
export const CAMPAIGN_TYPES = ['INBOUND', 'OUTBOUND', 'AUTODIAL'] as const;

function valueOf(elements: XmlElement[], type: FieldType): IDataObject[string] {
	if (type === 'list') return elements.filter((element) => !element.nil).map((element) => element.text);
	const [element] = elements;
	if (!element || element.nil) return null;
	if (type === 'boolean') return element.text.trim() === 'true';
	if (type === 'number') {
		const number = Number(element.text.trim());
		return element.text.trim() !== '' && Number.isFinite(number) ? number : element.text;
	}
	return element.text;
}

/** One `<return>` element as a flat item; ids stay text, as evaluations carry them. */
export function entryFrom(element: XmlElement, fields: Field[]): IDataObject {
	const entry: IDataObject = {};
	for (const field of fields) entry[field.key ?? field.element] = valueOf(childElements(element, field.element), field.type ?? 'text');
	return entry;
}

/** `.*` is how Five9's reference asks for all; an empty pattern is not documented for every method. */
export function namePattern(text: string): string {
	return text.trim() === '' ? '.*' : text.trim();
}

const ROLES = ['admin', 'agent', 'supervisor', 'reporting', 'crmManager'];

/** A `userInfo`: its general info, the roles it has, its agent groups and skills. */
function userInfoEntry(element: XmlElement): IDataObject {
	const entry = entryFrom(childElement(element, 'generalInfo') ?? element, USER_FIELDS);
	const roles = childElement(element, 'roles');
	entry.roles = ROLES.filter((role) => childElement(roles, role) !== undefined);
	entry.agentGroups = childElements(element, 'agentGroups')
		.filter((group) => !group.nil)
		.map((group) => group.text);
	entry.skills = childElements(element, 'skills')
		.map((skill) => childElement(skill, 'skillName')?.text)
		.filter((name): name is string => !!name);
	return entry;
}

export interface ListOptions {
	pattern: string;
	itemIndex?: number;
	/** Further arguments after the pattern, e.g. `campaignType`. */
	extra?: Record<string, XmlValue>;
	/** Users only: `getUsersInfo` instead, whose answer also has roles, agent groups and skills. */
	withRoles?: boolean;
}

/** Every entry whose name matches the pattern, in Five9's order. */
export async function listDirectory(client: Five9Client, resource: DirectoryResource, options: ListOptions): Promise<IDataObject[]> {
	const listing = LISTINGS[resource];
	const withRoles = resource === 'user' && options.withRoles === true;
	const method = withRoles ? 'getUsersInfo' : listing.method;
	const answer = await client.call('admin', method, { [listing.patternArgument]: namePattern(options.pattern), ...options.extra }, {
		itemIndex: options.itemIndex,
	});
	return childElements(answer, 'return').map((element) =>
		withRoles ? userInfoEntry(element) : { ...entryFrom(element, listing.fields), ...listing.nested?.(element) },
	);
}

export interface ReasonCodeLookup {
	found: IDataObject[];
	/** Names Five9 knows under none of the asked types. */
	missing: string[];
}

/**
 * Reason codes by name: Five9 has no method that lists them, only `getReasonCodeByType(name,
 * type)` for one (docs/five9.md, "Directory"). A name unknown for a type answers
 * ObjectNotFoundFault, which here only means "not of this type".
 */
export async function reasonCodesByName(
	node: INode,
	client: Five9Client,
	names: string[],
	types: readonly ReasonCodeType[],
	itemIndex?: number,
): Promise<ReasonCodeLookup> {
	const found: IDataObject[] = [];
	const missing: string[] = [];
	for (const name of names) {
		let any = false;
		for (const type of types) {
			let answer: XmlElement;
			try {
				answer = await client.call('admin', 'getReasonCodeByType', { reasonCodeName: name, type }, { itemIndex });
			} catch (error) {
				if (faultNameOf(error) === 'ObjectNotFoundFault') continue;
				throw asNodeError(node, error, itemIndex);
			}
			const element = childElement(answer, 'return');
			if (!element) continue;
			found.push(entryFrom(element, REASON_CODE_FIELDS));
			any = true;
		}
		if (!any) missing.push(name);
	}
	return { found, missing };
}

/**
 * Get Many of a listing resource, per input item: the Filters' name pattern (and what `extra`
 * reads from them), then Return All or Limit. Five9 answers each listing whole, so Limit only
 * trims the output.
 */
export async function executeListing(
	this: IExecuteFunctions,
	resource: DirectoryResource,
	extra: (filters: IDataObject, options: IDataObject) => Omit<ListOptions, 'pattern' | 'itemIndex'> = () => ({}),
): Promise<INodeExecutionData[]> {
	const client = new Five9Client(this, clientOptionsFrom(settingsOf(this, 0)));
	return await runPerItem.call(this, async (itemIndex) => {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const options = settingsOf(this, itemIndex);
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? Infinity : Math.max(1, Number(this.getNodeParameter('limit', itemIndex, 50)) || 50);
		const entries = await listDirectory(client, resource, {
			pattern: String(filters.namePattern ?? ''),
			itemIndex,
			...extra(filters, options),
		});
		return entries.slice(0, limit);
	});
}

/** Regular-expression characters in a name, escaped: Five9's name arguments are patterns matched against whole names. */
function exactPattern(name: string): string {
	return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The user names in the agent group of exactly this name; undefined when Five9 has no such group. */
export async function agentGroupMembers(client: Five9Client, name: string, itemIndex?: number): Promise<string[] | undefined> {
	const groups = await listDirectory(client, 'agentGroup', { pattern: exactPattern(name), itemIndex });
	const group = groups.find((entry) => entry.name === name);
	return group ? ((group.agents as string[] | undefined) ?? []) : undefined;
}
