import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { settingsOf } from '../../../shared/options';
import { runPerItem } from '../../../shared/perItem';
import { locatorValue } from '../../helpers/locators';
import { flattenPerson, listPeople, type AssembledPerson, type FilterNames } from '../../helpers/people';
import { searchable } from '../../helpers/pickLists';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions, resourceLocator, returnAllAndLimit } from '../common.descriptions';

const show = { resource: ['person'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	...returnAllAndLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		displayOptions: { show },
		default: {},
		// Assembled documents no people filters, so the node filters the pages it reads (docs/assembled.md, "Pickers").
		options: [
			resourceLocator({
				displayName: 'Queue',
				name: 'queue',
				searchListMethod: 'searchQueues',
				description: 'Only people in this queue (an ID, or a name by expression)',
			}),
			resourceLocator({
				displayName: 'Site',
				name: 'site',
				searchListMethod: 'searchSites',
				description: 'Only people at this site (an ID, or a name by expression)',
			}),
			resourceLocator({
				displayName: 'Skill',
				name: 'skill',
				searchListMethod: 'searchSkills',
				description: 'Only people with this skill (an ID, or a name by expression)',
			}),
			resourceLocator({
				displayName: 'Team',
				name: 'team',
				searchListMethod: 'searchTeams',
				description: 'Only people in this team (an ID, or a name by expression)',
			}),
		],
	},
	...operationOptions(show, [
		{
			displayName: 'Include Deleted',
			name: 'includeDeleted',
			type: 'boolean',
			default: false,
			description: 'Whether to include people marked as deleted in Assembled',
		},
	]),
];

type Wanted = { ids: string[]; names: Record<string, { name?: string }>; given: string };

/** A person's filter (team, site, queue or skill) given by id or, without regard to case, by name. */
function carries({ ids, names, given }: Wanted): boolean {
	const wanted = searchable(given);
	return ids.some((id) => id === given || searchable(names[id]?.name) === wanted);
}

/** Whether a person passes every filter set; filters left empty pass everyone. */
function filterPeople(filters: IDataObject) {
	const team = locatorValue(filters.team);
	const site = locatorValue(filters.site);
	const queue = locatorValue(filters.queue);
	const skill = locatorValue(filters.skill);
	if (!team && !site && !queue && !skill) return undefined;
	const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
	return (person: AssembledPerson, names: FilterNames) =>
		(!team || carries({ ids: list(person.teams), names: names.teams, given: team })) &&
		(!site || carries({ ids: person.site ? [person.site] : [], names: names.sites, given: site })) &&
		(!queue || carries({ ids: list(person.queues), names: names.queues, given: queue })) &&
		(!skill || carries({ ids: list(person.skills), names: names.skills, given: skill }));
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = settingsOf(this, 0);
	const client = new AssembledClient(this, clientOptionsFrom(options));
	return await runPerItem.call(this, async (itemIndex) => {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const includeDeleted = (this.getNodeParameter('options.includeDeleted', itemIndex, false) as boolean) === true;
		const keep = filterPeople(this.getNodeParameter('filters', itemIndex, {}) as IDataObject);
		const { people, names } = await listPeople(client, { max: limit, includeDeleted, itemIndex, keep });
		return people.map((person) => flattenPerson(person, names));
	});
}
