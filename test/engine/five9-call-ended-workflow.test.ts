/**
 * The shipped "Five9 call ended → Assembled agent → interaction log" workflow, served as an active
 * workflow's webhook and run through n8n's engine against the local Assembled server. Five9's
 * side is played by `Five9CtiSender` with events shaped like the fixture (docs/cti.md, "Event shape"). The only
 * edit is the log file path in the Configuration node, as its sticky note tells a user to do.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { AssembledMock, type MockPerson } from '../mocks/assembled';
import { Five9CtiSender, ctiEvent } from '../mocks/five9Cti';
import { readWorkflow, runWorkflow, useFile } from '../harness/engine';
import { WebhookServer } from '../harness/webhook';

const TRIGGER = 'Five9 CTI Trigger';
const ASSEMBLED_KEY = 'sk_live_cti_workflow_key_4d2a';
const TRUST_TOKEN = randomBytes(32).toString('hex');
const API_KEY = randomBytes(16).toString('hex');

let scratch: string;
let mock: AssembledMock;
let server: WebhookServer | undefined;

beforeAll(() => {
	scratch = mkdtempSync(path.join(tmpdir(), 'cti-log-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeEach(async () => {
	mock = await new AssembledMock({ validKeys: [ASSEMBLED_KEY] }).start();
});
afterEach(async () => {
	await server?.stop();
	server = undefined;
	await mock.stop();
});

async function serveShipped(logFile: string, assembledKey = ASSEMBLED_KEY) {
	// n8n creates a missing file when appending (see the last test), but not under jest: its sandbox
	// makes n8n-core's `error instanceof Error` fail for fs errors, so the log starts out empty here.
	if (!existsSync(logFile)) writeFileSync(logFile, '');
	const json = useFile(readWorkflow('five9-call-ended-to-assembled.json'), logFile, 'logFileName');
	server = await WebhookServer.start(json, {
		credentials: {
			five9CtiApi: { trustToken: TRUST_TOKEN, apiKey: API_KEY },
			assembledApi: { apiKey: assembledKey, baseUrl: mock.url },
		},
	});
	return new Five9CtiSender(server.url(TRIGGER), { trustToken: TRUST_TOKEN, apiKey: API_KEY });
}

function readLog(file: string): Record<string, unknown>[] {
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function settle() {
	await server!.settled();
	expect(server!.runFailures).toEqual([]);
	for (const run of server!.runs) expect(run.status).toBe('success');
}

/** A call-ended event for a given Five9 agent, otherwise the fixture's call. */
function callEnded(n: number, agent: { username: string; id: string; name?: string }) {
	return ctiEvent({
		eventName: 'CallEnded',
		eventId: `EVT${String(n).padStart(29, '0')}`,
		eventTimestamp: `2026-03-0${n}T15:0${n}:00.000`,
		variables: {
			'Call.session_id': `S${String(n).padStart(31, '0')}`,
			'Call.call_id': String(1000 + n),
			'Agent.user_name': agent.username,
			'Agent.id': agent.id,
			'Agent.full_name': agent.name ?? 'Someone',
		},
	});
}

const activePeople = () => mock.people.filter((person) => !person.deleted);

test('Five9 accepts the URL; each ended call is recorded once with the Assembled agent it belongs to', async () => {
	const logFile = path.join(scratch, 'interactions.jsonl');
	const sender = await serveShipped(logFile);

	expect((await sender.validate()).accepted).toBe(true);

	// An agent found by email, one whose Five9 username is unknown to Assembled but whose Five9
	// user ID is on their Assembled profile, and one Assembled does not know at all.
	const byEmail: MockPerson = activePeople()[0];
	const byFive9Id: MockPerson = activePeople().find((person) =>
		/^\d+$/.test(person.platforms.five9),
	)!;
	const events = [
		callEnded(1, { username: byEmail.email!.toUpperCase(), id: '999000111' }),
		callEnded(2, { username: 'someone.else@five9.example.net', id: byFive9Id.platforms.five9 }),
		callEnded(3, { username: 'nobody@example.org', id: '123' }),
	];
	for (const event of events)
		expect((await sender.post(event)).json).toEqual({ received: true, started: true });

	// Not recorded: an event the trigger does not listen to, a redelivery, and a forged delivery.
	expect((await sender.post(ctiEvent({ eventName: 'Accepted' }))).json).toMatchObject({
		started: false,
	});
	expect((await sender.post(events[0])).json).toMatchObject({
		started: false,
		reason: 'duplicate delivery',
	});
	expect((await sender.post(events[1], { apiKey: 'forged' })).status).toBe(401);

	await settle();
	const lines = readLog(logFile);
	expect(lines).toHaveLength(3);
	const byEvent = new Map(lines.map((line) => [line.event_id, line]));
	for (const event of events) {
		const line = byEvent.get(event.header.eventId)!;
		const variables = event.payload.attached_variables as Record<string, string>;
		expect(line).toMatchObject({
			event_name: 'CallEnded',
			event_timestamp: event.header.eventTimestamp,
			call_id: variables['Call.call_id'],
			session_id: variables['Call.session_id'],
			campaign: variables['Call.campaign_name'],
			call_length_ms: variables['Call.length'],
			five9_agent_id: variables['Agent.id'],
			five9_agent_username: variables['Agent.user_name'],
		});
		expect(Number.isNaN(Date.parse(String(line.recorded_at)))).toBe(false);
	}
	const expectPerson = (line: Record<string, unknown>, person: MockPerson, matchedBy: string) =>
		expect(line).toMatchObject({
			assembled_found: true,
			assembled_matched_by: matchedBy,
			assembled_person_id: person.id,
			assembled_agent_id: person.agent_id,
			assembled_name: `${person.first_name} ${person.last_name}`,
			assembled_email: person.email,
			lookup_error: '',
		});
	expectPerson(byEvent.get(events[0].header.eventId)!, byEmail, 'email');
	expectPerson(byEvent.get(events[1].header.eventId)!, byFive9Id, 'five9');
	expect(byEvent.get(events[2].header.eventId)).toMatchObject({
		assembled_found: false,
		assembled_person_id: '',
		lookup_error: '',
	});

	// One people lookup per recorded call, all through the Assembled API.
	expect(
		mock.countRequests({ method: 'GET', path: '/v0/people', status: 200 }),
	).toBeGreaterThanOrEqual(3);
});

test('lines are appended after what the log already holds', async () => {
	const logFile = path.join(scratch, 'existing.jsonl');
	const earlier = JSON.stringify({ event_id: 'EARLIER', note: 'written before' });
	writeFileSync(logFile, `${earlier}\n`);
	const sender = await serveShipped(logFile);

	await sender.post(callEnded(4, { username: activePeople()[1].email!, id: '1' }));
	await settle();
	await sender.post(callEnded(5, { username: activePeople()[2].email!, id: '2' }));
	await settle();

	const lines = readLog(logFile);
	expect(lines.map((line) => line.event_id)).toEqual([
		'EARLIER',
		callEnded(4, { username: '', id: '' }).header.eventId,
		callEnded(5, { username: '', id: '' }).header.eventId,
	]);
	expect(lines[1].assembled_person_id).toBe(activePeople()[1].id);
	expect(lines[2].assembled_person_id).toBe(activePeople()[2].id);
});

test('when Assembled refuses the lookup, the call is still recorded with the reason', async () => {
	const logFile = path.join(scratch, 'refused.jsonl');
	const sender = await serveShipped(logFile, 'sk_live_revoked_key_0000');

	await sender.post(callEnded(6, { username: activePeople()[0].email!, id: '1' }));
	await settle();

	const [line] = readLog(logFile);
	expect(line).toMatchObject({
		event_id: callEnded(6, { username: '', id: '' }).header.eventId,
		assembled_found: false,
	});
	expect(String(line.lookup_error)).toMatch(/401|API key|rejected/i);
	expect(String(line.lookup_error)).not.toContain('sk_live_revoked_key_0000');
});

test('appending creates the log file when it does not exist yet (n8n-core outside jest)', () => {
	const folder = mkdtempSync(path.join(scratch, 'fresh-'));
	const logFile = path.join(folder, 'first-run.jsonl');
	const script = `
		const { getFileSystemHelperFunctions } = require('n8n-core/dist/execution-engine/node-execution-context/utils/file-system-helper-functions.js');
		const { constants } = require('node:fs');
		const helpers = getFileSystemHelperFunctions({ name: 'Append to Interaction Log', id: 'c7' });
		(async () => {
			const resolved = await helpers.resolvePath(process.argv[1]);
			await helpers.writeContentToFile(resolved, Buffer.from('{"first":true}\\n'), constants.O_APPEND);
		})().catch((error) => { console.error(error.message); process.exit(1); });
	`;
	execFileSync(process.execPath, ['-e', script, logFile], {
		cwd: path.resolve(__dirname, '../..'),
		env: { ...process.env, N8N_USER_FOLDER: folder, N8N_RESTRICT_FILE_ACCESS_TO: scratch },
		stdio: 'pipe',
	});
	expect(readLog(logFile)).toEqual([{ first: true }]);
});

test('the Test Run path sends the sample event through the same nodes, no Five9 needed', async () => {
	const logFile = path.join(scratch, `manual-${Date.now()}.jsonl`);
	writeFileSync(logFile, '');
	const json = useFile(readWorkflow('five9-call-ended-to-assembled.json'), logFile, 'logFileName');
	const run = await runWorkflow(json, { credentials: { assembledApi: { apiKey: ASSEMBLED_KEY, baseUrl: mock.url } } });
	expect(run.status).toBe('success');
	const sample = JSON.parse(
		(json.nodes.find((n) => n.name === 'Sample Call Ended Event')!.parameters as { jsonOutput: string }).jsonOutput,
	) as { agent: { user_name: string }; call: { call_id: string } };
	const person = mock.people.find((p) => p.email === sample.agent.user_name)!;
	const [line] = readLog(logFile);
	expect(line).toMatchObject({ call_id: sample.call.call_id, event_name: 'CallEnded' });
	expect(JSON.stringify(line)).toContain(person.agent_id);
});
