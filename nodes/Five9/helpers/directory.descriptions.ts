/**
 * The fields every directory listing (User, Campaign, Skill, Agent Group, Disposition → Get Many)
 * shows, read back by `executeListing` (directory.ts). Here rather than under `actions/`, since
 * operations never import each other.
 */
import type { INodeProperties } from 'n8n-workflow';

import { sortedOptions, type Show } from '../../shared/options';

/** Return All, Limit and a Filters collection holding the name pattern and `moreFilters`. */
export function listingFields(show: Show, noun: string, moreFilters: INodeProperties[] = []): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			displayOptions: { show },
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			displayOptions: { show: { ...show, returnAll: [false] } },
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
		},
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			displayOptions: { show },
			default: {},
			options: sortedOptions([
				{
					displayName: 'Name Pattern',
					name: 'namePattern',
					type: 'string',
					default: '',
					placeholder: 'Support.*',
					description: `Regular expression Five9 matches against the ${noun} names, e.g. Support.* for the names starting with Support, or one name exactly. Put a backslash before . ( ) [ ] + ? * to match them as they are. Empty lists all.`,
				},
				...moreFilters,
			]),
		},
	];
}
