/**
 * The Five9 node's pick-lists (report criteria: campaign, skill, agent group, user), called the way
 * n8n's editor calls them, against the local Five9 server's directory; and a picked object reaching
 * runReport's criteria. Expected entries come from the server's own directory.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { INode, INodeListSearchResult, INodeParameters } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { Five9Mock } from '../mocks/five9';
import { additionalDataFor, loadTypes, runWorkflow } from '../harness/engine';
import { singleNodeWorkflow } from '../harness/single-node';
import { FIVE9_CREDENTIAL_REF, FIVE9_TYPE, NODE } from '../harness/five9';

let mock: Five9Mock;
beforeEach(async () => {
	mock = await new Five9Mock({ runningPolls: 0 }).start();
});
afterEach(() => mock.stop());

async function listSearch(method: string, filter?: string, token?: string): Promise<INodeListSearchResult> {
	const { nodeTypes, credentialTypes } = await loadTypes();
	const json = singleNodeWorkflow({ type: FIVE9_TYPE, parameters: { resource: 'report', operation: 'run' }, credentials: FIVE9_CREDENTIAL_REF });
	const workflow = new Workflow({ nodes: json.nodes, connections: json.connections, nodeTypes, active: false });
	const node = workflow.getNode(NODE) as INode;
	const additionalData = additionalDataFor(workflow, json, {
		mode: 'internal',
		executionId: 'five9-pick-list',
		credentialTypes,
		credentials: { five9Api: mock.credentials() },
	});
	additionalData.currentNodeParameters = node.parameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.criteria');
	const search = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).methods?.listSearch?.[method];
	if (!search) throw new Error(`No listSearch method ${method}`);
	return await search.call(context, filter, token);
}

test.each([
	['searchCampaigns', () => mock.directory.campaigns.map((c) => c.name)],
	['searchSkills', () => mock.directory.skills.map((s) => s.name)],
	['searchAgentGroups', () => mock.directory.agentGroups.map((g) => g.name)],
	['searchUsers', () => mock.directory.users.map((u) => u.userName)],
] as const)('%s lists every entry of the directory, through one request', async (method, expected) => {
	const { results, paginationToken } = await listSearch(method);
	expect(paginationToken).toBeUndefined();
	expect(results.map((entry) => entry.value).sort()).toEqual([...expected()].sort());
	expect(mock.requests.filter((r) => r.operation.startsWith('get'))).toHaveLength(1);
});

test('a search narrows the list by every word, ignoring case and accents', async () => {
	const user = mock.directory.users.find((u) => /\s/.test(u.fullName ?? '') && !!u.fullName)!;
	const [first, last] = (user.fullName ?? '').split(/\s+/);
	const { results } = await listSearch('searchUsers', `${last.toUpperCase()} ${first.normalize('NFD').replace(/[\u0300-\u036f]/g, '')}`);
	expect(results.map((entry) => entry.value)).toContain(user.userName);
	for (const entry of results) expect(entry.name.toLowerCase()).toContain(last.toLowerCase());
});

test('a campaign picked from the list reaches runReport as a criterion, with typed names', async () => {
	const campaign = mock.directory.campaigns[0].name;
	const parameters: INodeParameters = {
		resource: 'report',
		operation: 'run',
		range: 'custom',
		start: '2024-03-09',
		end: '2024-03-10',
		criteria: { objects: [{ objectType: 'Campaign', campaign: { __rl: true, mode: 'list', value: campaign }, objectNames: 'Typed Too' }] },
	};
	const run = await runWorkflow(singleNodeWorkflow({ type: FIVE9_TYPE, parameters, credentials: FIVE9_CREDENTIAL_REF }), {
		credentials: { five9Api: mock.credentials() },
	});
	expect(run.error).toBeUndefined();
	const body = mock.calls('runReport')[0].body;
	expect(body).toContain('<objectType>Campaign</objectType>');
	expect(body).toContain(`<objectNames>${campaign.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</objectNames>`);
	expect(body).toContain('<objectNames>Typed Too</objectNames>');
});
