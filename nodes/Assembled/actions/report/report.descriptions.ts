import type { INodeProperties } from 'n8n-workflow';

import { versionedOptions, type Show } from '../../../shared/options';
import { resourceLocator, transportOptionFields } from '../common.descriptions';

/**
 * How long a report may take and how often it is polled: developer settings, under Options in
 * version 1 and Advanced later. The defaults equal `DEFAULT_REPORT_SETTINGS` (helpers/reports.ts).
 */
export const reportAdvancedFields: INodeProperties[] = [
	{
		displayName: 'Max Wait (Seconds)',
		name: 'maxWaitSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 600,
		description:
			'Longest wait for Assembled to finish the report. A report still running then fails naming its ID, so Report → Get can read it later.',
	},
	{
		displayName: 'Poll Interval (Ms)',
		name: 'pollIntervalMs',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1000,
		description: 'First wait before asking again whether the report is complete; it doubles after each poll, up to 30 seconds',
	},
];

const agentDetails: INodeProperties = {
	displayName: 'Agent Details',
	name: 'agentDetails',
	type: 'boolean',
	default: true,
	description:
		"Whether to add each row's agent name and email from Assembled People (one read of the people list per execution)",
};

/** Options (Agent Details) and Advanced (polling, then retries, timeouts and pacing) of a report operation. */
export function reportOptions(show: Show): INodeProperties[] {
	return versionedOptions(show, [agentDetails], [...reportAdvancedFields, ...transportOptionFields]);
}

/**
 * Filters on the rows' agents. Assembled documents no filter fields for reports, so the node
 * applies them to the rows it reads (docs/assembled.md, "Reports").
 */
export function reportFilters(show: Show): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		displayOptions: { show },
		default: {},
		description: "Applied by the node to each row's agent, using the agent's teams, site and queues in Assembled People",
		options: [
			resourceLocator({
				displayName: 'Agent',
				name: 'agentIds',
				searchListMethod: 'searchAgents',
				description: 'Only rows of this agent. By ID takes several Assembled agent IDs separated by commas.',
				severalIds: true,
			}),
			resourceLocator({
				displayName: 'Queue',
				name: 'queueIds',
				searchListMethod: 'searchQueues',
				description: 'Only rows of agents in this queue. By ID takes several IDs separated by commas.',
				severalIds: true,
			}),
			resourceLocator({
				displayName: 'Site',
				name: 'siteIds',
				searchListMethod: 'searchSites',
				description: 'Only rows of agents at this site. By ID takes several IDs separated by commas.',
				severalIds: true,
			}),
			resourceLocator({
				displayName: 'Team',
				name: 'teamIds',
				searchListMethod: 'searchTeams',
				description: 'Only rows of agents in this team. By ID takes several IDs separated by commas.',
				severalIds: true,
			}),
		],
	};
}
