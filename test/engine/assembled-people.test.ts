/** Person → Get, Get Many and Find by Email through n8n's engine against the local Assembled server. */
import type { IDataObject } from 'n8n-workflow';

import { AssembledMock, MOCK_SITES, MOCK_TEAMS, makePeople } from '../mocks/assembled';
import { runWorkflow } from '../harness/engine';
import { assembledNode, rowsInto } from '../harness/workflows';

const API_KEY = 'sk_live_people_tests_5d2c';
let mock: AssembledMock;

beforeAll(async () => {
	mock = await new AssembledMock({ people: makePeople(1203), rateLimit: false }).start();
});
afterAll(() => mock.stop());
beforeEach(() => mock.clear());

const credentials = () => ({ assembledApi: { apiKey: API_KEY, baseUrl: mock.url } });
const personNode = (parameters: IDataObject) => assembledNode({ resource: 'person', ...parameters }, 'continueErrorOutput');

test('Get Many with Return All pages through everyone once, names resolved', async () => {
	const run = await runWorkflow(rowsInto([{}], personNode({ operation: 'getMany', returnAll: true })), { credentials: credentials() });
	const people = run.json('Node Under Test');
	const active = mock.people.filter((p) => !p.deleted);
	expect(people).toHaveLength(active.length);
	expect(new Set(people.map((p) => p.id)).size).toBe(active.length);
	expect(mock.countRequests({ path: '/v0/people' })).toBe(Math.ceil(active.length / 500));
	expect(mock.requests.map((r) => r.query.offset)).toEqual(['0', '500', '1000']);
	for (const person of people.slice(0, 50)) {
		const source = mock.people.find((p) => p.id === person.id)!;
		expect(person.team_names).toEqual(source.teams.map((id) => MOCK_TEAMS[id].name));
		expect(person.site_name).toBe(MOCK_SITES[source.site!].name);
		expect(person.name).toBe(`${source.first_name} ${source.last_name}`);
	}
});

test('Get Many with a limit asks for no more than it returns', async () => {
	const run = await runWorkflow(rowsInto([{}], personNode({ operation: 'getMany', returnAll: false, limit: 42 })), { credentials: credentials() });
	expect(run.json('Node Under Test')).toHaveLength(42);
	expect(mock.requests.map((r) => r.query.limit)).toEqual(['42']);
});

test('Get Many can include deleted people', async () => {
	const run = await runWorkflow(rowsInto([{}], personNode({ operation: 'getMany', returnAll: true, options: { includeDeleted: true } })), { credentials: credentials() });
	expect(run.json('Node Under Test')).toHaveLength(mock.people.length);
});

test('Find by Email matches without regard to case, then by Five9 id; the list is fetched once for all items', async () => {
	const numeric = mock.people.find((p) => /^\d+$/.test(p.platforms.five9) && !p.deleted)!;
	const username = mock.people.find((p) => p.platforms.five9.includes('@') && !p.deleted)!;
	const someone = mock.people[10];
	const rows = [
		{ email: someone.email!.toUpperCase(), five9: '' },
		{ email: 'not.there@example.com', five9: numeric.platforms.five9 },
		{ email: '', five9: username.platforms.five9 },
		{ email: 'not.there@example.com', five9: 'nobody@five9.example.com' },
	];
	const run = await runWorkflow(
		rowsInto(rows, personNode({ operation: 'findByEmail', email: '={{ $json.email }}', five9Id: '={{ $json.five9 }}' })),
		{ credentials: credentials() },
	);
	const found = run.json('Node Under Test');
	expect(found.map((f) => [f.found, f.id ?? null, f.matched_by ?? null])).toEqual([
		[true, someone.id, 'email'],
		[true, numeric.id, 'five9'],
		[true, username.id, 'five9'],
		[false, null, null],
	]);
	expect(found[1].agent_id).toBe(numeric.agent_id);
	expect(mock.countRequests({ path: '/v0/people' })).toBe(Math.ceil(mock.people.filter((p) => !p.deleted).length / 500));
	for (const [index, item] of run.items('Node Under Test').entries()) expect(item.pairedItem).toEqual({ item: index });
});

test('Get returns one person with team and site names; an unknown id is a plain 404 message', async () => {
	const person = mock.people[4];
	const run = await runWorkflow(
		rowsInto([{ id: person.id }, { id: 'no-such-person' }], personNode({ operation: 'get', personId: '={{ $json.id }}' })),
		{ credentials: credentials() },
	);
	const [got] = run.json('Node Under Test', 0);
	expect(got.id).toBe(person.id);
	expect(got.team_names).toEqual(person.teams.map((id) => MOCK_TEAMS[id].name));
	expect(got.site_name).toBe(MOCK_SITES[person.site!].name);
	const [missing] = run.json('Node Under Test', 1);
	expect(missing.error).toMatch(/^Not found in Assembled \(404\): Person no-such-person not found/);
});

describe('Find by Email defaults', () => {
	const findNode = (typeVersion: number, parameters: IDataObject = {}) => ({ ...personNode({ operation: 'findByEmail', ...parameters }), typeVersion });

	test('a new node (version 1.1) reads agent_email, else email, from the item', async () => {
		const [a, b] = mock.people.filter((p) => !p.deleted);
		const rows = [{ agent_email: a.email }, { email: b.email!.toUpperCase() }, { agent_email: null, email: 'nobody@example.com' }];
		const run = await runWorkflow(rowsInto(rows, findNode(1.1)), { credentials: credentials() });
		expect(run.json('Node Under Test').map((f) => [f.found, f.id ?? f.email])).toEqual([
			[true, a.id],
			[true, b.id],
			[false, 'nobody@example.com'],
		]);
	});

	test('a saved version-1 node without an email keeps the empty one: only the Five9 ID is looked for', async () => {
		const [a, b] = mock.people.filter((p) => !p.deleted);
		const run = await runWorkflow(rowsInto([{ agent_email: a.email, five9: b.platforms.five9 }], findNode(1, { five9Id: '={{ $json.five9 }}' })), {
			credentials: credentials(),
		});
		expect(run.json('Node Under Test').map((f) => [f.id, f.matched_by])).toEqual([[b.id, 'five9']]);
	});
});

test('people carry readable ISO 8601 times next to the unix seconds, which stay as they were', async () => {
	const person = mock.people[4];
	const run = await runWorkflow(rowsInto([{ id: person.id }], personNode({ operation: 'get', personId: '={{ $json.id }}' })), { credentials: credentials() });
	const [got] = run.json('Node Under Test');
	expect(got).toMatchObject({
		start_date: person.start_date,
		start_date_iso: '2024-01-01T00:00:00Z',
		end_date: null,
		end_date_iso: null,
		created_at: person.created_at,
		created_at_iso: new Date(person.created_at * 1000).toISOString().replace('.000Z', 'Z'),
	});
	const keys = Object.keys(got);
	expect(keys.indexOf('start_date_iso')).toBe(keys.indexOf('start_date') + 1);
	const many = await runWorkflow(rowsInto([{}], personNode({ operation: 'getMany', limit: 3 })), { credentials: credentials() });
	expect(many.json('Node Under Test').every((p) => p.start_date_iso === '2024-01-01T00:00:00Z')).toBe(true);
});
