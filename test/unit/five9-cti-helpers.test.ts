/**
 * The parts of the CTI trigger that the engine tests cannot reach in reasonable time or shape:
 * the dedupe window expiring and its memory bound, and the credential's format check.
 */
import { createHash } from 'node:crypto';

import type { ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';

import {
	MAX_REMEMBERED_PER_TRIGGER,
	firstDelivery,
	rememberedCount,
} from '../../nodes/Five9CtiTrigger/helpers/recentEvents';
import { five9CtiTrustToken } from '../../nodes/Five9CtiTrigger/methods/credentialTest';

const MINUTE = 60_000;
let scopeCounter = 0;
const newScope = () => `unit-scope-${++scopeCounter}`;

describe('recent events', () => {
	test('a key is a duplicate inside the window and new again after it', () => {
		const scope = newScope();
		const t0 = 1_700_000_000_000;
		expect(firstDelivery(scope, 'k', 10 * MINUTE, t0)).toBe(true);
		expect(firstDelivery(scope, 'k', 10 * MINUTE, t0 + 10 * MINUTE - 1)).toBe(false);
		expect(firstDelivery(scope, 'k', 10 * MINUTE, t0 + 10 * MINUTE)).toBe(true);
	});

	test('scopes do not see each other', () => {
		const [a, b] = [newScope(), newScope()];
		expect(firstDelivery(a, 'k', MINUTE, 0)).toBe(true);
		expect(firstDelivery(b, 'k', MINUTE, 0)).toBe(true);
	});

	test('expired keys are forgotten and memory stays bounded', () => {
		const scope = newScope();
		for (let i = 0; i < 50; i++) firstDelivery(scope, `old-${i}`, MINUTE, 0);
		expect(rememberedCount(scope)).toBe(50);
		firstDelivery(scope, 'new', MINUTE, 2 * MINUTE);
		expect(rememberedCount(scope)).toBe(1);

		const flood = newScope();
		for (let i = 0; i < MAX_REMEMBERED_PER_TRIGGER + 25; i++)
			firstDelivery(flood, `k-${i}`, 60 * MINUTE, 1000 + i);
		expect(rememberedCount(flood)).toBe(MAX_REMEMBERED_PER_TRIGGER);
		// The oldest were dropped to make room; the newest are still known.
		expect(firstDelivery(flood, 'k-0', 60 * MINUTE, 10_000)).toBe(true);
		expect(firstDelivery(flood, `k-${MAX_REMEMBERED_PER_TRIGGER + 24}`, 60 * MINUTE, 10_000)).toBe(
			false,
		);
	});

	test('a window of 0 or less remembers nothing', () => {
		const scope = newScope();
		expect(firstDelivery(scope, 'k', 0, 0)).toBe(true);
		expect(firstDelivery(scope, 'k', -5, 0)).toBe(true);
		expect(rememberedCount(scope)).toBe(0);
	});
});

describe('credential format check', () => {
	const check = (data: Record<string, unknown>) =>
		five9CtiTrustToken.call(
			{} as ICredentialTestFunctions,
			{ id: 'c', name: 'c', type: 'five9CtiApi', data } as ICredentialsDecrypted,
		);

	test('a good token passes and the message states the digest Five9 will receive', async () => {
		const token = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
		const result = await check({ trustToken: token, apiKey: 'Key-123' });
		expect(result.status).toBe('OK');
		expect(result.message).toContain(createHash('sha256').update(token).digest('hex'));
		expect(result.message).not.toContain(token);
	});

	test.each([
		['an empty token', { trustToken: '' }, /empty/],
		[
			'a token with a trailing line break',
			{ trustToken: 'a1b2c3d4e5f60718293a4b5c6d7e8f90\n' },
			/line break/,
		],
		['a short token', { trustToken: 'test' }, /shorter than 16/],
		[
			'no API key (anyone could send events)',
			{ trustToken: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', apiKey: '' },
			/API key is empty.*anyone/,
		],
		[
			'an API key with a space',
			{ trustToken: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', apiKey: 'abc def' },
			/spaces/,
		],
	])('%s is reported', async (_case, data, message) => {
		const result = await check(data);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
	});
});
