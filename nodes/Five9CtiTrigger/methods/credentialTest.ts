import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { apiKeyProblem, trustTokenDigest, trustTokenProblem } from '../helpers/secrets';

/**
 * Nothing remote can verify a trust token: Five9 checks it by calling n8n when the subscription
 * is saved. So this checks what can go wrong locally (empty, stray whitespace, too short to stay
 * secret) and states the digest n8n will answer, to compare with what the webhook URL returns.
 */
export async function five9CtiTrustToken(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const problem = trustTokenProblem(data.trustToken) ?? apiKeyProblem(data.apiKey);
	if (problem) return { status: 'Error', message: problem };
	const digest = trustTokenDigest(data.trustToken as string);
	return {
		status: 'OK',
		message: `The token's format is fine. Five9 checks it itself when you save the subscription: n8n will answer its validation request with "${digest}".`,
	};
}
