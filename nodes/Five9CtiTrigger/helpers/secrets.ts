import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * What Five9 expects back from the validation GET: the lowercase hex SHA-256 of the UTF-8 trust
 * token (docs/cti.md, "Trust-token handshake"). The digest is public by design; the token never
 * leaves this function.
 */
export function trustTokenDigest(trustToken: string): string {
	return createHash('sha256').update(trustToken, 'utf8').digest('hex');
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Constant-time comparison of a presented API key with the configured one. Both sides are hashed
 * first so the buffers always have the same length and the key's length is not revealed either.
 */
export function apiKeyMatches(presented: string, expected: string): boolean {
	return timingSafeEqual(sha256(presented), sha256(expected));
}

/** Header names the sources give for the subscription's API key (docs/cti.md, "API key"). */
export const API_KEY_HEADERS = ['x-api-key', 'x-f9-apikey'] as const;

/** Every API key the request carries, from either header name (Node lowercases header names). */
export function presentedApiKeys(headers: Record<string, string | string[] | undefined>): string[] {
	const keys: string[] = [];
	for (const name of API_KEY_HEADERS) {
		const value = headers[name];
		for (const one of Array.isArray(value) ? value : [value]) {
			if (typeof one === 'string' && one.trim() !== '') keys.push(one.trim());
		}
	}
	return keys;
}

/**
 * True when one of the presented keys is the expected one. Every candidate is compared, so the
 * time taken does not tell which header (or whether any) matched.
 */
export function requestCarriesApiKey(
	headers: Record<string, string | string[] | undefined>,
	expected: string,
): boolean {
	let matched = false;
	for (const key of presentedApiKeys(headers)) {
		if (apiKeyMatches(key, expected)) matched = true;
	}
	return matched;
}

/**
 * A fresh trust token to offer: 32 random bytes as 64 hex characters, as `openssl rand -hex 32`
 * gives. New on every call and kept nowhere, so no two credentials are offered the same one.
 */
export function generateTrustToken(): string {
	return randomBytes(32).toString('hex');
}

/** Shorter tokens can be guessed from their published digest. */
export const MIN_TRUST_TOKEN_LENGTH = 16;

/** Why a trust token would not work, in words a consultant can act on; undefined when it is fine. */
export function trustTokenProblem(token: unknown): string | undefined {
	if (typeof token !== 'string' || token === '')
		return 'The trust token is empty. Enter the same value you set as Trust Token in the Five9 subscription.';
	if (token.trim() !== token) {
		return 'The trust token starts or ends with a space or line break. Five9 hashes the token exactly as typed, so the validation would fail: remove the extra characters.';
	}
	if (token.length < MIN_TRUST_TOKEN_LENGTH) {
		return `The trust token is shorter than ${MIN_TRUST_TOKEN_LENGTH} characters. Its SHA-256 is answered to anyone who asks, so a short token can be guessed from it: use a long random value (for example 64 hex characters).`;
	}
	return undefined;
}

export function apiKeyProblem(apiKey: unknown): string | undefined {
	if (apiKey === undefined || apiKey === null || apiKey === '') {
		return 'The API key is empty, so anyone who learns the webhook URL could send events. Five9 shows the key once after you save the subscription: copy it into this credential (until then, turn on "Validation Only" in the trigger so Five9 can validate the URL).';
	}
	if (typeof apiKey !== 'string') return 'The API key must be text.';
	if (apiKey.trim() !== apiKey || /\s/.test(apiKey)) {
		return 'The API key contains spaces or line breaks. Copy it again from the Five9 subscription, without surrounding whitespace.';
	}
	return undefined;
}
