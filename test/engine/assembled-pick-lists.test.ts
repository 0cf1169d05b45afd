/**
 * The Assembled node's "From List" pickers, called as n8n calls them (a load-options context on a
 * node holding the panel's parameters), against the local Assembled server; and every operation
 * whose field became a picker, with the field as a plain string (saved workflows, templates), in
 * list mode and in ID mode.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { IDataObject, INode, INodeListSearchResult, INodeParameters } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import {
	AssembledMock,
	MOCK_ACTIVITY_TYPES,
	MOCK_QUEUES,
	MOCK_SITES,
	MOCK_SKILLS,
	MOCK_TEAMS,
	makeFilters,
	makePeople,
	type MockPerson,
} from '../mocks/assembled';
import { additionalDataFor, loadTypes, runWorkflow } from '../harness/engine';
import { singleNodeWorkflow } from '../harness/single-node';
import { ASSEMBLED_TYPE, assembledNode, rowsInto } from '../harness/workflows';

const API_KEY = 'sk_live_pick_lists_7e3f';
const PAGE = 100;
let mock: AssembledMock;

beforeAll(async () => {
	mock = await new AssembledMock({ people: makePeople(1203), rateLimit: false }).start();
});
afterAll(() => mock.stop());
beforeEach(() => mock.clear());

const credentials = () => ({ assembledApi: { apiKey: API_KEY, baseUrl: mock.url } });
const rl = (mode: string, value: string) => ({ __rl: true, mode, value });

/**
 * One call of a listSearch method, as n8n's dynamic-parameters service makes it: a workflow with
 * one node holding the panel's current parameters, and a load-options context on that node.
 */
async function listSearch(
	method: string,
	filter?: string,
	token?: string,
	parameters: INodeParameters = {},
	server: AssembledMock = mock,
): Promise<INodeListSearchResult> {
	const { nodeTypes, credentialTypes } = await loadTypes();
	const json = singleNodeWorkflow({
		type: ASSEMBLED_TYPE,
		parameters,
		credentials: { assembledApi: { id: 'assembledCred1', name: 'Assembled account' } },
	});
	const workflow = new Workflow({ nodes: json.nodes, connections: json.connections, nodeTypes, active: false });
	const node = workflow.getNode('Node Under Test') as INode;
	const additionalData = additionalDataFor(workflow, json, {
		mode: 'internal',
		executionId: 'pick-list',
		credentialTypes,
		credentials: { assembledApi: { apiKey: API_KEY, baseUrl: server.url } },
	});
	additionalData.currentNodeParameters = node.parameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.x');
	const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const search = type.methods?.listSearch?.[method];
	if (!search) throw new Error(`No listSearch method ${method}`);
	return await search.call(context, filter, token);
}

/** Every page of a list, following the tokens; `pages` counts the calls. */
async function allPages(method: string, filter?: string, server?: AssembledMock) {
	const results: INodeListSearchResult['results'] = [];
	const tokens: string[] = [];
	let token: string | undefined;
	do {
		const page = await listSearch(method, filter, token, {}, server);
		results.push(...page.results);
		token = page.paginationToken;
		if (token) tokens.push(token);
	} while (token);
	return { results, tokens };
}

const active = () => mock.people.filter((p) => !p.deleted);
const label = (p: MockPerson) => `${p.first_name} ${p.last_name} (${p.email})`;
const fold = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
const byName = (map: Record<string, { id: string; name: string }>) =>
	Object.values(map)
		.sort((a, b) => a.name.localeCompare(b.name))
		.map((entry) => ({ name: entry.name, value: entry.id }));

describe('people and agents', () => {
	test('without a search: pages of 100 in Assembled order, one request each, the token is the next offset', async () => {
		const first = await listSearch('searchPersons');
		expect(first.results).toEqual(active().slice(0, PAGE).map((p) => ({ name: label(p), value: p.id })));
		expect(first.paginationToken).toBe('100');
		expect(mock.requests.map((r) => [r.path, r.query.limit, r.query.offset])).toEqual([['/v0/people', '100', '0']]);
		const second = await listSearch('searchPersons', undefined, first.paginationToken);
		expect(second.results[0]).toEqual({ name: label(active()[PAGE]), value: active()[PAGE].id });
	});

	test('following the tokens lists every active person once, then stops', async () => {
		const { results, tokens } = await allPages('searchPersons');
		expect(results.map((r) => r.value)).toEqual(active().map((p) => p.id));
		expect(tokens).toEqual(Array.from({ length: Math.floor(active().length / PAGE) }, (_, i) => String((i + 1) * PAGE)));
	});

	test('agents list agent ids, with the same labels', async () => {
		const page = await listSearch('searchAgents');
		expect(page.results).toEqual(active().slice(0, PAGE).map((p) => ({ name: label(p), value: p.agent_id })));
	});

	test.each([
		['an email', (p: MockPerson[]) => p[40].email!, (p: MockPerson) => p.email === mock.people[40].email],
		['first and last name, any case', () => 'mei CHEN', (p: MockPerson) => p.first_name === 'Mei' && p.last_name === 'Chen'],
		['a name without its accents', () => 'jose', (p: MockPerson) => fold(p.first_name).includes('jose') || fold(p.last_name).includes('jose')],
		['a Five9 id', (p: MockPerson[]) => p[8].platforms.five9, (p: MockPerson) => p.platforms.five9.includes(mock.people[8].platforms.five9)],
	])('searching by %s finds exactly the matching people, over every page', async (_what, query, expected) => {
		const filter = query(mock.people);
		const { results } = await allPages('searchPersons', filter);
		const want = active().filter(expected);
		expect(want.length).toBeGreaterThan(0);
		expect(results.map((r) => r.value)).toEqual(want.map((p) => p.id));
	});

	test('a search reads full pages and stops at the end: an empty answer means nobody matches', async () => {
		const page = await listSearch('searchPersons', 'nobody-by-this-name');
		expect(page).toEqual({ results: [] });
		expect(mock.requests.map((r) => r.query.limit)).toEqual(['500', '500', '500']);
	});

	test('a search that fills a page returns a token to go on from', async () => {
		const page = await listSearch('searchPersons', 'example.com');
		expect(page.results.length).toBeGreaterThanOrEqual(PAGE);
		expect(page.paginationToken).toBe('500');
		const next = await listSearch('searchPersons', 'example.com', page.paginationToken);
		expect(next.results[0].value).toBe(active()[500].id);
	});

	test('a server that ignores the offset ends a search instead of looping', async () => {
		const firstPage = JSON.stringify({ people: Object.fromEntries(active().slice(0, 500).map((p) => [p.id, p])) });
		mock.schedule('/v0/people', Object.fromEntries([1, 2, 3, 4].map((n) => [n, { status: 200, body: firstPage }])));
		expect(await listSearch('searchPersons', 'nobody-by-this-name')).toEqual({ results: [] });
		expect(mock.countRequests({ path: '/v0/people' })).toBe(2);
	});

	test('lists load through the rate-limited client: a 429 is waited out and retried', async () => {
		mock.schedule('/v0/people', { 1: { status: 429, retryAfter: 0 } });
		const page = await listSearch('searchPersons');
		expect(page.results).toHaveLength(PAGE);
		expect(mock.requests.map((r) => r.status)).toEqual([429, 200]);
	});

	test('a rejected key is the credential message, without the key', async () => {
		const refused = await new AssembledMock({ validKeys: ['sk_live_someone_else'], rateLimit: false }).start();
		try {
			await expect(listSearch('searchPersons', undefined, undefined, {}, refused)).rejects.toThrow(/API key was rejected by Assembled \(401\)/);
		} finally {
			await refused.stop();
		}
	});
});

describe('teams, sites, queues, skills and activity types', () => {
	test.each([
		['searchTeams', MOCK_TEAMS],
		['searchSites', MOCK_SITES],
		['searchQueues', MOCK_QUEUES],
		['searchSkills', MOCK_SKILLS],
		['searchActivityTypes', MOCK_ACTIVITY_TYPES],
	] as const)('%s lists the whole collection by name, from one request', async (method, map) => {
		const page = await listSearch(method);
		expect(page).toEqual({ results: byName(map as Record<string, { id: string; name: string }>) });
		expect(mock.requests).toHaveLength(1);
	});

	test.each([
		['searchTeams', 'tier', ['Tier 1', 'Tier 2']],
		['searchSites', 'krakow', ['Kraków']],
		['searchQueues', 'INBOUND support', ['Support Inbound']],
		['searchActivityTypes', 'coach', ['Coaching']],
		// Short names and import ids are searched too.
		['searchActivityTypes', 'PH', ['Phones']],
		['searchSkills', 'french', []],
	])('%s with "%s"', async (method, filter, names) => {
		const page = await listSearch(method, filter);
		expect(page.results.map((r) => r.name)).toEqual(names);
	});

	test('a large collection pages by 100 in name order, tokens and all', async () => {
		const teams = makeFilters(0x7eb, 250, (n) => `Team ${String(n).padStart(3, '0')}`);
		const many = await new AssembledMock({ rateLimit: false, filters: { teams } }).start();
		try {
			const { results, tokens } = await allPages('searchTeams', undefined, many);
			expect(tokens).toEqual(['100', '200']);
			expect(results).toEqual(byName(teams));
			// Every word must match; an id matches only whole.
			const filtered = await listSearch('searchTeams', 'team 25', undefined, {}, many);
			expect(filtered.results.map((r) => r.name)).toEqual(['Team 025', 'Team 125', 'Team 225', 'Team 250']);
			const [someTeam] = Object.values(teams).slice(36, 37);
			expect((await listSearch('searchTeams', someTeam.id, undefined, {}, many)).results).toEqual([{ name: someTeam.name, value: someTeam.id }]);
		} finally {
			await many.stop();
		}
	});
});

describe('operations read a picked value, an ID and a plain string alike', () => {
	const run = (resource: string, operation: string, parameters: IDataObject, rows: IDataObject[] = [{}]) =>
		runWorkflow(rowsInto(rows, assembledNode({ resource, operation, ...parameters }, 'continueErrorOutput')), {
			credentials: credentials(),
		});

	test('Person → Get', async () => {
		const person = active()[7];
		for (const personId of [person.id, '={{ $json.id }}', rl('list', person.id), rl('id', '={{ $json.id }}')]) {
			const result = await run('person', 'get', { personId }, [{ id: person.id }]);
			expect({ personId, got: result.json('Node Under Test').map((p) => p.id) }).toEqual({ personId, got: [person.id] });
		}
	});

	describe('Activity → Create', () => {
		const coaching = Object.values(MOCK_ACTIVITY_TYPES).find((t) => t.name === 'Coaching')!.id;
		const times = { startTime: '2026-11-24T15:00:00Z', endTime: '2026-11-24T15:30:00Z' };

		test.each([
			['a plain string', (id: string) => id],
			['an expression', () => '={{ $json.agent }}'],
			['list mode', (id: string) => rl('list', id)],
			['ID mode with an expression', () => rl('id', '={{ $json.agent }}')],
		])('agent by agent ID as %s', async (_form, agent) => {
			const person = active()[3];
			const result = await run('activity', 'create', { agentBy: 'agentId', agent: agent(person.agent_id), typeId: coaching, ...times, options: { dryRun: true } }, [
				{ agent: person.agent_id },
			]);
			expect(result.json('Node Under Test')[0]).toMatchObject({ status: 'dryRun', payload: { agent_id: person.agent_id, type_id: coaching } });
		});

		test('Agent By as an expression takes the agent as a string or a picked value', async () => {
			const person = active()[5];
			for (const agent of [person.agent_id, rl('list', person.agent_id)]) {
				const result = await run('activity', 'create', { agentBy: "={{ 'agentId' }}", agent, typeId: coaching, ...times, options: { dryRun: true } });
				expect(result.json('Node Under Test')[0]).toMatchObject({ status: 'dryRun', payload: { agent_id: person.agent_id } });
			}
		});

		test.each([
			['a plain id (the old dropdown)', coaching],
			['a name by expression (templates)', "={{ 'Coaching' }}"],
			['list mode', rl('list', coaching)],
			['ID mode', rl('id', coaching)],
			['name mode, any case', rl('name', 'coaching')],
			['a short name in ID mode by expression', rl('id', "={{ 'COACH' }}")],
		])('activity type as %s', async (_form, typeId) => {
			const person = active()[2];
			const result = await run('activity', 'create', { agentBy: 'email', agent: person.email, typeId, ...times, options: { dryRun: true } });
			expect(result.json('Node Under Test')[0]).toMatchObject({ status: 'dryRun', payload: { type_id: coaching } });
		});

		test('an unknown activity type in name mode is the usual clear error', async () => {
			const result = await run('activity', 'create', { agentBy: 'email', agent: active()[2].email, typeId: rl('name', 'Yoga'), ...times });
			expect(result.json('Node Under Test', 1)[0].error).toBe('No activity type in Assembled has the ID or name "Yoga"');
		});
	});

	describe('Agent State → Get Many', () => {
		const start = 1_795_500_000;
		beforeEach(() => {
			mock.agentStates = mock.people.slice(0, 4).map((p, i) => ({ agent_id: p.agent_id, state: 'Ready', start_time: start + i, end_time: start + 600 }));
		});

		test.each([
			['empty (everyone)', '', 4],
			['an empty picker (everyone)', rl('list', ''), 4],
			['a plain string', 'AGENT', 1],
			['list mode', rl('list', 'AGENT'), 1],
			['ID mode', rl('id', 'AGENT'), 1],
		])('agent as %s', async (_form, given, count) => {
			const agent = mock.people[1].agent_id;
			const agentId = typeof given === 'string' ? given.replace('AGENT', agent) : { ...given, value: given.value.replace('AGENT', agent) };
			const result = await run('agentState', 'getMany', { startTime: start, endTime: start + 600, agentId, returnAll: true });
			const states = result.json('Node Under Test');
			expect(states).toHaveLength(count);
			if (count === 1) expect(mock.requests[0].query.agent_id).toBe(agent);
			else expect(mock.requests[0].query.agent_id).toBeUndefined();
		});
	});

	describe('Activity → Get Many filters', () => {
		const coaching = Object.values(MOCK_ACTIVITY_TYPES).find((t) => t.name === 'Coaching')!.id;
		const phones = Object.values(MOCK_ACTIVITY_TYPES).find((t) => t.name === 'Phones')!.id;
		const window = { startTime: '2026-11-24T15:00:00Z', endTime: '2026-11-24T16:00:00Z', returnAll: true };
		let agents: string[];

		beforeEach(async () => {
			agents = active().slice(0, 3).map((p) => p.agent_id);
			const at = Date.parse('2026-11-24T15:00:00Z') / 1000;
			for (const [i, agent] of agents.entries()) {
				for (const [j, type] of [coaching, phones].entries()) {
					mock.activities.set(`a${i}${j}`, { id: `a${i}${j}`, agent_id: agent, type_id: type, start_time: at + j * 600, end_time: at + j * 600 + 600, id_with_timestamps: `a${i}${j};x` });
				}
			}
		});

		test.each([
			['a comma-separated string (saved workflows)', () => ({ agentIds: `${agents[0]}, ${agents[2]}` }), [0, 2], [coaching, phones]],
			['a picked agent', () => ({ agentIds: rl('list', agents[1]) }), [1], [coaching, phones]],
			['several IDs in ID mode', () => ({ agentIds: rl('id', `${agents[0]},${agents[1]}`) }), [0, 1], [coaching, phones]],
			['a type id as a plain string', () => ({ typeIds: phones }), [0, 1, 2], [phones]],
			['a type by name', () => ({ typeIds: rl('name', 'Coaching') }), [0, 1, 2], [coaching]],
			['a picked type and agent', () => ({ typeIds: rl('list', coaching), agentIds: rl('list', agents[2]) }), [2], [coaching]],
		])('%s', async (_form, filters, agentIndexes, typeIds) => {
			const result = await run('activity', 'getMany', { ...window, filters: filters() });
			const got = result.json('Node Under Test');
			expect(new Set(got.map((a) => a.agent_id))).toEqual(new Set(agentIndexes.map((i) => agents[i])));
			expect(new Set(got.map((a) => a.type_id))).toEqual(new Set(typeIds));
			expect(got).toHaveLength(agentIndexes.length * typeIds.length);
		});
	});

	describe('Person → Get Many filters', () => {
		const [tier1, tier2] = Object.values(MOCK_TEAMS).map((t) => t.id);
		const [austin] = Object.values(MOCK_SITES).map((s) => s.id);
		const [sales] = Object.values(MOCK_QUEUES).map((q) => q.id);
		const [spanish] = Object.values(MOCK_SKILLS).map((s) => s.id);

		test.each([
			['a picked team', { team: rl('list', tier1) }, (p: MockPerson) => p.teams.includes(tier1)],
			['a team by name in ID mode, any case', { team: rl('id', "={{ 'tier 2' }}") }, (p: MockPerson) => p.teams.includes(tier2)],
			['a team as a plain string', { team: tier2 }, (p: MockPerson) => p.teams.includes(tier2)],
			['a site', { site: rl('list', austin) }, (p: MockPerson) => p.site === austin],
			['a queue', { queue: rl('id', sales) }, (p: MockPerson) => p.queues.includes(sales)],
			['a skill', { skill: rl('list', spanish) }, (p: MockPerson) => p.skills.includes(spanish)],
			['a team and a skill', { team: rl('list', tier1), skill: rl('list', spanish) }, (p: MockPerson) => p.teams.includes(tier1) && p.skills.includes(spanish)],
			['an empty picker (no filter)', { team: rl('list', '') }, () => true],
		])('%s', async (_form, filters, expected) => {
			const result = await run('person', 'getMany', { returnAll: true, filters });
			const want = active().filter(expected);
			expect(result.json('Node Under Test').map((p) => p.id)).toEqual(want.map((p) => p.id));
		});

		test('with a limit, the first matching people up to the limit, reading only the pages it needs', async () => {
			const result = await run('person', 'getMany', { returnAll: false, limit: 30, filters: { skill: rl('list', spanish) } });
			expect(result.json('Node Under Test').map((p) => p.id)).toEqual(active().filter((p) => p.skills.includes(spanish)).slice(0, 30).map((p) => p.id));
			expect(mock.requests.map((r) => [r.query.limit, r.query.offset])).toEqual([['500', '0']]);
		});
	});
});
