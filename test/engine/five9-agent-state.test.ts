/**
 * Agent State → Get Many through the engine against the mock's SupervisorWebService.
 */
import { FAST, NODE, runFive9 } from '../harness/five9';
import { Five9Mock, type MockAgentState } from '../mocks/five9';

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
});
