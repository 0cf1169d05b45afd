/**
 * Searches everything a run leaves behind for secrets, in every form a server may echo them in.
 * The encoders are written out here rather than imported, so the search does not share the
 * redactor's idea of what a form looks like.
 */
import type { WorkflowRun } from './engine';

export interface Secret {
	/** What the hit report calls it. */
	name: string;
	forms: string[];
}

const htmlNamed = (text: string, apos: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, apos);
const htmlMinimal = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const htmlNumeric = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const htmlHex = (text: string) => text.replace(/[&<>"']/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`);
const u = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
const jsonPlain = (text: string) => JSON.stringify(text).slice(1, -1);

/** Every textual form of `secret`: raw, URL-, HTML- and JSON-escaped (one level and two). */
export function formsOf(secret: string): string[] {
	const json = jsonPlain(secret);
	const url = encodeURIComponent(secret);
	const forms = [
		secret,
		url,
		url.replace(/%20/g, '+'),
		url.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
		encodeURI(secret),
		htmlMinimal(secret),
		htmlNamed(secret, '&#39;'),
		htmlNamed(secret, '&#x27;'),
		htmlNamed(secret, '&apos;'),
		htmlNumeric(secret),
		htmlHex(secret),
		json,
		// Serializers that keep HTML characters out of JSON strings, with or without non-ASCII escaped.
		json.replace(/[<>&]/g, u),
		json.replace(/[<>&']/g, u),
		json.replace(/[<>&'\u007f-\uffff]/g, u),
		json.replace(/[\u007f-\uffff]/g, u),
		// A page quoting an escaped JSON string, and a JSON string quoting a page.
		htmlNamed(json, '&#39;'),
		jsonPlain(htmlNamed(secret, '&#39;')),
	];
	return [...new Set(forms)];
}

/** A Basic pair travels as base64; decoded, it is printed in the same forms as any text. */
export function basicPairForms(user: string, password: string): string[] {
	const pair = `${user}:${password}`;
	const base64 = Buffer.from(pair, 'utf8').toString('base64');
	return [...new Set([base64, base64.replace(/=+$/, ''), Buffer.from(pair, 'utf8').toString('base64url'), encodeURIComponent(base64), ...formsOf(pair)])];
}

/** Every string in a value: object keys and values, and every own property of errors (stack, cause…). */
function collectStrings(value: unknown, into: string[], seen = new Set<unknown>(), depth = 0): void {
	if (depth > 60) return;
	if (typeof value === 'string') {
		into.push(value);
		return;
	}
	if (!value || typeof value !== 'object' || seen.has(value)) return;
	seen.add(value);
	if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) {
		into.push(Buffer.from((value as Uint8Array).buffer, (value as Uint8Array).byteOffset, (value as Uint8Array).byteLength).toString('utf8'));
		return;
	}
	const keys = value instanceof Error ? [...new Set([...Object.getOwnPropertyNames(value), ...Object.keys(value), 'message', 'stack', 'cause'])] : Object.keys(value);
	for (const key of keys) {
		into.push(key);
		let child: unknown;
		try {
			child = (value as Record<string, unknown>)[key];
		} catch {
			continue;
		}
		collectStrings(child, into, seen, depth + 1);
	}
}

/** The run as stored (JSON) and every string inside it, node errors' own fields included; `extra` too (e.g. a thrown error). */
export function runTexts(run: WorkflowRun | undefined, ...extra: unknown[]): string[] {
	const texts: string[] = [];
	if (run) {
		try {
			texts.push(JSON.stringify(run.run));
		} catch (error) {
			texts.push(`unserializable run: ${(error as Error).message}`);
		}
		collectStrings(run.run, texts);
		for (const tasks of Object.values(run.run.data.resultData.runData)) for (const task of tasks) collectStrings(task.error, texts);
		collectStrings(run.error, texts);
	}
	for (const value of extra) {
		collectStrings(value, texts);
		try {
			texts.push(JSON.stringify(value));
		} catch {
			// Its strings were collected above.
		}
	}
	return texts;
}

export interface Hit {
	secret: string;
	form: string;
	context: string;
}

/** Where any form of any secret occurs in the texts; empty when none does. */
export function findSecrets(texts: string[], secrets: Secret[]): Hit[] {
	const hits: Hit[] = [];
	for (const secret of secrets) {
		for (const form of secret.forms) {
			if (!form) continue;
			for (const text of texts) {
				const at = text.indexOf(form);
				if (at < 0) continue;
				hits.push({ secret: secret.name, form, context: text.slice(Math.max(0, at - 80), at + form.length + 40) });
				break;
			}
		}
	}
	return hits;
}
