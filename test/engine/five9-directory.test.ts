/**
 * The Five9 directory — User, Campaign, Skill, Agent Group, Disposition and Reason Code → Get Many —
 * through n8n's engine against the local Five9 server (docs/five9.md, "Directory"). Expected items
 * are computed from the mock's own directory, and patterns are checked with a regular expression
 * of the test's own, not the mock's matcher.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FAST, NODE, runFive9 } from '../harness/five9';
import { Five9Mock, type MockUser } from '../mocks/five9';

let mock: Five9Mock;
beforeEach(async () => {
	mock = await new Five9Mock().start();
});
afterEach(() => mock.stop());

const getMany = (resource: string, parameters: IDataObject = {}, options: IDataObject = {}): INodeParameters =>
	({ resource, operation: 'getMany', ...parameters, options: { ...FAST, ...options } }) as INodeParameters;

const userItem = (u: MockUser) => ({
	userName: u.userName,
	fullName: u.fullName,
	firstName: u.firstName,
	lastName: u.lastName,
	email: u.email,
	id: u.id,
	active: u.active,
});

const wholeName = (pattern: string) => new RegExp(`^(?:${pattern})$`);

describe('User → Get Many', () => {
	test('lists every user with getUsersGeneralInfo(".*"): readable names first, no password or nested settings', async () => {
		const run = await runFive9(mock, getMany('user', { returnAll: true }));
		expect(run.error).toBeUndefined();
		expect(mock.requests.map((r) => `${r.service}:${r.operation}`)).toEqual(['admin:getUsersGeneralInfo']);
		expect(mock.requests[0].path).toBe('/wsadmin/v13/AdminWebService');
		expect(mock.requests[0].params).toEqual({ userNamePattern: '.*' });
		const items = run.json(NODE);
		expect(items).toHaveLength(mock.directory.users.length);
		mock.directory.users.forEach((user, i) => expect(items[i]).toMatchObject(userItem(user)));
		expect(Object.keys(items[0]).slice(0, 7)).toEqual(['userName', 'fullName', 'firstName', 'lastName', 'email', 'id', 'active']);
		for (const item of items) {
			expect(item).not.toHaveProperty('password');
			expect(item).not.toHaveProperty('mediaTypeConfig');
		}
		// Some Five9 user names are not emails: the email is its own field.
		const byName = items.filter((item) => item.userName !== item.email && item.email !== null);
		expect(byName.length).toBeGreaterThanOrEqual(3);
		expect(items.find((item) => item.userName === 'kiosk.7')).toMatchObject({ email: null, active: true });
		expect(items.find((item) => item.userName === 'former.agent')).toMatchObject({ active: false });
	});

	test('a user-name pattern is sent as typed; Limit trims the answer', async () => {
		const pattern = '[a-z]+\\.[a-z]+[0-9]+@example\\.com';
		const run = await runFive9(mock, getMany('user', { limit: 3, filters: { namePattern: pattern } }));
		expect(run.error).toBeUndefined();
		expect(mock.requests[0].params).toEqual({ userNamePattern: pattern });
		const expected = mock.directory.users.filter((u) => wholeName(pattern).test(u.userName));
		expect(expected.length).toBeGreaterThan(3);
		expect(run.json(NODE).map((item) => item.userName)).toEqual(expected.slice(0, 3).map((u) => u.userName));
	});

	test('with roles: getUsersInfo, and each user’s roles, agent groups and skills', async () => {
		const run = await runFive9(mock, getMany('user', { returnAll: true, filters: { namePattern: 'qa\\..*|n8n\\..*' } }, { withRoles: true }));
		expect(run.error).toBeUndefined();
		expect(mock.requests.map((r) => r.operation)).toEqual(['getUsersInfo']);
		const expected = mock.directory.users.filter((u) => /^(?:qa\..*|n8n\..*)$/.test(u.userName));
		expect(run.json(NODE)).toEqual(
			expected.map((u) => expect.objectContaining({ ...userItem(u), roles: u.roles, agentGroups: u.agentGroups, skills: u.skills })),
		);
	});
});

describe('Campaign → Get Many', () => {
	test('all campaigns, with type, state and mode', async () => {
		const run = await runFive9(mock, getMany('campaign', { returnAll: true }));
		expect(run.error).toBeUndefined();
		expect(mock.requests[0].operation).toBe('getCampaigns');
		expect(mock.requests[0].params).toEqual({ campaignNamePattern: '.*' });
		expect(run.json(NODE)).toEqual(
			mock.directory.campaigns.map((c) => ({
				name: c.name,
				type: c.type,
				state: c.state,
				mode: c.mode,
				description: c.description,
				profileName: c.profileName,
				trainingMode: c.trainingMode,
			})),
		);
	});

	test('a pattern with escaped parentheses, and a campaign type', async () => {
		const pattern = 'Support Inbound \\(Training\\)';
		const run = await runFive9(mock, getMany('campaign', { returnAll: true, filters: { namePattern: pattern } }));
		expect(run.json(NODE).map((c) => c.name)).toEqual(['Support Inbound (Training)']);

		const outbound = await runFive9(mock, getMany('campaign', { returnAll: true, filters: { namePattern: 'S.*', campaignType: 'OUTBOUND' } }));
		expect(mock.requests.at(-1)!.params).toEqual({ campaignNamePattern: 'S.*', campaignType: 'OUTBOUND' });
		const expected = mock.directory.campaigns.filter((c) => /^S.*$/.test(c.name) && c.type === 'OUTBOUND').map((c) => c.name);
		expect(expected.length).toBeGreaterThan(0);
		expect(outbound.json(NODE).map((c) => c.name)).toEqual(expected);
	});
});

describe('Skill, Agent Group, Disposition → Get Many', () => {
	test('skills: Limit by default, all with Return All', async () => {
		const limited = await runFive9(mock, getMany('skill', { limit: 2 }));
		expect(limited.json(NODE)).toEqual(
			mock.directory.skills.slice(0, 2).map((k) => ({
				name: k.name,
				id: k.id,
				description: k.description,
				messageOfTheDay: k.messageOfTheDay,
				routeVoiceMails: k.routeVoiceMails,
			})),
		);
		const all = await runFive9(mock, getMany('skill', { returnAll: true, filters: { namePattern: 'Support.*' } }));
		expect(mock.requests.at(-1)!.params).toEqual({ skillNamePattern: 'Support.*' });
		expect(all.json(NODE).map((k) => k.name)).toEqual(mock.directory.skills.filter((k) => k.name.startsWith('Support')).map((k) => k.name));
	});

	test('agent groups with their agents’ user names', async () => {
		const run = await runFive9(mock, getMany('agentGroup', { returnAll: true }));
		expect(mock.requests[0].params).toEqual({ groupNamePattern: '.*' });
		expect(run.json(NODE)).toEqual(mock.directory.agentGroups.map((g) => ({ name: g.name, id: g.id, description: g.description, agents: g.agents })));
		expect(run.json(NODE).find((g) => g.name === 'Night Shift')!.agents).toEqual([]);
	});

	test('dispositions, with a redial disposition’s timer flattened', async () => {
		const run = await runFive9(mock, getMany('disposition', { returnAll: true }));
		expect(mock.requests[0].params).toEqual({ dispositionNamePattern: '.*' });
		const items = run.json(NODE);
		expect(items.map((x) => [x.name, x.type, x.trackAsFirstCallResolution])).toEqual(
			mock.directory.dispositions.map((x) => [x.name, x.type, x.trackAsFirstCallResolution]),
		);
		const redial = mock.directory.dispositions.find((x) => x.redial)!;
		expect(items.find((x) => x.name === redial.name)).toMatchObject({
			useTimer: redial.redial!.useTimer,
			timerSeconds: redial.redial!.timerSeconds,
			allowChangeTimer: redial.redial!.allowChangeTimer,
			attempts: redial.redial!.attempts,
			agentMustConfirm: redial.agentMustConfirm,
		});
	});
});

describe('Reason Code → Get Many', () => {
	test('looks each name up by type; a name Five9 does not know is named in a hint', async () => {
		const run = await runFive9(mock, { resource: 'reasonCode', operation: 'getMany', names: 'Lunch, Training, Nap Time', options: FAST });
		expect(run.error).toBeUndefined();
		expect(mock.requests.map((r) => `${r.params.reasonCodeName}/${r.params.type}`)).toEqual([
			'Lunch/NotReady',
			'Lunch/Logout',
			'Training/NotReady',
			'Training/Logout',
			'Nap Time/NotReady',
			'Nap Time/Logout',
		]);
		const expected = mock.directory.reasonCodes.filter((c) => ['Lunch', 'Training'].includes(c.name));
		expect(run.json(NODE)).toEqual(expected.map((c) => ({ name: c.name, type: c.type, enabled: c.enabled, paidTime: c.paidTime, shortcut: c.shortcut })));
		expect(run.nodeRun(NODE).hints).toEqual([expect.objectContaining({ message: expect.stringContaining('"Nap Time"'), location: 'outputPane' })]);
	});

	test('one type only', async () => {
		const run = await runFive9(mock, { resource: 'reasonCode', operation: 'getMany', names: 'Training', reasonCodeType: 'Logout', options: FAST });
		expect(mock.requests.map((r) => r.params.type)).toEqual(['Logout']);
		expect(run.json(NODE)).toEqual([expect.objectContaining({ name: 'Training', type: 'Logout' })]);
		expect(run.nodeRun(NODE).hints ?? []).toEqual([]);
	});
});

describe('faults', () => {
	test('a user without the rights gets told which rights to grant', async () => {
		mock.inject({ operation: 'getCampaigns', fault: 'AccessDisallowedFault' });
		const run = await runFive9(mock, getMany('campaign', { returnAll: true }));
		const error = run.nodeError(NODE)!;
		expect(error.message).toBe('Five9 refused access: the user lacks the rights for this web service (AccessDisallowedFault)');
		expect((error as { description?: string }).description).toMatch(/Administrator role/);
	});

	test('a pattern Five9 cannot read is named, with how patterns work', async () => {
		const run = await runFive9(mock, getMany('skill', { returnAll: true, filters: { namePattern: 'Support (' } }));
		expect(mock.requests[0].fault).toBe('InvalidRegexpPatternFault');
		const error = run.nodeError(NODE)!;
		expect(error.message).toBe('Five9 could not read the name pattern "Support (" (InvalidRegexpPatternFault)');
		expect((error as { description?: string }).description).toMatch(/regular expressions: Support.\* lists/);
	});

	test('with the error output on, a failing item becomes a run-level error item', async () => {
		mock.inject({ operation: 'getSkills', fault: 'AccessDisallowedFault' });
		const run = await runFive9(mock, getMany('skill', { returnAll: true }), { onError: 'continueErrorOutput' });
		expect(run.error).toBeUndefined();
		const [item] = run.json(NODE, 1);
		expect(item.error).toMatch(/AccessDisallowedFault/);
		expect(item.details).toMatchObject({ errorLevel: 'run', errorKind: 'runFailed' });
	});
});
