/**
 * Every Five9 failure mode the node knows: a plain message naming the fault (and the window), or a
 * bounded retry that ends in the full result. Also: one request per user at a time.
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../harness/engine';
import { singleNodeWorkflow } from '../harness/single-node';
import { FIVE9_CREDENTIAL_REF, FIVE9_TYPE, LA, NODE, callLogRun, expectCallLogItems, runFive9 } from '../harness/five9';
import { Five9Mock, MOCK_PASSWORD, type RecordedRequest } from '../mocks/five9';

const SPACING = 3600;
const THREE_DAYS = [{ startMs: LA.mar09, endMs: LA.mar12 }];

describe('Five9 faults and retries', () => {
	let mock: Five9Mock;
	beforeEach(async () => {
		mock = await new Five9Mock({ callSpacingSeconds: SPACING, runningPolls: 0 }).start();
	});
	afterEach(async () => {
		await mock.stop();
	});

	/** Matches requests that belong to the run of the 10 March window. */
	const tenthOfMarch = (request: RecordedRequest) =>
		(request.params['criteria.time.start'] ?? '').startsWith('2024-03-10') ||
		mock.runs.get(request.params.identifier ?? '')?.window.startMs === LA.mar10;

	const errorOf = (run: Awaited<ReturnType<typeof runFive9>>) => {
		const error = run.nodeError(NODE) as (IDataObject & { message: string; description?: string }) | undefined;
		expect(error).toBeDefined();
		return error!;
	};

	describe('faults that need a person: a clear message', () => {
		test('ReportNotFoundFault names the folder and report', async () => {
			const run = await runFive9(mock, callLogRun({ reportName: 'Call log' }));
			const error = errorOf(run);
			expect(error.message).toBe(
				'Five9 has no report "Call log" in folder "Call Log Reports" (ReportNotFoundFault) — window 2024-03-09 (2024-03-09T00:00:00.000-08:00 → 2024-03-10T00:00:00.000-08:00)',
			);
			expect(error.description).toMatch(/case-sensitive/);
			expect(mock.calls('runReport')).toHaveLength(1);
		});

		test('UnknownIdentifierFault says the run is gone', async () => {
			mock.inject({ operation: 'getReportResultCsv', fault: 'UnknownIdentifierFault' });
			const error = errorOf(await runFive9(mock, callLogRun()));
			expect(error.message).toMatch(/^Five9 no longer knows this report run \(UnknownIdentifierFault\) — window 2024-03-09 /);
			expect(error.description).toMatch(/Run the report again/);
		});

		test('AccessDisallowedFault names the rights to grant', async () => {
			mock.inject({ operation: 'runReport', fault: 'AccessDisallowedFault' });
			const error = errorOf(await runFive9(mock, callLogRun()));
			expect(error.message).toMatch(/^Five9 refused access: the user lacks the rights for this web service \(AccessDisallowedFault\)/);
			expect(error.description).toMatch(/Execute Web API/);
			expect(mock.calls('runReport')).toHaveLength(1);
		});

		test('IncorrectArgumentFault from Five9 is passed on with its words', async () => {
			mock.inject({ operation: 'runReport', fault: 'IncorrectArgumentFault' });
			const error = errorOf(await runFive9(mock, callLogRun()));
			expect(error.message).toMatch(/^Five9 rejected a value in the request \(IncorrectArgumentFault\)/);
			expect(error.description).toContain('Five9 said: "Scripted IncorrectArgumentFault"');
		});

		test('a report still running after Max Wait stops with advice', async () => {
			await mock.stop();
			mock = await new Five9Mock({ callSpacingSeconds: SPACING, runningPolls: 1000, pollHoldMs: 5 }).start();
			const error = errorOf(await runFive9(mock, callLogRun({}, { maxWaitSeconds: 1 })));
			expect(error.message).toMatch(/^The Five9 report was still running after 1 seconds — window 2024-03-09/);
			expect(error.description).toMatch(/Max Wait/);
		});
	});

	describe('credentials', () => {
		test('a wrong password gives the credential message, once, without the password', async () => {
			const run = await runFive9(mock, callLogRun(), { credentials: { password: 'Wr0ng&Secret' } });
			const error = errorOf(run);
			expect(error.message).toBe('Five9 rejected the username/password — or the user belongs to another data center');
			expect(error.httpCode).toBe('401');
			expect(error.description).toMatch(/data center/);
			expect(JSON.stringify(error)).not.toContain('Wr0ng&Secret');
			expect(JSON.stringify(error)).not.toContain(MOCK_PASSWORD);
			expect(mock.requests).toHaveLength(1);
			expect(mock.requests[0].status).toBe(401);
		});

		test('a user of another data center gets the same message', async () => {
			const run = await runFive9(mock, callLogRun(), { credentials: { username: 'someone@other-dc.example' } });
			expect(errorOf(run).message).toBe('Five9 rejected the username/password — or the user belongs to another data center');
		});

		test('InvalidAccountFault (e.g. unanswered security questions) maps to the credential message', async () => {
			mock.inject({ operation: 'runReport', fault: 'InvalidAccountFault' });
			const error = errorOf(await runFive9(mock, callLogRun()));
			expect(error.message).toBe('Five9 rejected the username/password — or the user belongs to another data center (InvalidAccountFault)');
			expect(error.description).toMatch(/security questions/);
		});
	});

	describe('faults that pass: retried or polled again, nothing lost', () => {
		test.each([
			['HTTP 503', { operation: 'runReport', status: 503 }],
			['HTTP 429 with Retry-After', { operation: 'getReportResultCsv', status: 429, retryAfter: 0 }],
			['HTTP 500 without SOAP', { operation: 'isReportRunning', status: 500 }],
			['ServerFault', { operation: 'getReportResultCsv', fault: 'ServerFault' }],
			['ServiceUnavailableFault', { operation: 'runReport', fault: 'ServiceUnavailableFault' }],
			['UserAlreadyLoggedInFault', { operation: 'runReport', fault: 'UserAlreadyLoggedInFault' }],
			['OperationsLimitExceededFault', { operation: 'runReport', fault: 'OperationsLimitExceededFault', detail: { limit: '100', operationType: 'ReportRequest' } }],
		])('%s once: retried, all rows', async (_name, fault) => {
			mock.inject({ ...fault, match: tenthOfMarch });
			const run = await runFive9(mock, callLogRun());
			expect(run.error).toBeUndefined();
			expectCallLogItems(run.json(NODE), THREE_DAYS, SPACING);
			expect(mock.pendingFaults).toBe(0);
			const failed = mock.requests.filter((r) => r.status !== 200);
			expect(failed).toHaveLength(1);
		});

		test('ResultIsNotReadyFault sends the node back to polling', async () => {
			mock.inject({ operation: 'getReportResultCsv', fault: 'ResultIsNotReadyFault', match: tenthOfMarch });
			const run = await runFive9(mock, callLogRun());
			expect(run.error).toBeUndefined();
			expectCallLogItems(run.json(NODE), THREE_DAYS, SPACING);
			const sequence = mock.requests.filter(tenthOfMarch).map((r) => `${r.operation}:${r.fault ?? r.status}`);
			expect(sequence).toEqual([
				'runReport:200',
				'isReportRunning:200',
				'getReportResultCsv:ResultIsNotReadyFault',
				'isReportRunning:200',
				'getReportResultCsv:200',
			]);
		});

		test('the per-operation limit of the domain: back off until a slot is free', async () => {
			await mock.stop();
			mock = await new Five9Mock({
				callSpacingSeconds: SPACING,
				runningPolls: 0,
				limits: { RetrieveReport: { limit: 1, windowMs: 150 } },
			}).start();
			// The quota reserve off: this is about the back-off when a limit is hit anyway (test/engine/five9-quota.test.ts).
			const run = await runFive9(mock, callLogRun({}, { retryDelayMs: 80, maxRetries: 6, quotaReservePercent: 0 }));
			expect(run.error).toBeUndefined();
			expectCallLogItems(run.json(NODE), THREE_DAYS, SPACING);
			expect(mock.requests.some((r) => r.fault === 'OperationsLimitExceededFault')).toBe(true);
		});

		test('a used-up daily limit ends, after bounded retries, in a message saying which limit', async () => {
			await mock.stop();
			mock = await new Five9Mock({
				callSpacingSeconds: SPACING,
				runningPolls: 0,
				limits: { ReportRequest: { limit: 1, windowMs: 86_400_000 } },
			}).start();
			const error = errorOf(await runFive9(mock, callLogRun({}, { maxRetries: 2, quotaReservePercent: 0 })));
			expect(error.message).toMatch(
				/^Five9's request limit for ReportRequest \(1 requests\) is used up \(OperationsLimitExceededFault\) — window 2024-03-10 /,
			);
			expect(error.description).toMatch(/Gave up after 2 retries \(OperationsLimitExceededFault\)/);
			expect(mock.calls('runReport').filter((r) => r.fault)).toHaveLength(3);
		});

		test('a server error that does not pass ends after the retry budget', async () => {
			mock.inject({ operation: 'runReport', status: 500, times: 10 });
			const error = errorOf(await runFive9(mock, callLogRun({}, { maxRetries: 2 })));
			expect(error.message).toMatch(/^Five9 had a server error \(500\) — window 2024-03-09/);
			expect(error.description).toMatch(/Gave up after 2 retries \(HTTP 500\)/);
			expect(mock.calls('runReport')).toHaveLength(3);
		});

		test('a slow answer times out and is retried; the mock refuses the overlap meanwhile; all rows arrive', async () => {
			mock.inject({ operation: 'getReportResultCsv', delayMs: 700, match: tenthOfMarch });
			const run = await runFive9(mock, callLogRun({}, { timeoutMs: 250, retryDelayMs: 150, maxRetries: 8 }));
			expect(run.error).toBeUndefined();
			expectCallLogItems(run.json(NODE), THREE_DAYS, SPACING);
			expect(mock.calls('getReportResultCsv').filter(tenthOfMarch).length).toBeGreaterThanOrEqual(2);
		});
	});

	describe('broken answers: a clear error naming the window, no partial output', () => {
		test('malformed XML', async () => {
			mock.inject({
				operation: 'getReportResultCsv',
				match: tenthOfMarch,
				body: "<?xml version='1.0'?><env:Envelope xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\"><env:Body><ns2:getReportResultCsvResponse xmlns:ns2=\"http://service.admin.ws.five9.com/\"><return>CALL ID,TIMESTAMP\n1,x",
			});
			const run = await runFive9(mock, callLogRun());
			const error = errorOf(run);
			expect(error.message).toMatch(
				/^Five9 sent an answer to getReportResultCsv that is not valid XML: .+ — window 2024-03-10 \(2024-03-10T00:00:00.000-08:00 → 2024-03-11T00:00:00.000-07:00\)$/,
			);
			expect(run.items(NODE)).toHaveLength(0);
		});

		test('a document type declaration is refused, its entities never expanded', async () => {
			mock.inject({
				operation: 'getReportResultCsv',
				match: tenthOfMarch,
				body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY boom "boom boom boom">]><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body><ns2:getReportResultCsvResponse xmlns:ns2="http://service.admin.ws.five9.com/"><return>&boom;</return></ns2:getReportResultCsvResponse></env:Body></env:Envelope>',
			});
			const error = errorOf(await runFive9(mock, callLogRun()));
			expect(error.message).toMatch(/not valid XML: it contains a document type declaration.* — window 2024-03-10/);
		});

		test.each([
			['an unclosed quote', 'CALL ID,TIMESTAMP,AGENT NAME\n1,"Sat, 09 Mar 2024 01:00:00","Doe, Jane\n'],
			['a row with too many cells', 'CALL ID,TIMESTAMP\n1,"Sat, 09 Mar 2024 01:00:00"\n2,"Sat, 09 Mar 2024 02:00:00",extra\n'],
		])('malformed CSV: %s', async (_name, csv) => {
			mock.inject({ operation: 'getReportResultCsv', match: tenthOfMarch, csv });
			const run = await runFive9(mock, callLogRun());
			const error = errorOf(run);
			expect(error.message).toBe(
				'Five9 sent report data that is not valid CSV — window 2024-03-10 (2024-03-10T00:00:00.000-08:00 → 2024-03-11T00:00:00.000-07:00)',
			);
			expect(error.description).toMatch(/^The CSV reader said: .*line \d+/);
			expect(run.items(NODE)).toHaveLength(0);
		});

		test('with the error output on, the failure becomes an error item', async () => {
			mock.inject({ operation: 'getReportResultCsv', match: tenthOfMarch, csv: 'A,B\n"x\n' });
			const run = await runFive9(mock, callLogRun(), { onError: 'continueErrorOutput' });
			expect(run.error).toBeUndefined();
			expect(run.items(NODE, 0)).toHaveLength(0);
			const failures = run.json(NODE, 1);
			expect(failures).toHaveLength(1);
			expect(failures[0].error).toMatch(/not valid CSV — window 2024-03-10/);
		});
	});

	describe('one request per Five9 user at a time', () => {
		test('the mock refuses overlapping requests of one user (control)', async () => {
			await mock.stop();
			mock = await new Five9Mock({ latencyMs: 50 }).start();
			const { username, password } = mock.credentials();
			const call = () =>
				fetch(`${mock.url}/wsadmin/v13/AdminWebService`, {
					method: 'POST',
					headers: {
						'Content-Type': 'text/xml; charset=utf-8',
						SOAPAction: '""',
						Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
					},
					body: '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ser="http://service.admin.ws.five9.com/"><soapenv:Body><ser:getVCCConfiguration/></soapenv:Body></soapenv:Envelope>',
				});
			const statuses = (await Promise.all([call(), call()])).map((response) => response.status).sort();
			expect(statuses).toEqual([200, 500]);
			expect(mock.requests.find((r) => r.status === 500)?.fault).toBe('UserAlreadyLoggedInFault');
		});

		test('three workflows with one credential at once: never two requests of the user in flight', async () => {
			await mock.stop();
			mock = await new Five9Mock({ callSpacingSeconds: SPACING, runningPolls: 1, latencyMs: 15 }).start();
			const workflow = singleNodeWorkflow({ type: FIVE9_TYPE, parameters: callLogRun(), credentials: FIVE9_CREDENTIAL_REF }, NODE);
			const runs = await Promise.all(
				[0, 1, 2].map(async () => await runWorkflow(workflow, { credentials: { five9Api: mock.credentials() } })),
			);
			for (const run of runs) {
				expect(run.error).toBeUndefined();
				expectCallLogItems(run.json(NODE), THREE_DAYS, SPACING);
			}
			expect(mock.maxInFlight).toBe(1);
			expect(mock.requests.filter((r) => r.fault)).toHaveLength(0);
			expect(mock.calls('runReport')).toHaveLength(9);
		});
	});
});
