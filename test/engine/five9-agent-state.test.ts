/**
 * Agent State → Get Many through the engine against the mock's SupervisorWebService.
 */
import { FAST, NODE, runFive9 } from '../harness/five9';
import { Five9Mock, defaultAgents, defaultDirectory, type MockAgentState } from '../mocks/five9';

const getMany = (options = {}) => ({ resource: 'agentState', operation: 'getMany', options: { ...FAST, ...options } });

describe('Five9 Agent State → Get Many', () => {
	let mock: Five9Mock;
	afterEach(async () => {
		await mock?.stop();
	});

	test('starts a supervisor session, then returns one item per agent with converted values', async () => {
		mock = await new Five9Mock().start();
		const run = await runFive9(mock, getMany());
		expect(run.error).toBeUndefined();
		expect(mock.requests.map((r) => `${r.service}:${r.operation}`)).toEqual(['supervisor:setSessionParameters', 'supervisor:getStatistics']);
		expect(mock.requests[0].path).toBe('/wssupervisor/v13/SupervisorWebService');
		// The session's zone is the report zone, as an offset in milliseconds.
		expect([-25_200_000, -28_800_000]).toContain(Number(mock.requests[0].params['viewSettings.timeZone']));
		expect(mock.requests[1].params.statisticType).toBe('AgentState');

		const items = run.json(NODE);
		expect(items).toHaveLength(mock.agents.length);
		const polledAt = Date.parse(items[0]._snapshotAt as string);
		mock.agents.forEach((agent: MockAgentState, i: number) => {
			const item = items[i];
			expect(item.Username).toBe(agent.username);
			expect(item['Full Name']).toBe(agent.fullName);
			expect(item.State).toBe(agent.state);
			expect(item['Reason Code']).toBe(agent.reasonCode);
			expect(item['State Since']).toBe(new Date(agent.stateSinceMs).toISOString());
			expect(item['Campaign Name']).toBe(agent.campaign);
			// Time in state, in seconds, as Five9 counted it when answering.
			const seconds = item['State Duration'] as number;
			expect(Math.abs(seconds - (polledAt - agent.stateSinceMs) / 1000)).toBeLessThanOrEqual(2);
		});
		expect(items.find((item) => item.State === 'Not Ready')?.['Reason Code']).toBe('Lunch');
	});

	test('asks only for the named columns and can leave logged-out agents out', async () => {
		mock = await new Five9Mock().start();
		const run = await runFive9(mock, getMany({ columns: 'Username, State, Reason Code', skipLoggedOut: true }));
		expect(run.error).toBeUndefined();
		expect(mock.requests[1].body).toContain('<columnNames><values><data>Username</data><data>State</data><data>Reason Code</data></values></columnNames>');
		const items = run.json(NODE);
		expect(items).toHaveLength(mock.agents.filter((agent) => agent.state !== 'Logged Out').length);
		expect(Object.keys(items[0]).sort()).toEqual(['Reason Code', 'State', 'Username', '_snapshotAt']);
	});

	test('a lapsed session is started again once', async () => {
		mock = await new Five9Mock().start();
		mock.inject({ operation: 'getStatistics', fault: 'SessionNotInitializedFault' });
		const run = await runFive9(mock, getMany());
		expect(run.error).toBeUndefined();
		expect(run.json(NODE)).toHaveLength(mock.agents.length);
		expect(mock.requests.map((r) => r.operation)).toEqual(['setSessionParameters', 'getStatistics', 'setSessionParameters', 'getStatistics']);
	});

	test('a user without supervisor rights gets told which right is missing', async () => {
		mock = await new Five9Mock().start();
		mock.inject({ operation: 'setSessionParameters', fault: 'AccessDisallowedFault' });
		const run = await runFive9(mock, getMany());
		const error = run.nodeError(NODE)!;
		expect(error.message).toBe('Five9 refused access: the user lacks the rights for this web service (AccessDisallowedFault)');
		expect((error as { description?: string }).description).toMatch(/Supervisor with "Execute Web API"/);
	});

	test('an unknown column name is a clear error', async () => {
		mock = await new Five9Mock().start();
		const run = await runFive9(mock, getMany({ columns: 'Username, Mood' }));
		expect(run.nodeError(NODE)!.message).toBe('Five9 does not know one of the requested statistics columns (UnknownColumnFault)');
	});

	describe('filters from Five9’s directory', () => {
		/** Agents on the floor: the directory's users (members of groups), plus one Five9 has in no group. */
		const floor = (): MockAgentState[] => {
			const [template] = defaultAgents();
			return [...defaultDirectory().users.map((user) => ({ ...template, username: user.userName, fullName: user.fullName })), { ...template, username: 'not.in.a.group' }];
		};
		const locator = (value: string) => ({ __rl: true, mode: 'list', value });

		test('Agent Group keeps exactly the group’s members, looked up by its exact name', async () => {
			mock = await new Five9Mock({ agents: floor() }).start();
			const group = mock.directory.agentGroups.find((g) => g.agents.length > 1)!;
			const run = await runFive9(mock, { ...getMany(), filters: { agentGroup: locator(group.name) } });
			expect(run.error).toBeUndefined();
			expect(run.json(NODE).map((item) => String(item.Username)).sort()).toEqual([...group.agents].sort());
			expect(mock.calls('getAgentGroups').map((call) => call.params.groupNamePattern)).toEqual([group.name]);
		});

		test('User keeps that agent only; with a group, only if the agent is in it', async () => {
			mock = await new Five9Mock({ agents: floor() }).start();
			const [first, second] = mock.directory.agentGroups.filter((g) => g.agents.length > 0);
			const user = first.agents[0];
			const alone = await runFive9(mock, { ...getMany(), filters: { user: locator(user) } });
			expect(alone.json(NODE).map((item) => String(item.Username))).toEqual([user]);
			const elsewhere = await runFive9(mock, { ...getMany(), filters: { user: locator(user), agentGroup: locator(second.name) } });
			expect(elsewhere.error).toBeUndefined();
			expect(elsewhere.json(NODE)).toEqual([]);
		});

		test('an agent group Five9 does not have fails the item with its name; a filter without the Username column is refused', async () => {
			mock = await new Five9Mock({ agents: floor() }).start();
			const missing = await runFive9(mock, { ...getMany(), filters: { agentGroup: locator('Support team') } });
			expect(missing.error?.message).toBe('Five9 has no agent group named "Support team"');
			const noColumn = await runFive9(mock, { ...getMany({ columns: 'State' }), filters: { user: locator('x') } });
			expect(noColumn.error?.message).toBe('The filters need the Username column');
		});
	});
});
