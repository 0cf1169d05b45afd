/**
 * Fills a missing `agent_email` of evaluations from Five9's user list (docs/five9.md, "Directory"):
 * by the agent's Five9 user name, else by the Five9 user ID. The list is read once per client —
 * one `getUsersGeneralInfo` per execution or poll — and only when some evaluation needs it.
 */
import type { Five9Client } from '../transport';
import { listDirectory } from './directory';
import type { Evaluation } from './evaluation';

interface UserIndex {
	byName: Map<string, string | null>;
	byId: Map<string, string | null>;
}

const indexes = new WeakMap<Five9Client, Promise<UserIndex>>();

function userIndex(client: Five9Client, itemIndex?: number): Promise<UserIndex> {
	let index = indexes.get(client);
	if (!index) {
		index = (async () => {
			const users = await listDirectory(client, 'user', { pattern: '', itemIndex });
			const byName = new Map<string, string | null>();
			const byId = new Map<string, string | null>();
			for (const user of users) {
				const email = typeof user.email === 'string' && user.email.trim() ? user.email.trim().toLowerCase() : null;
				// Five9 user names are case-insensitive logins.
				if (typeof user.userName === 'string' && user.userName.trim()) byName.set(user.userName.trim().toLowerCase(), email);
				if (typeof user.id === 'string' && user.id.trim()) byId.set(user.id.trim(), email);
			}
			return { byName, byId };
		})();
		// A failed read is not kept: the next call asks again.
		index.catch(() => indexes.delete(client));
		indexes.set(client, index);
	}
	return index;
}

export interface EmailFill {
	/** Evaluations whose email came from Five9. */
	filled: number;
	/** Agents (by name, else user name or ID) Five9 does not know, or knows without an email. */
	unmatched: string[];
}

/** Sets `agent_email` on the evaluations that have none and whose agent Five9 knows with an email. */
export async function fillAgentEmails(client: Five9Client, evaluations: Evaluation[], itemIndex?: number): Promise<EmailFill> {
	const missing = evaluations.filter((evaluation) => !evaluation.agent_email);
	const result: EmailFill = { filled: 0, unmatched: [] };
	if (missing.length === 0) return result;
	const { byName, byId } = await userIndex(client, itemIndex);
	const unmatched = new Set<string>();
	for (const evaluation of missing) {
		const name = evaluation.agent_username?.trim().toLowerCase();
		const id = evaluation.agent_five9_id?.trim();
		const email = (name ? byName.get(name) : undefined) ?? (id ? byId.get(id) : undefined);
		if (email) {
			evaluation.agent_email = email;
			result.filled += 1;
		} else {
			unmatched.add(evaluation.agent_name ?? evaluation.agent_username ?? evaluation.agent_five9_id ?? evaluation.evaluation_id);
		}
	}
	result.unmatched = [...unmatched];
	return result;
}
