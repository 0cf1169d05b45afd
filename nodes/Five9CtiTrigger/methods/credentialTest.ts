import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import {
	MIN_TRUST_TOKEN_LENGTH,
	apiKeyProblem,
	generateTrustToken,
	trustTokenDigest,
	trustTokenProblem,
} from '../helpers/secrets';

/**
 * Nothing remote can verify a trust token: Five9 checks it by calling n8n when the subscription
 * is saved. So this checks what can go wrong locally (empty, stray whitespace, too short to stay
 * secret) and states the digest n8n will answer, to compare with what the webhook URL returns.
 * An empty or short token gets a freshly generated one in the answer: the test runs when the
 * credential is saved, and its answer is shown only to the person saving it.
 */
export async function five9CtiTrustToken(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const tokenProblem = trustTokenProblem(data.trustToken);
	if (tokenProblem) {
		const token = data.trustToken;
		// A token that is only padded with spaces is kept: trimming it is the fix.
		const tooWeak = typeof token !== 'string' || token.trim().length < MIN_TRUST_TOKEN_LENGTH;
		const offer = tooWeak
			? ` You can use this one, generated just now and stored nowhere: ${generateTrustToken()} (enter it here and as the subscription's Trust Token in Five9).`
			: '';
		return { status: 'Error', message: tokenProblem + offer };
	}
	const problem = apiKeyProblem(data.apiKey);
	if (problem) return { status: 'Error', message: problem };
	const digest = trustTokenDigest(data.trustToken as string);
	return {
		status: 'OK',
		message: `The token's format is fine. Five9 checks it itself when you save the subscription: n8n will answer its validation request with "${digest}".`,
	};
}
