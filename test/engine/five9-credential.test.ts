/**
 * The Five9 credential's "Test" request, resolved the way n8n resolves it (expressions over
 * $credentials) and sent to the mock.
 */
import type { ICredentialTestRequest, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { Five9Api } from '../../credentials/Five9Api.credentials';
import { loadTypes } from '../harness/engine';
import { Five9Mock } from '../mocks/five9';

async function resolver() {
	const { nodeTypes } = await loadTypes();
	const node: INode = { id: 'm', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, nodeTypes, active: false });
	return (value: unknown, credentials: Record<string, unknown>) =>
		typeof value === 'string' && value.startsWith('=')
			? workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '')
			: value;
}

describe('Five9 credential test', () => {
	const credential = new Five9Api();
	const test_ = credential.test as ICredentialTestRequest;
	let mock: Five9Mock;
	beforeAll(async () => {
		mock = await new Five9Mock().start();
	});
	afterAll(async () => {
		await mock.stop();
	});

	test('the base URL follows the data center', async () => {
		const resolve = await resolver();
		const urls = Object.fromEntries(
			['us', 'ca', 'uk', 'eu', 'in'].map((dataCenter) => [dataCenter, resolve(test_.request.baseURL, { dataCenter })]),
		);
		expect(urls).toEqual({
			us: 'https://api.five9.com',
			ca: 'https://api.five9.ca',
			uk: 'https://api.five9.eu',
			eu: 'https://api.eu.five9.com',
			in: 'https://api.in.five9.com',
		});
		expect(resolve(test_.request.baseURL, { dataCenter: 'custom', baseUrl: `${mock.url}//` })).toBe(mock.url);
	});

	test('a read-only SOAP call that succeeds with good credentials and maps 401 to the plain message', async () => {
		const resolve = await resolver();
		const send = async (password: string) => {
			const data = { ...mock.credentials(), password };
			return await fetch(`${resolve(test_.request.baseURL, data) as string}${test_.request.url}`, {
				method: test_.request.method,
				headers: {
					...(test_.request.headers as Record<string, string>),
					Authorization: `Basic ${Buffer.from(`${data.username}:${data.password}`).toString('base64')}`,
				},
				body: test_.request.body as string,
			});
		};
		const good = await send(mock.credentials().password);
		expect(good.status).toBe(200);
		expect(await good.text()).toContain('getVCCConfigurationResponse');
		expect(mock.requests.at(-1)?.operation).toBe('getVCCConfiguration');

		const bad = await send('not-the-password');
		expect(bad.status).toBe(401);
		const rule = test_.rules?.find((r) => r.type === 'responseCode' && r.properties.value === bad.status);
		expect(rule?.properties.message).toBe('Five9 rejected the username/password — or the user belongs to another data center');
	});

	test('the password is a password field and sent only as Basic auth', () => {
		const password = credential.properties.find((p) => p.name === 'password');
		expect(password?.typeOptions?.password).toBe(true);
		expect(JSON.stringify(credential.authenticate)).toContain('$credentials.password');
		expect(JSON.stringify(test_)).not.toContain('$credentials.password');
	});
});
