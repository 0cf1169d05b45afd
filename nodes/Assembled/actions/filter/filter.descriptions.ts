import type { INodeProperties } from 'n8n-workflow';

import type { Show } from '../../../shared/options';

/** Which of Assembled's four filters an operation works on (docs/assembled.md, "Filters, people writes, activity writes, event changes"). */
export function filterTypeField(show: Show): INodeProperties {
	return {
		displayName: 'Filter Type',
		name: 'filterType',
		type: 'options',
		displayOptions: { show },
		options: [
			{ name: 'Queue', value: 'queue' },
			{ name: 'Site', value: 'site' },
			{ name: 'Skill', value: 'skill' },
			{ name: 'Team', value: 'team' },
		],
		default: 'team',
		description: 'Queues, sites, teams and skills are the four ways Assembled groups people and work',
	};
}
