/**
 * Person → Create / Update, Queue/Site/Team/Skill → Get Many / Create, Activity → Create Many /
 * Delete and Event Change → Get Many through n8n's engine against the local Assembled server.
 * Every expectation about what the server received is computed here from the test's own inputs.
 */
import type { IDataObject } from 'n8n-workflow';

import { AssembledMock, MOCK_ACTIVITY_TYPES, MOCK_QUEUES, MOCK_SITES, MOCK_SKILLS, MOCK_TEAMS, type NamedFilter } from '../mocks/assembled';
import { MOCK_ROLES, directoryOf } from '../mocks/assembled-directory';
import { triggerStores } from '../mocks/assembled-trigger';
import { runWorkflow } from '../harness/engine';
import { assembledNode, rowsInto } from '../harness/workflows';

const API_KEY = 'sk_live_directory_tests_7f3e';
let mock: AssembledMock;

beforeAll(async () => {
	mock = await new AssembledMock({ rateLimit: false }).start();
});
afterAll(() => mock.stop());
beforeEach(() => mock.clear());

const credentials = () => ({ assembledApi: { apiKey: API_KEY, baseUrl: mock.url } });
const node = (resource: string, operation: string, parameters: IDataObject) =>
	assembledNode({ resource, operation, ...parameters }, 'continueErrorOutput');
const run = (rows: IDataObject[], parameters: ReturnType<typeof node>) => runWorkflow(rowsInto(rows, parameters), { credentials: credentials() });
const ok = (result: Awaited<ReturnType<typeof run>>) => result.json('Node Under Test', 0);
const errors = (result: Awaited<ReturnType<typeof run>>) => result.json('Node Under Test', 1);
const paired = (result: Awaited<ReturnType<typeof run>>, output: number) =>
	result.items('Node Under Test', output).map((item) => (item.pairedItem as { item: number }).item);

const idNamed = (map: Record<string, { id: string; name: string }>, name: string) => Object.values(map).find((entry) => entry.name === name)!.id;
const seconds = (iso: string) => Date.parse(iso) / 1000;
const received = (method: string, path: string | RegExp) => directoryOf(mock).callsTo(method, path).map((call) => call.body as IDataObject);
const live = () => mock.people.filter((person) => !person.deleted);

describe('Person → Create', () => {
	const createNode = (options: IDataObject = {}, extra: IDataObject = {}) =>
		node('person', 'create', {
			firstName: '={{ $json.first }}',
			lastName: '={{ $json.last }}',
			email: '={{ $json.email }}',
			additionalFields: {
				teams: '={{ $json.teams }}',
				site: '={{ $json.site }}',
				roles: '={{ $json.roles }}',
				five9Id: '={{ $json.five9 }}',
				timezone: '={{ $json.tz }}',
				channels: ['phone', 'chat'],
				staffable: false,
				importedId: '={{ $json.imported }}',
				otherFields: '{"start_date": 1767225600}',
				...extra,
			},
			options,
		});
	const rows = [
		{ first: 'Nia', last: 'Okoro', email: 'nia.okoro@example.com', teams: 'Tier 1, escalations', site: 'Kraków', roles: 'Agent', five9: '300000001999001', tz: 'Europe/Warsaw', imported: 'hr-1001' },
		{ first: 'Omar', last: 'Haddad', email: 'omar.haddad@example.com', teams: idNamed(MOCK_TEAMS, 'Tier 2'), site: idNamed(MOCK_SITES, 'Austin'), roles: `${idNamed(MOCK_ROLES, 'Team Lead')}, Agent`, five9: 'omar@five9.example.com', tz: 'America/Chicago', imported: 'hr-1002' },
	];
	const expectedBody = (row: (typeof rows)[number], teams: string[], site: string, roles: string[]) => ({
		start_date: 1767225600,
		first_name: row.first,
		last_name: row.last,
		email: row.email,
		imported_id: row.imported,
		timezone: row.tz,
		channels: ['phone', 'chat'],
		staffable: false,
		roles,
		site,
		teams,
		platforms: { five9: row.five9 },
	});

	test('sends the fields under Assembled’s names, names turned into ids, and the server stores the people', async () => {
		const result = await run(rows, createNode());
		const bodies = received('POST', '/v0/people');
		expect(bodies).toEqual([
			expectedBody(rows[0], [idNamed(MOCK_TEAMS, 'Tier 1'), idNamed(MOCK_TEAMS, 'Escalations')], idNamed(MOCK_SITES, 'Kraków'), [idNamed(MOCK_ROLES, 'Agent')]),
			expectedBody(rows[1], [idNamed(MOCK_TEAMS, 'Tier 2')], idNamed(MOCK_SITES, 'Austin'), [idNamed(MOCK_ROLES, 'Team Lead'), idNamed(MOCK_ROLES, 'Agent')]),
		]);
		const out = ok(result);
		expect(out.map((item) => item.status)).toEqual(['created', 'created']);
		for (const [index, row] of rows.entries()) {
			const stored = mock.people.find((person) => person.email === row.email)!;
			expect(stored).toMatchObject(bodies[index]);
			expect((out[index].person as IDataObject).id).toBe(stored.id);
		}
		// Filters and roles are read once for both items.
		expect(mock.countRequests({ method: 'GET', path: '/v0/teams' })).toBe(1);
		expect(mock.countRequests({ method: 'GET', path: '/v0/roles' })).toBe(1);
	});

	test('leaves out an email People already has (any case) or an earlier item created; Dry Run sends nothing', async () => {
		const existing = live()[3];
		const again = [{ ...rows[0], email: existing.email!.toUpperCase() }, rows[1], { ...rows[1], first: 'Omar B.' }];
		const result = await run(again, createNode());
		expect(ok(result).map((item) => item.status)).toEqual(['exists', 'created', 'exists']);
		expect((ok(result)[0].person as IDataObject).id).toBe(existing.id);
		expect(received('POST', '/v0/people').map((body) => body.email)).toEqual([rows[1].email]);

		mock.clear();
		const dry = await run(rows, createNode({ dryRun: true }));
		expect(ok(dry).map((item) => item.status)).toEqual(['dryRun', 'dryRun']);
		expect(ok(dry)[1].payload).toEqual(expectedBody(rows[1], [idNamed(MOCK_TEAMS, 'Tier 2')], idNamed(MOCK_SITES, 'Austin'), [idNamed(MOCK_ROLES, 'Team Lead'), idNamed(MOCK_ROLES, 'Agent')]));
		expect(mock.countRequests({ method: 'POST' })).toBe(0);
	});

	test('each invalid item goes to the error output with its reasons; nothing of it is sent', async () => {
		const bad = [
			{ ...rows[0], email: 'not-an-email', tz: 'Mars/Olympus' },
			{ ...rows[0], email: 'x1@example.com', teams: 'Tier 9' },
			{ ...rows[0], email: 'x2@example.com', last: '' },
			{ ...rows[0], email: 'x3@example.com' },
		];
		const result = await run(bad, createNode());
		const failed = errors(result);
		expect(paired(result, 1)).toEqual([0, 1, 2]);
		expect(failed[0].error).toBe('Email "not-an-email" is not an email address; Timezone "Mars/Olympus" is not a time zone (use an IANA name such as America/Chicago)');
		expect(failed[1].error).toBe('No team in Assembled has the ID or name "Tier 9"');
		expect(failed[2].error).toBe('Last Name is required');
		expect(failed.map((item) => (item.details as IDataObject).errorKind)).toEqual(['invalidItem', 'invalidItem', 'invalidItem']);
		expect(received('POST', '/v0/people').map((body) => body.email)).toEqual(['x3@example.com']);
	});

	test('a person Assembled rejects (email taken, skip turned off) fails alone', async () => {
		const taken = live()[0].email!;
		const result = await run([{ ...rows[0], email: taken }, rows[1]], createNode({ skipExisting: false }));
		expect(ok(result).map((item) => item.status)).toEqual(['created']);
		expect(paired(result, 0)).toEqual([1]);
		expect(errors(result)[0].error).toBe(`Assembled rejected the request (400): email ${taken} is already taken`);
		expect(mock.people.filter((person) => person.email === taken)).toHaveLength(1);
	});
});

describe('Person → Update', () => {
	const updateNode = (updateFields: IDataObject, options: IDataObject = {}) =>
		node('person', 'update', { personId: '={{ $json.id }}', updateFields, options });

	test('PATCHes only the fields set; a new Five9 ID keeps the other platform ids', async () => {
		const [first, second] = [live()[2], live()[5]];
		const before = structuredClone(first);
		const result = await run(
			[{ id: first.id, five9: '300000001777001' }, { id: second.id, five9: '' }],
			updateNode({ staffable: false, queues: '={{ "Support Inbound" }}', five9Id: '={{ $json.five9 }}', lastName: '={{ $json.five9 ? "Okafor-Diaz" : "" }}' }),
		);
		const support = idNamed(MOCK_QUEUES, 'Support Inbound');
		expect(received('PATCH', /^\/v0\/people\//)).toEqual([
			{ last_name: 'Okafor-Diaz', staffable: false, queues: [support], platforms: { ...before.platforms, five9: '300000001777001' } },
			{ staffable: false, queues: [support] },
		]);
		expect(directoryOf(mock).callsTo('PATCH', /./).map((call) => call.path)).toEqual([`/v0/people/${first.id}`, `/v0/people/${second.id}`]);
		// The person is read first only when the platforms are written.
		expect(mock.countRequests({ method: 'GET', path: `/v0/people/${first.id}` })).toBe(1);
		expect(mock.countRequests({ method: 'GET', path: `/v0/people/${second.id}` })).toBe(0);
		const stored = mock.people.find((person) => person.id === first.id)!;
		expect(stored).toMatchObject({ ...before, last_name: 'Okafor-Diaz', staffable: false, queues: [support], platforms: { ...before.platforms, five9: '300000001777001' } });
		expect(ok(result).map((item) => item.status)).toEqual(['updated', 'updated']);
		expect((ok(result)[0].person as IDataObject).created_at_iso).toBe(new Date(before.created_at * 1000).toISOString().replace('.000Z', 'Z'));
	});

	test('an unknown person, an empty change and a bad field each fail alone; Dry Run sends nothing', async () => {
		const someone = live()[1];
		const result = await run(
			[{ id: '00000000-0000-4000-8000-00000000dead', staffable: false }, { id: someone.id }, { id: someone.id, staffable: 'maybe' }, { id: someone.id, staffable: false }],
			updateNode({ staffable: '={{ $json.staffable }}' }),
		);
		expect(paired(result, 1)).toEqual([0, 1, 2]);
		const [unknown, empty, invalid] = errors(result);
		expect(unknown.error).toBe('Not found in Assembled (404): Person 00000000-0000-4000-8000-00000000dead not found');
		expect(empty.error).toBe('Nothing to update: add a field under Update Fields');
		expect(invalid.error).toBe('Staffable must be true or false, got "maybe"');
		expect(received('PATCH', /./)).toEqual([{ staffable: false }, { staffable: false }]);

		mock.clear();
		const dry = await run([{ id: someone.id, staffable: false }], updateNode({ staffable: '={{ $json.staffable }}', skills: 'Spanish' }, { dryRun: true }));
		expect(ok(dry)).toEqual([{ status: 'dryRun', person_id: someone.id, payload: { staffable: false, skills: Object.keys(MOCK_SKILLS) } }]);
		expect(mock.countRequests({ method: 'PATCH' })).toBe(0);
	});
});

describe('Queue, Site, Team or Skill', () => {
	// A deeper tree than the shared fixtures: two roots, three levels, and one whose parent is gone.
	const id = (n: number) => `7ea00000-0000-4000-8000-${String(n).padStart(12, '0')}`;
	const tree: Record<string, NamedFilter> = {
		[id(1)]: { id: id(1), name: 'Support', parent_id: null },
		[id(2)]: { id: id(2), name: 'Billing', parent_id: id(1) },
		[id(3)]: { id: id(3), name: 'Refunds', parent_id: id(2) },
		[id(4)]: { id: id(4), name: 'Accounts', parent_id: id(1) },
		[id(5)]: { id: id(5), name: 'Sales', parent_id: null },
		[id(6)]: { id: id(6), name: 'Orphan', parent_id: id(99) },
	};

	test('Get Many lists one item per filter in tree order, with its parent and the path of names above it', async () => {
		const saved = mock.filters.queues;
		mock.filters.queues = tree;
		try {
			const all = ok(await run([{}], node('filter', 'getMany', { filterType: 'queue', returnAll: true })));
			expect(all.map((filter) => [filter.name, filter.parent_name, filter.path, filter.depth])).toEqual([
				['Orphan', id(99), [id(99)], 1],
				['Sales', null, [], 0],
				['Support', null, [], 0],
				['Accounts', 'Support', ['Support'], 1],
				['Billing', 'Support', ['Support'], 1],
				['Refunds', 'Billing', ['Support', 'Billing'], 2],
			]);
			expect(all.every((filter) => filter.type === 'queue' && filter.id === tree[filter.id as string].id)).toBe(true);
			const two = ok(await run([{}], node('filter', 'getMany', { filterType: 'queue', limit: 2 })));
			expect(two.map((filter) => filter.name)).toEqual(['Orphan', 'Sales']);
			expect(mock.countRequests({ method: 'GET', path: '/v0/queues' })).toBe(2);
		} finally {
			mock.filters.queues = saved;
		}
		const teams = ok(await run([{}], node('filter', 'getMany', { filterType: 'team', returnAll: true })));
		expect(teams.find((team) => team.name === 'Escalations')).toMatchObject({ parent_name: 'Tier 2', path: ['Tier 2'], created_at_iso: '2023-07-22T04:26:40Z' });
	});

	test('Create posts a list of one under the parent given by name, skips what exists, and later items see it', async () => {
		const tier2 = idNamed(MOCK_TEAMS, 'Tier 2');
		const rows = [{ name: 'Night Shift', parent: 'tier 2' }, { name: 'Tier 1', parent: '' }, { name: 'Night Shift', parent: tier2 }, { name: 'Overflow', parent: 'Night Shift' }, { name: 'x', parent: 'Tier 7' }];
		const result = await run(rows, node('filter', 'create', { filterType: 'team', name: '={{ $json.name }}', parentId: '={{ $json.parent }}' }));
		const bodies = received('POST', '/v0/teams');
		const nightShift = Object.values(mock.filters.teams).find((team) => team.name === 'Night Shift')!;
		expect(bodies).toEqual([{ teams: [{ name: 'Night Shift', parent_id: tier2 }] }, { teams: [{ name: 'Overflow', parent_id: nightShift.id }] }]);
		expect(ok(result).map((item) => item.status)).toEqual(['created', 'exists', 'exists', 'created']);
		expect(ok(result)[3].filter).toMatchObject({ name: 'Overflow', parent_name: 'Night Shift', path: ['Tier 2', 'Night Shift'], depth: 2 });
		expect(errors(result)[0].error).toBe('No team in Assembled has the ID or name "Tier 7"');
		expect(paired(result, 1)).toEqual([4]);
		expect(Object.values(mock.filters.teams).filter((team) => team.name === 'Night Shift')).toHaveLength(1);
	});

	test('Create of a top-level queue sends no parent; Dry Run sends nothing', async () => {
		const dry = ok(await run([{}], node('filter', 'create', { filterType: 'queue', name: 'Callbacks', options: { dryRun: true } })));
		expect(dry).toEqual([{ status: 'dryRun', type: 'queue', payload: { queues: [{ name: 'Callbacks' }] } }]);
		expect(mock.countRequests({ method: 'POST' })).toBe(0);
		const created = ok(await run([{}], node('filter', 'create', { filterType: 'queue', name: 'Callbacks' })));
		expect(received('POST', '/v0/queues')).toEqual([{ queues: [{ name: 'Callbacks' }] }]);
		expect(created[0].filter).toMatchObject({ name: 'Callbacks', parent_id: null, path: [], depth: 0 });
		expect(Object.keys(mock.filters.queues)).toHaveLength(Object.keys(MOCK_QUEUES).length + 1);
	});
});

describe('Activity → Create Many', () => {
	const coaching = idNamed(MOCK_ACTIVITY_TYPES, 'Coaching');
	const phones = idNamed(MOCK_ACTIVITY_TYPES, 'Phones');
	// Version 1 keeps every setting under Options; from 1.1 Batch Size is under Advanced.
	const createMany = (options: IDataObject = {}, advanced?: IDataObject) => ({
		...node('activity', 'createMany', {
			agentBy: '={{ $json.by }}',
			agent: '={{ $json.agent }}',
			typeId: '={{ $json.type }}',
			startTime: '={{ $json.start }}',
			endTime: '={{ $json.end }}',
			description: '={{ $json.note }}',
			options,
			...(advanced ? { advanced } : {}),
		}),
		...(advanced ? { typeVersion: 1.1 } : {}),
	});
	/** 250 bookings over 5 agents, by email and by agent id, half-hour slots from a Monday. */
	const bookings = () =>
		Array.from({ length: 250 }, (_, i) => {
			const person = live()[i % 5];
			const start = new Date(Date.UTC(2026, 10, 23, 8) + i * 30 * 60_000).toISOString();
			const end = new Date(Date.UTC(2026, 10, 23, 8) + (i * 30 + 25) * 60_000).toISOString();
			return i % 2
				? { by: 'email', agent: person.email!, type: 'Coaching', start, end, note: `slot ${i}` }
				: { by: 'agentId', agent: person.agent_id, type: phones, start: seconds(start), end: seconds(end), note: '' };
		});
	const expectedActivity = (row: ReturnType<typeof bookings>[number]) => {
		const agent = row.by === 'email' ? mock.people.find((person) => person.email === row.agent)!.agent_id : row.agent;
		return {
			agent_id: agent,
			type_id: row.type === 'Coaching' ? coaching : row.type,
			start_time: typeof row.start === 'number' ? row.start : seconds(row.start),
			end_time: typeof row.end === 'number' ? row.end : seconds(row.end),
			...(row.note ? { description: row.note } : {}),
		};
	};

	test('sends every item in batches of Batch Size to the bulk endpoint, in unix seconds; a re-run creates nothing twice', async () => {
		const rows = bookings();
		const result = await run(rows, createMany({ batchSize: 90 }));
		expect(directoryOf(mock).bulkSizes).toEqual([90, 90, 70]);
		const sent = received('POST', '/v0/activities/bulk').flatMap((body) => body.activities as IDataObject[]);
		expect(sent).toEqual(rows.map((row) => ({ action: 'create', activity: expectedActivity(row) })));
		const stored = [...mock.activities.values()];
		expect(stored).toHaveLength(250);
		expect(stored.map(({ agent_id, type_id, start_time, end_time }) => ({ agent_id, type_id, start_time, end_time }))).toEqual(
			rows.map((row) => {
				const { description, ...booking } = expectedActivity(row);
				void description;
				return booking;
			}),
		);
		const out = ok(result);
		expect(out.every((item) => item.status === 'created')).toBe(true);
		expect(out.map((item) => item.batch)).toEqual(rows.map((_, i) => Math.floor(i / 90) + 1));
		expect(paired(result, 0)).toEqual(rows.map((_, i) => i));
		expect(out[1]).toMatchObject({ agent_email: rows[1].agent, activity: { start_time_iso: String(rows[1].start).replace('.000Z', 'Z') } });

		mock.clear();
		for (const activity of stored) mock.activities.set(activity.id as string, activity);
		const again = await run(rows, createMany({ batchSize: 90 }));
		expect(ok(again).every((item) => item.status === 'exists')).toBe(true);
		expect(directoryOf(mock).bulkSizes).toEqual([]);
		// One read of the whole span decides what exists.
		expect(mock.requests.filter((request) => request.path === '/v0/activities').map((request) => [request.query.start_time, request.query.end_time])).toEqual([
			[String(expectedActivity(rows[0]).start_time), String(expectedActivity(rows[249]).end_time)],
		]);
	});

	test('a batch Assembled rejects is split until the bad activity is alone; the others are stored once', async () => {
		const rows = bookings().slice(0, 16);
		rows[11] = { ...rows[11], by: 'agentId', agent: '00000000-0000-4000-8000-0000000b0a7d' };
		const result = await run(rows, createMany());
		expect(errors(result)).toEqual([
			expect.objectContaining({
				error: 'Assembled rejected the request (400): activities[0]: Invalid agent_id 00000000-0000-4000-8000-0000000b0a7d',
				details: expect.objectContaining({ errorLevel: 'row', errorKind: 'rejectedItem', batch: 1 }),
			}),
		]);
		expect(paired(result, 1)).toEqual([11]);
		expect(paired(result, 0)).toEqual(rows.map((_, i) => i).filter((i) => i !== 11));
		const stored = [...mock.activities.values()];
		expect(stored).toHaveLength(15);
		expect(new Set(stored.map((activity) => `${activity.agent_id}|${activity.start_time}`)).size).toBe(15);
		// 16 → 8+8 → 4+4 → 2+2 → 1+1: one rejected request per level, and 8 requests in all.
		expect(directoryOf(mock).bulkSizes).toEqual([16, 8, 8, 4, 4, 2, 2, 1, 1]);
	});

	test('a rejection in the request’s own words at every level stops the splitting after two levels', async () => {
		const rows = bookings().slice(0, 16);
		mock.schedule('/v0/activities/bulk', Object.fromEntries(Array.from({ length: 30 }, (_, i) => [i + 1, { status: 400 }])));
		const result = await run(rows, createMany());
		// 16 → 8+8 → 4+4+4+4, then stop: 7 requests, not 31.
		expect(mock.countRequests({ method: 'POST', path: '/v0/activities/bulk' })).toBe(7);
		expect(paired(result, 1)).toEqual(rows.map((_, i) => i));
		expect(errors(result).every((item) => item.error === 'Assembled rejected the request (400): Scripted failure 400')).toBe(true);
		expect(mock.activities.size).toBe(0);
	});

	test('a failure that is not the items’ (a rejected key) stops the sending: that batch and the later ones are not sent', async () => {
		const rows = bookings().slice(0, 6);
		mock.schedule('/v0/activities/bulk', { 2: { status: 401 } });
		const result = await run(rows, createMany({}, { batchSize: 2 }));
		expect(mock.countRequests({ method: 'POST', path: '/v0/activities/bulk' })).toBe(2);
		expect(ok(result).map((item) => [item.status, item.batch])).toEqual([['created', 1], ['created', 1]]);
		expect(paired(result, 1)).toEqual([2, 3, 4, 5]);
		expect(errors(result).map((item) => [(item.details as IDataObject).errorLevel, (item.details as IDataObject).errorKind, (item.details as IDataObject).batch])).toEqual([
			['run', 'notSent', 2],
			['run', 'notSent', 2],
			['run', 'notSent', 3],
			['run', 'notSent', 3],
		]);
		expect(errors(result)[0].error).toBe('The API key was rejected by Assembled (401)');
		expect(mock.activities.size).toBe(2);
	});

	test('invalid items, unknown agents and repeats within the input are reported and not sent; Dry Run sends nothing', async () => {
		const [a, b] = bookings();
		const rows = [
			a,
			{ ...b, agent: 'nobody@example.com' },
			{ ...b, end: b.start },
			{ ...b, type: 'Yoga' },
			{ ...b, start: 'next tuesday' },
			a,
			b,
		];
		const result = await run(rows, createMany());
		expect(paired(result, 1)).toEqual([1, 2, 3, 4]);
		expect(errors(result).map((item) => [(item.details as IDataObject).errorKind, item.error])).toEqual([
			['unknownAgent', 'No agent in Assembled People has email "nobody@example.com"'],
			['invalidItem', 'End must be after Start'],
			['invalidItem', 'No activity type in Assembled has the ID or name "Yoga"'],
			['invalidItem', expect.stringMatching(/^Start /)],
		]);
		expect(ok(result).map((item) => item.status)).toEqual(['created', 'duplicate', 'created']);
		expect(ok(result)[1].duplicate_of_item).toBe(0);
		expect(received('POST', '/v0/activities/bulk')).toEqual([{ activities: [a, b].map((row) => ({ action: 'create', activity: expectedActivity(row) })) }]);

		mock.clear();
		const dry = await run([a, b], createMany({ dryRun: true }));
		expect(ok(dry)).toEqual([a, b].map((row, i) => ({ status: 'dryRun', batch: 1, payload: expectedActivity(row), ...(i ? { agent_email: row.agent } : {}) })));
		expect(mock.countRequests({ method: 'POST' })).toBe(0);
	});
});

describe('Activity → Delete', () => {
	const at = (hour: number, minute = 0) => Date.UTC(2026, 10, 24, hour, minute) / 1000;
	const put = (id: string, agent: string, from: number, to: number) =>
		mock.activities.set(id, { id, agent_id: agent, type_id: idNamed(MOCK_ACTIVITY_TYPES, 'Phones'), start_time: from, end_time: to, description: null, id_with_timestamps: `${id};${from};${to}` });
	const bookingsOf = (agent: string) =>
		[...mock.activities.values()]
			.filter((activity) => activity.agent_id === agent)
			.map((activity) => [activity.start_time, activity.end_time])
			.sort((x, y) => (x[0] as number) - (y[0] as number));
	const seed = () => {
		const [a, b] = live();
		put('a1', a.agent_id, at(14), at(15)); // inside: deleted
		put('a2', a.agent_id, at(13), at(14, 30)); // over the start: cut to 13:00–14:00
		put('a3', a.agent_id, at(15, 30), at(17)); // over the end: cut to 16:00–17:00
		put('a4', a.agent_id, at(12), at(18)); // around the window: 12–14 and 16–18 stay
		put('a5', a.agent_id, at(9), at(10)); // outside
		put('b1', b.agent_id, at(14), at(15)); // another agent
		return { a, b };
	};
	const deleteNode = (options: IDataObject = {}) =>
		node('activity', 'delete', { deleteBy: 'window', agentBy: 'email', agent: '={{ $json.email }}', startTime: '2026-11-24T14:00:00Z', endTime: '2026-11-24T16:00:00Z', options });

	test('clears one agent’s window: the server gets the agent id and unix seconds; overlapping activities are cut', async () => {
		const { a, b } = seed();
		const result = await run([{ email: a.email }], deleteNode());
		expect(received('DELETE', '/v0/activities')).toEqual([{ agent_ids: [a.agent_id], start_time: at(14), end_time: at(16) }]);
		expect(bookingsOf(a.agent_id)).toEqual([[at(9), at(10)], [at(12), at(14)], [at(13), at(14)], [at(16), at(17)], [at(16), at(18)]]);
		expect(bookingsOf(b.agent_id)).toEqual([[at(14), at(15)]]);
		const [out] = ok(result);
		expect(out).toMatchObject({ status: 'deleted', agent_id: a.agent_id, agent_email: a.email, start_time: at(14), start_time_iso: '2026-11-24T14:00:00Z', end_time_iso: '2026-11-24T16:00:00Z' });
		expect((out.activities as IDataObject[]).map((activity) => activity.id).sort()).toEqual(['a1', 'a2', 'a3', 'a4']);
	});

	test('Dry Run lists what the window holds and changes nothing; an unknown agent or a reversed window fails alone', async () => {
		const { a } = seed();
		const before = [...mock.activities.values()].map((activity) => ({ ...activity }));
		const result = await run([{ email: a.email }, { email: 'nobody@example.com' }], deleteNode({ dryRun: true }));
		expect(ok(result)[0]).toMatchObject({ status: 'dryRun', payload: { agent_ids: [a.agent_id], start_time: at(14), end_time: at(16) } });
		expect((ok(result)[0].activities as IDataObject[])).toHaveLength(4);
		expect(errors(result)[0]).toMatchObject({ error: 'No agent in Assembled People has email "nobody@example.com"', details: { errorKind: 'unknownAgent' } });
		expect(mock.countRequests({ method: 'DELETE' })).toBe(0);
		expect([...mock.activities.values()]).toEqual(before);
		const reversed = await run([{ email: a.email }], node('activity', 'delete', { agentBy: 'email', agent: '={{ $json.email }}', startTime: '2026-11-24T16:00:00Z', endTime: '2026-11-24T14:00:00Z' }));
		expect(errors(reversed)[0].error).toBe('End must be after Start');
	});

	test('by ID: the bulk endpoint’s delete action, the id taken from an id_with_timestamps key; an unknown id fails alone', async () => {
		seed();
		const key = mock.activities.get('a5')!.id_with_timestamps as string;
		const result = await run([{ id: key }, { id: 'not-there' }, { id: 'b1' }], node('activity', 'delete', { deleteBy: 'id', activityId: '={{ $json.id }}' }));
		expect(received('POST', '/v0/activities/bulk')).toEqual([
			{ activities: [{ action: 'delete', activity: { id: 'a5' } }] },
			{ activities: [{ action: 'delete', activity: { id: 'not-there' } }] },
			{ activities: [{ action: 'delete', activity: { id: 'b1' } }] },
		]);
		expect(ok(result)).toEqual([{ status: 'deleted', activity_id: 'a5' }, { status: 'deleted', activity_id: 'b1' }]);
		expect(errors(result)[0].error).toBe('Assembled rejected the request (400): activities[0]: Invalid activity id not-there');
		expect([...mock.activities.keys()].sort()).toEqual(['a1', 'a2', 'a3', 'a4']);
	});
});

describe('Event Change → Get Many', () => {
	const from = Date.UTC(2026, 10, 1) / 1000;
	const to = Date.UTC(2026, 10, 8) / 1000;
	const seedChanges = () => {
		const people = live();
		const changes = triggerStores(mock).eventChanges;
		// 1,230 changes: 1,201 inside the week, the others just outside it, stored out of order.
		for (let i = 0; i < 1230; i++) {
			const inside = i < 1201;
			const modified = inside ? from + 60 + ((i * 7919) % (to - from - 120)) : i % 2 ? from - 60 * i : to + 60 * i;
			const person = people[i % 4];
			const id = `ec${String(i).padStart(5, '0')}`;
			changes.set(id, {
				id,
				modified_at: modified,
				modified_by: { id: 'u1', name: 'Planner', email: 'planner@example.com' },
				event_agent_id: person.agent_id,
				event_agent_email: person.email,
				event_change_type: i % 3 ? 'update' : 'create',
				old_start_time: i % 3 ? modified + 3600 : null,
				old_end_time: i % 3 ? modified + 5400 : null,
				new_start_time: modified + 7200,
				new_end_time: modified + 9000,
			});
		}
		return [...changes.values()].filter((change) => (change.modified_at as number) >= from && (change.modified_at as number) <= to);
	};

	test('Return All reads page after page to the last one, in unix seconds, sorted by when the change was made', async () => {
		const inside = seedChanges();
		const result = await run([{}], node('eventChange', 'getMany', { startTime: '2026-11-01T00:00:00Z', endTime: '2026-11-08T00:00:00Z', returnAll: true }));
		const pages = mock.requests.filter((request) => request.path === '/v0/event_changes');
		expect(pages.map((request) => [request.query.start_time, request.query.end_time, request.query.limit, request.query.offset])).toEqual([
			[String(from), String(to), '500', '0'],
			[String(from), String(to), '500', '500'],
			[String(from), String(to), '500', '1000'],
		]);
		const out = ok(result);
		expect(out).toHaveLength(inside.length);
		expect(out.map((change) => change.id)).toEqual(
			[...inside].sort((x, y) => (x.modified_at as number) - (y.modified_at as number) || String(x.id).localeCompare(String(y.id))).map((change) => change.id),
		);
		const sample = out.find((change) => change.old_start_time === null)!;
		expect(sample.old_start_time_iso).toBeNull();
		expect(sample.modified_at_iso).toBe(new Date((sample.modified_at as number) * 1000).toISOString().replace('.000Z', 'Z'));
		expect(sample.new_end_time_iso).toBe(new Date((sample.new_end_time as number) * 1000).toISOString().replace('.000Z', 'Z'));
	});

	test('a Limit asks for no more than it returns; an agent filter reads full pages and keeps that agent', async () => {
		const inside = seedChanges();
		const limited = ok(await run([{}], node('eventChange', 'getMany', { startTime: from, endTime: to, limit: 10 })));
		expect(limited).toHaveLength(10);
		expect(mock.requests.filter((request) => request.path === '/v0/event_changes').map((request) => request.query.limit)).toEqual(['10']);

		mock.requests.length = 0;
		const agent = live()[1].agent_id;
		const mine = ok(await run([{}], node('eventChange', 'getMany', { startTime: from, endTime: to, returnAll: true, filters: { agentIds: agent } })));
		expect(mine.map((change) => change.id).sort()).toEqual(inside.filter((change) => change.event_agent_id === agent).map((change) => change.id).sort());
		expect(mock.requests.filter((request) => request.path === '/v0/event_changes').map((request) => request.query.offset)).toEqual(['0', '500', '1000']);
	});

	test('a reversed range fails its item alone', async () => {
		seedChanges();
		const result = await run([{ s: to, e: from }, { s: from, e: to }], node('eventChange', 'getMany', { startTime: '={{ $json.s }}', endTime: '={{ $json.e }}', limit: 1 }));
		expect(errors(result)[0]).toMatchObject({ error: 'End must be after Start', details: { errorKind: 'invalidItem' } });
		expect(paired(result, 1)).toEqual([0]);
		expect(paired(result, 0)).toEqual([1]);
	});
});
