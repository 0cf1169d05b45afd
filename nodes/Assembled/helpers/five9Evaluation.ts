import type { IDataObject } from 'n8n-workflow';

import type { QaScoreFields } from './qaScore';
import { isPresent } from '../../shared/values';

export const FIVE9_EVALUATION_SOURCE = 'five9Evaluation';

/** Prefix that keeps Five9 evaluation ids apart from other QA tools' ids in Assembled. */
export const FIVE9_IMPORTED_ID_PREFIX = 'five9-aqm-';

/**
 * Maps the normalized evaluation item of the Five9 node (Evaluation resource) and the Five9
 * Evaluation Trigger onto Assembled's QA score fields (docs/assembled.md, "QA scores").
 */
/** The imported_id a Five9 evaluation item is sent with, or undefined without an evaluation_id. */
export function fiveNineImportedId(json: IDataObject): string | undefined {
	return isPresent(json.evaluation_id) ? `${FIVE9_IMPORTED_ID_PREFIX}${String(json.evaluation_id).trim()}` : undefined;
}

export function readFiveNineEvaluationFields(json: IDataObject): QaScoreFields {
	const importedId = fiveNineImportedId(json);
	if (importedId === undefined) {
		throw new Error('evaluation_id is missing: is this item a Five9 evaluation? Use "Custom Mapping" for other data');
	}
	const username = isPresent(json.agent_username) ? String(json.agent_username) : undefined;
	const email = isPresent(json.agent_email)
		? json.agent_email
		: username && username.includes('@')
			? username
			: undefined;
	let score = json.score;
	let maxScore = json.max_score;
	if (!isPresent(score) && isPresent(json.score_percent)) {
		score = json.score_percent;
		maxScore = 100;
	}
	return {
		imported_id: importedId,
		agent_email: email,
		agent_platform_id: isPresent(json.agent_five9_id) ? json.agent_five9_id : username,
		agent_name: json.agent_name,
		platform: 'five9',
		ticket_created_at: isPresent(json.interaction_started_at) ? json.interaction_started_at : json.evaluated_at,
		score,
		max_score: isPresent(maxScore) ? maxScore : undefined,
		grader: json.evaluator,
		graded_at: json.evaluated_at,
		// Assembled may know a Five9 agent by user id or by username (docs/assembled.md, "Platform ids"): try both.
		agent_lookup_ids: [json.agent_five9_id, username].filter(isPresent),
	};
}
