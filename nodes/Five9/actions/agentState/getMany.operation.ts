import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../../shared/errors';
import { parseDecimal } from '../../../shared/numbers';
import { settingsOf } from '../../../shared/options';
import { locatorText } from '../../../shared/parameters';
import { runPerItem } from '../../../shared/perItem';
import { zoneOffsetMs } from '../../../shared/time';
import { childElement, childElements, clientOptionsFrom, faultNameOf, Five9Client, type XmlElement } from '../../transport';
import { agentGroupMembers } from '../../helpers/directory';
import { columnConverters, convertOptionsFrom } from '../../helpers/values';
import { conversionOptionFields, directoryLocator, operationOptions, timeZoneOptionField } from '../common.descriptions';

const show = { resource: ['agentState'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		displayOptions: { show },
		default: {},
		options: [
			directoryLocator({
				displayName: 'Agent Group',
				name: 'agentGroup',
				searchListMethod: 'searchAgentGroups',
				description: 'Only the agents of this agent group (its members in Five9’s directory)',
				placeholder: 'e.g. Support Team',
			}),
			directoryLocator({
				displayName: 'User',
				name: 'user',
				searchListMethod: 'searchUsers',
				description: 'Only this agent, by Five9 user name',
				placeholder: 'e.g. jane.doe@example.com',
			}),
		],
	},
	...operationOptions(show, [
		{
			displayName: 'Columns',
			name: 'columns',
			type: 'string',
			default: '',
			placeholder: 'Username, Full Name, State, Reason Code, State Since, State Duration',
			description: 'Comma-separated statistics columns to ask for (case-sensitive). Empty asks for all.',
		},
		{
			displayName: 'Skip Logged Out Agents',
			name: 'skipLoggedOut',
			type: 'boolean',
			default: false,
			description: 'Whether to leave out agents whose state is Logged Out',
		},
		timeZoneOptionField,
		...conversionOptionFields,
	]),
];

const LOGGED_OUT = new Set(['logged out', 'logout']);

function cells(row: XmlElement | undefined): Array<string | null> {
	return childElements(childElement(row, 'values'), 'data').map((data) => (data.nil ? null : data.text));
}

/**
 * Supervisor statistics (docs/five9.md, "Agent-state statistics"): a session first, then one
 * `getStatistics` of type AgentState, one item per agent. Times come back in the session's zone,
 * which is set to the report time zone.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = new Five9Client(this, clientOptionsFrom(settingsOf(this, 0)));
	let sessionReady = false;

	const startSession = async (itemIndex: number) => {
		const { timeZone } = await client.settings();
		await client.call(
			'supervisor',
			'setSessionParameters',
			{
				viewSettings: {
					appType: 'n8n',
					forceLogoutSession: false,
					idleTimeOut: 60,
					rollingPeriod: 'Minutes5',
					shiftStart: 0,
					statisticsRange: 'CurrentDay',
					// Milliseconds from UTC (docs/five9.md, "Agent-state statistics").
					timeZone: zoneOffsetMs(Date.now(), timeZone),
				},
			},
			{ itemIndex },
		);
		sessionReady = true;
	};

	/** Lower-case user names the filters allow; undefined when no filter is set. */
	const agentsWanted = async (itemIndex: number): Promise<Set<string> | undefined> => {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const group = locatorText(filters.agentGroup);
		const user = locatorText(filters.user);
		if (!group && !user) return undefined;
		let names = user ? [user] : undefined;
		if (group) {
			const members = await agentGroupMembers(client, group, itemIndex);
			if (!members) {
				throw new NodeOperationError(this.getNode(), `Five9 has no agent group named "${group}"`, {
					itemIndex,
					description: 'Agent group names are case-sensitive; pick the group from the list.',
				});
			}
			names = names ? names.filter((name) => members.some((member) => member.toLowerCase() === name.toLowerCase())) : members;
		}
		return new Set(names!.map((name) => name.toLowerCase()));
	};

	return await runPerItem.call(this, async (itemIndex) => {
		const options = settingsOf(this, itemIndex);
		const { timeZone } = await client.settings();
		const columns = String(options.columns ?? '')
			.split(',')
			.map((column) => column.trim())
			.filter(Boolean);
		const params = {
			statisticType: 'AgentState',
			columnNames: columns.length ? { values: { data: columns } } : undefined,
		};
		if (!sessionReady) await startSession(itemIndex);
		let response: XmlElement;
		try {
			response = await client.call('supervisor', 'getStatistics', params, { itemIndex });
		} catch (error) {
			// A session can lapse between calls: start it once more.
			if (faultNameOf(error) !== 'SessionNotInitializedFault') throw asNodeError(this.getNode(), error, itemIndex);
			await startSession(itemIndex);
			response = await client.call('supervisor', 'getStatistics', params, { itemIndex });
		}
		const statistics = childElement(response, 'return');
		if (!statistics) return [];
		const header = cells(childElement(statistics, 'columns')).map((name) => name ?? '');
		if (header.length === 0) {
			throw new NodeApiError(this.getNode(), { message: 'No columns' }, {
				message: 'Five9 sent agent statistics without column names',
				itemIndex,
			});
		}
		const converters = columnConverters(header, convertOptionsFrom(options), timeZone);
		// An xs:long of epoch milliseconds.
		const timestamp = parseDecimal(statistics.children.find((child) => child.name === 'timestamp')?.text);
		const snapshotAt = timestamp !== undefined && timestamp > 0 ? new Date(timestamp).toISOString() : null;
		const stateIndex = header.indexOf('State');
		const wanted = await agentsWanted(itemIndex);
		const userIndex = header.indexOf('Username');
		if (wanted && userIndex < 0) {
			throw new NodeOperationError(this.getNode(), 'The filters need the Username column', {
				itemIndex,
				description: 'Add Username to Options → Columns, or leave Columns empty to ask for all.',
			});
		}
		const agents: IDataObject[] = [];
		for (const row of childElements(statistics, 'rows')) {
			const values = cells(row);
			if (options.skipLoggedOut === true && stateIndex >= 0 && LOGGED_OUT.has(String(values[stateIndex] ?? '').toLowerCase())) {
				continue;
			}
			if (wanted && !wanted.has(String(values[userIndex] ?? '').toLowerCase())) continue;
			const agent: IDataObject = {};
			header.forEach((name, i) => (agent[name] = converters[i](values[i] ?? '')));
			agent._snapshotAt = snapshotAt;
			agents.push(agent);
		}
		return agents;
	});
}
