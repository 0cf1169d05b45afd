import { z } from 'zod/v4';

import { parseDecimal } from '../../shared/numbers';
import { isBlank } from '../../shared/values';
import { keptText, numeric, readUnixSeconds, text, unixSeconds } from './fields';

/**
 * One score as `POST /v0/qa_scores/bulk` takes it (docs/assembled.md, "QA scores"): agent_email,
 * ticket_created_at, score and imported_id are required; the rest optional. Timestamps are unix
 * seconds (docs/assembled.md, "Collections and timestamps").
 */
export interface QaScorePayload {
	imported_id: string;
	agent_email: string;
	ticket_created_at: number;
	score: number;
	max_score: number;
	agent_name?: string;
	agent_platform_id?: string;
	platform?: string;
	grader?: string;
	graded_at?: number;
}

/** What the node reads from one input item before validation. */
export interface QaScoreFields {
	imported_id?: unknown;
	agent_email?: unknown;
	agent_name?: unknown;
	agent_platform_id?: unknown;
	platform?: unknown;
	ticket_created_at?: unknown;
	score?: unknown;
	max_score?: unknown;
	grader?: unknown;
	graded_at?: unknown;
	/** More ids of the agent to look for in Assembled People; never sent. */
	agent_lookup_ids?: unknown[];
}

/** Assembled's limit per bulk request (docs/assembled.md, "QA scores"). */
export const MAX_SCORES_PER_REQUEST = 1000;

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function qaScoreSchema(timeZone: string) {
	return z
		.object({
			imported_id: text('imported_id', true, 255),
			agent_email: text('agent_email', false, 320),
			agent_name: text('agent_name', false),
			agent_platform_id: text('agent_platform_id', false, 255),
			platform: text('platform', false, 64),
			ticket_created_at: unixSeconds(true, timeZone),
			score: numeric(true),
			max_score: numeric(false),
			grader: text('grader', false),
			graded_at: unixSeconds(false, timeZone),
		})
		.superRefine((value, ctx) => {
			if (value.agent_email !== undefined && !EMAIL_RE.test(value.agent_email)) {
				ctx.addIssue({
					code: 'custom',
					path: ['agent_email'],
					message: `"${value.agent_email}" is not an email address`,
				});
			}
			if (value.agent_email === undefined && value.agent_platform_id === undefined) {
				ctx.addIssue({
					code: 'custom',
					path: ['agent_email'],
					message: 'is required (or an agent_platform_id to look the agent up in Assembled)',
				});
			}
			const maxScore = value.max_score ?? 100;
			if (value.max_score !== undefined && !(value.max_score > 0)) {
				ctx.addIssue({ code: 'custom', path: ['max_score'], message: 'must be greater than 0' });
			}
			if (value.score !== undefined) {
				if (value.score < 0) {
					ctx.addIssue({ code: 'custom', path: ['score'], message: 'must not be negative' });
				} else if (maxScore > 0 && value.score > maxScore) {
					ctx.addIssue({
						code: 'custom',
						path: ['score'],
						message: `${value.score} is greater than max_score (${maxScore})`,
					});
				}
			}
		});
}

export type ParsedQaScore = z.output<ReturnType<typeof qaScoreSchema>>;

export type QaScoreValidation =
	| { ok: true; score: ParsedQaScore }
	| { ok: false; reasons: string[] };

const schemas = new Map<string, ReturnType<typeof qaScoreSchema>>();

/** Marks a field the quick check leaves to the schema (it is not plainly valid). */
const UNSURE = Symbol('unsure');

/** The quick check of `text()` for a valid value; UNSURE for anything the schema would report. */
function plainText(value: unknown, required: boolean, max: number): string | undefined | typeof UNSURE {
	if (isBlank(value)) return required ? UNSURE : undefined;
	const kept = keptText(value);
	return kept === undefined || kept.length > max ? UNSURE : kept;
}

function plainNumber(value: unknown, required: boolean): number | undefined | typeof UNSURE {
	if (isBlank(value)) return required ? UNSURE : undefined;
	return parseDecimal(value, { percent: true }) ?? UNSURE;
}

function plainSeconds(value: unknown, required: boolean, timeZone: string): number | undefined | typeof UNSURE {
	if (isBlank(value)) return required ? UNSURE : undefined;
	const read = readUnixSeconds(value, timeZone);
	return 'seconds' in read ? read.seconds : UNSURE;
}

/**
 * What `qaScoreSchema` makes of a plainly valid score, the same fields in the same order, without
 * the schema's cost (about ten times less per item: it is paid for every score of a push). Any
 * doubt returns undefined and the schema decides, with its words; a unit test keeps the two equal.
 */
export function plainQaScore(fields: QaScoreFields, timeZone: string): ParsedQaScore | undefined {
	const score = {
		imported_id: plainText(fields.imported_id, true, 255),
		agent_email: plainText(fields.agent_email, false, 320),
		agent_name: plainText(fields.agent_name, false, 512),
		agent_platform_id: plainText(fields.agent_platform_id, false, 255),
		platform: plainText(fields.platform, false, 64),
		ticket_created_at: plainSeconds(fields.ticket_created_at, true, timeZone),
		score: plainNumber(fields.score, true),
		max_score: plainNumber(fields.max_score, false),
		grader: plainText(fields.grader, false, 512),
		graded_at: plainSeconds(fields.graded_at, false, timeZone),
	};
	for (const key in score) if (score[key as keyof typeof score] === UNSURE) return undefined;
	const plain = score as ParsedQaScore;
	if (plain.agent_email !== undefined ? !EMAIL_RE.test(plain.agent_email) : plain.agent_platform_id === undefined) return undefined;
	const maxScore = plain.max_score ?? 100;
	if (plain.max_score !== undefined && !(plain.max_score > 0)) return undefined;
	if (plain.score !== undefined && (plain.score < 0 || (maxScore > 0 && plain.score > maxScore))) return undefined;
	return plain;
}

export function validateQaScore(fields: QaScoreFields, timeZone: string): QaScoreValidation {
	const plain = plainQaScore(fields, timeZone);
	if (plain) return { ok: true, score: plain };
	let schema = schemas.get(timeZone);
	if (!schema) {
		schema = qaScoreSchema(timeZone);
		schemas.set(timeZone, schema);
	}
	const result = schema.safeParse(fields);
	if (result.success) return { ok: true, score: result.data };
	return {
		ok: false,
		reasons: result.error.issues.map((issue) => `${issue.path.join('.') || 'item'} ${issue.message}`),
	};
}

/** Builds the wire payload; optional fields are left out rather than sent empty. */
export function toPayload(score: ParsedQaScore, defaultPlatform: string): QaScorePayload | undefined {
	if (!score.imported_id || !score.agent_email || score.ticket_created_at === undefined || score.score === undefined) {
		return undefined;
	}
	const payload: QaScorePayload = {
		imported_id: score.imported_id,
		agent_email: score.agent_email,
		ticket_created_at: score.ticket_created_at,
		score: score.score,
		max_score: score.max_score ?? 100,
	};
	if (score.agent_name) payload.agent_name = score.agent_name;
	if (score.agent_platform_id) {
		payload.agent_platform_id = score.agent_platform_id;
		payload.platform = (score.platform || defaultPlatform || 'five9').toLowerCase();
	}
	if (score.grader) payload.grader = score.grader;
	if (score.graded_at !== undefined) payload.graded_at = score.graded_at;
	return payload;
}
