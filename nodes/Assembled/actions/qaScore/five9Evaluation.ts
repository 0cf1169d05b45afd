import type { IDataObject } from 'n8n-workflow';

import type { QaScoreFields } from '../../helpers/qaScore';

export const FIVE9_EVALUATION_SOURCE = 'five9Evaluation';

/** Prefix that keeps Five9 evaluation ids apart from other QA tools' ids in Assembled. */
export const FIVE9_IMPORTED_ID_PREFIX = 'five9-aqm-';

const present = (value: unknown) =>
	value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');

/**
 * Maps the normalized evaluation item of the Five9 node (Evaluation resource) and the Five9
 * Evaluation Trigger onto Assembled's QA score fields (five9.md §4, seed 000).
 */
export function readFiveNineEvaluationFields(json: IDataObject): QaScoreFields {
	if (!present(json.evaluation_id)) {
		throw new Error('evaluation_id is missing: is this item a Five9 evaluation? Use "Custom Mapping" for other data');
	}
	const username = present(json.agent_username) ? String(json.agent_username) : undefined;
	const email = present(json.agent_email)
		? json.agent_email
		: username && username.includes('@')
			? username
			: undefined;
	let score = json.score;
	let maxScore = json.max_score;
	if (!present(score) && present(json.score_percent)) {
		score = json.score_percent;
		maxScore = 100;
	}
	return {
		imported_id: `${FIVE9_IMPORTED_ID_PREFIX}${String(json.evaluation_id).trim()}`,
		agent_email: email,
		agent_platform_id: present(json.agent_five9_id) ? json.agent_five9_id : username,
		agent_name: json.agent_name,
		platform: 'five9',
		ticket_created_at: present(json.interaction_started_at) ? json.interaction_started_at : json.evaluated_at,
		score,
		max_score: present(maxScore) ? maxScore : undefined,
		grader: json.evaluator,
		graded_at: json.evaluated_at,
		// Assembled may know a Five9 agent by user id or by username (assembled.md §7): try both.
		agent_lookup_ids: [json.agent_five9_id, username].filter(present),
	};
}
