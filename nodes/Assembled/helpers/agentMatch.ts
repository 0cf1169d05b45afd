import type { INode } from 'n8n-workflow';

import { rowError } from '../../shared/errors';
import type { AssembledClient } from '../transport';
import { peopleDirectory, type AssembledPerson, type PeopleDirectory } from './people';

/** The agent fields of a score, as validated. */
export interface AgentFields {
	agent_email?: string;
	agent_name?: string;
	agent_platform_id?: string;
	platform?: string;
}

export type AgentMatch<T extends AgentFields> = { matched: T & { agent_email: string } } | { problem: string };

/**
 * Finds a score's agent in Assembled: by email when `verify` asks for it, else (or when the email is
 * unknown there) by platform id, taking that person's email (docs/assembled.md, "People"). The
 * score comes back with its email (and a missing name) filled in, or with why no one matched.
 */
export function matchAgent<T extends AgentFields>(
	score: T,
	lookupIds: readonly string[],
	directory: PeopleDirectory,
	verify: boolean,
): AgentMatch<T> {
	if (score.agent_email && (!verify || directory.findByEmail(score.agent_email).length > 0)) {
		return { matched: { ...score, agent_email: score.agent_email } };
	}
	const platform = (score.platform || 'five9').toLowerCase();
	const who = score.agent_name ? ` (${score.agent_name})` : '';
	if (!score.agent_platform_id) {
		return { problem: `no agent in Assembled People has the email "${score.agent_email}"${who}` };
	}
	const candidates = [...new Set([score.agent_platform_id, ...lookupIds])];
	let matches: AssembledPerson[] = [];
	for (const id of candidates) {
		matches = directory.findByPlatformId(id, platform).filter((p) => p.email);
		if (matches.length > 0) break;
	}
	if (matches.length === 1) {
		const [person] = matches;
		const name = score.agent_name ?? ([person.first_name, person.last_name].filter(Boolean).join(' ') || undefined);
		return { matched: { ...score, agent_email: String(person.email), agent_name: name } };
	}
	if (matches.length > 1) {
		return {
			problem: `agent ${platform} id "${score.agent_platform_id}" matches ${matches.length} people in Assembled (${matches
				.map((p) => p.email)
				.join(', ')}); give agent_email instead`,
		};
	}
	return {
		problem: `no agent in Assembled People has ${score.agent_email ? `the email "${score.agent_email}" or ` : ''}${platform} id or imported id "${score.agent_platform_id}"${who}${
			score.agent_email ? '' : ', and no agent_email was given'
		}`,
	};
}

/** The Assembled agent id of an agent given by agent id, email or Five9 id (an unknown one is a row error). */
export async function resolveAgentId(
	node: INode,
	client: AssembledClient,
	by: string,
	agent: string,
	itemIndex: number,
): Promise<{ agentId: string; person?: AssembledPerson }> {
	if (by === 'agentId') return { agentId: agent };
	const directory = await peopleDirectory(client, itemIndex);
	const matches = by === 'email' ? directory.findByEmail(agent) : directory.findByPlatformId(agent, 'five9');
	const withAgent = matches.filter((person) => person.agent_id);
	if (withAgent.length === 1) return { agentId: String(withAgent[0].agent_id), person: withAgent[0] };
	const what = by === 'email' ? `email "${agent}"` : `Five9 ID "${agent}"`;
	throw rowError(
		node,
		withAgent.length === 0 ? `No agent in Assembled People has ${what}` : `${withAgent.length} agents in Assembled People have ${what}`,
		'unknownAgent',
		{ itemIndex, description: 'Check the agent in Assembled → People, or give the Assembled agent ID.' },
	);
}
