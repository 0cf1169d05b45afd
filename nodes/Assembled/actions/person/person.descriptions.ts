import type { INodeProperties } from 'n8n-workflow';

import { sortedOptions } from '../../../shared/options';
import { CHANNEL_OPTIONS, resourceLocator } from '../common.descriptions';

/** The names (and writes) of a person, shared by Person → Create and Update. */
export const nameFields: INodeProperties[] = [
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@example.com',
		default: '',
		description: 'Unique within Assembled; how other operations find the person',
	},
];

/** The fields of a person besides the names, as Assembled returns them on a person (docs/assembled.md). */
export const personFields: INodeProperties[] = [
	{
		displayName: 'Channels',
		name: 'channels',
		type: 'multiOptions',
		options: CHANNEL_OPTIONS,
		default: [],
		description: 'The channels the person works. Replaces the person’s channels.',
	},
	{
		displayName: 'Five9 ID',
		name: 'five9Id',
		type: 'string',
		default: '',
		placeholder: 'e.g. 300000000001 or jdoe@example.com',
		description:
			"The person's Five9 user ID or user name, kept as platforms.five9, which Find by Email and Activity → Create match on. An update keeps the person's other platform IDs.",
	},
	{
		displayName: 'Imported ID',
		name: 'importedId',
		type: 'string',
		default: '',
		description: "The person's ID in another system (Imported ID on Assembled's People page)",
	},
	{
		displayName: 'Other Fields (JSON)',
		name: 'otherFields',
		type: 'json',
		default: '{}',
		description:
			'More fields of the person, sent as they are, e.g. {"start_date": 1767225600}. For what the fields above do not cover; the fields above win over the same name here. An empty list ([]) clears a list.',
	},
	resourceLocator({
		displayName: 'Queues',
		name: 'queues',
		searchListMethod: 'searchQueues',
		description: 'The queues of the person. By ID or By Name take several, separated by commas. Replaces the person’s queues.',
		byName: { placeholder: 'e.g. Sales Inbound, Support Inbound' },
		severalIds: true,
	}),
	{
		displayName: 'Roles',
		name: 'roles',
		type: 'string',
		default: '',
		placeholder: 'e.g. Agent',
		description: 'Role IDs or names, separated by commas (the roles of Settings → Roles in Assembled). Replaces the person’s roles.',
	},
	resourceLocator({
		displayName: 'Site',
		name: 'site',
		searchListMethod: 'searchSites',
		description: 'The site of the person',
		byName: { placeholder: 'e.g. Austin' },
	}),
	resourceLocator({
		displayName: 'Skills',
		name: 'skills',
		searchListMethod: 'searchSkills',
		description: 'The skills of the person. By ID or By Name take several, separated by commas. Replaces the person’s skills.',
		byName: { placeholder: 'e.g. Spanish' },
		severalIds: true,
	}),
	{
		displayName: 'Staffable',
		name: 'staffable',
		type: 'boolean',
		default: true,
		description: 'Whether Assembled counts the person when it staffs schedules and forecasts',
	},
	resourceLocator({
		displayName: 'Teams',
		name: 'teams',
		searchListMethod: 'searchTeams',
		description: 'The teams of the person. By ID or By Name take several, separated by commas. Replaces the person’s teams.',
		byName: { placeholder: 'e.g. Tier 1' },
		severalIds: true,
	}),
	{
		displayName: 'Timezone',
		name: 'timezone',
		type: 'string',
		default: '',
		placeholder: 'e.g. America/Chicago',
		description: 'An IANA time zone name',
	},
];

export function personCollection(name: string, displayName: string, withNames: boolean, show: Record<string, string[]>): INodeProperties {
	return {
		displayName,
		name,
		type: 'collection',
		placeholder: 'Add field',
		displayOptions: { show },
		default: {},
		options: sortedOptions([...(withNames ? nameFields : []), ...personFields]),
	};
}

/** Shown on writes whose body no public source confirms field by field. */
export function unconfirmedNotice(name: string, text: string, show: Record<string, string[]>): INodeProperties {
	return { displayName: text, name, type: 'notice', displayOptions: { show }, default: '' };
}
