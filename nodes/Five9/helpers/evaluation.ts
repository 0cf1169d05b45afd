import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod/v4';

import { parseDecimal } from '../../shared/numbers';
import { parseTimestamp } from '../../shared/time';
import { timestampReader } from './values';

/**
 * One quality evaluation, the same whichever source it came from (a Five9 report, the provisional
 * evaluations API, or an exported file). Times are ISO 8601 UTC.
 */
export interface Evaluation extends IDataObject {
	evaluation_id: string;
	agent_username: string | null;
	agent_email: string | null;
	agent_name: string | null;
	agent_five9_id: string | null;
	evaluator: string | null;
	form_name: string | null;
	score: number;
	max_score: number | null;
	score_percent: number | null;
	evaluated_at: string;
	interaction_id: string | null;
	session_id: string | null;
	interaction_started_at: string | null;
	campaign: string | null;
	skill: string | null;
	media_type: string | null;
	status: string | null;
	sections: IDataObject[] | null;
	source: EvaluationSource;
}

export type EvaluationSource = 'report' | 'api' | 'file';

/**
 * Column names of an evaluation export or report (docs/five9.md, "Evaluations"), overridable per
 * field in the node.
 */
export const DEFAULT_EVALUATION_COLUMNS = {
	evaluation_id: 'EVALUATION ID',
	agent_username: 'AGENT',
	agent_name: 'AGENT NAME',
	agent_email: 'AGENT EMAIL',
	agent_five9_id: 'AGENT ID',
	evaluator: 'EVALUATOR',
	form_name: 'FORM NAME',
	score: 'SCORE',
	max_score: 'MAX SCORE',
	score_percent: 'SCORE %',
	evaluated_at: 'EVALUATION DATE',
	interaction_id: 'CALL ID',
	session_id: 'SESSION ID',
	interaction_started_at: 'INTERACTION DATE',
	campaign: 'CAMPAIGN',
	skill: 'SKILL',
	media_type: 'MEDIA TYPE',
	status: 'STATUS',
} as const;

export type EvaluationField = keyof typeof DEFAULT_EVALUATION_COLUMNS;
export type ColumnMap = Record<EvaluationField, string>;

const blank = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && (value.trim() === '' || value.trim() === '-'));

const text = z.unknown().transform((value) => (blank(value) ? null : String(value).trim()));

function number(label: string) {
	return z.unknown().transform((value, ctx) => {
		if (blank(value)) return null;
		// Reports write "90%" and "1,234.5"; hex, binary and Infinity are no scores.
		const parsed = parseDecimal(value, { percent: true, thousands: true });
		if (parsed === undefined) {
			ctx.addIssue({ code: 'custom', message: `${label} is not a number: ${JSON.stringify(value)}` });
			return z.NEVER;
		}
		return parsed;
	});
}

function time(label: string, timeZone: string, five9Formats: boolean) {
	const five9 = five9Formats ? timestampReader(timeZone) : undefined;
	return z.unknown().transform((value, ctx) => {
		if (blank(value)) return null;
		// Report formats (`Mon, 05 Feb 2024 13:45:12`, `2024/02/05 13:45:12`) first, then ISO and unix.
		const fromReport = five9 && typeof value === 'string' ? five9(value.trim()) : undefined;
		if (fromReport !== undefined && fromReport.length > 10) return fromReport;
		const parsed = parseTimestamp(fromReport ?? value, timeZone);
		if (!parsed.ok) {
			ctx.addIssue({ code: 'custom', message: `${label} ${parsed.reason}` });
			return z.NEVER;
		}
		return new Date(parsed.epochMs).toISOString();
	});
}

function schemaFor(timeZone: string, five9Formats: boolean) {
	return z
		.object({
			evaluation_id: text,
			agent_username: text,
			agent_email: text,
			agent_name: text,
			agent_five9_id: text,
			evaluator: text,
			form_name: text,
			score: number('score'),
			max_score: number('max score'),
			score_percent: number('score %'),
			evaluated_at: time('evaluation date', timeZone, five9Formats),
			interaction_id: text,
			session_id: text,
			interaction_started_at: time('interaction date', timeZone, five9Formats),
			campaign: text,
			skill: text,
			media_type: text,
			status: text,
		})
		.superRefine((value, ctx) => {
			if (!value.evaluation_id) ctx.addIssue({ code: 'custom', message: 'no evaluation id' });
			if (!value.agent_username && !value.agent_email && !value.agent_five9_id) {
				ctx.addIssue({ code: 'custom', message: 'no agent (username, email or Five9 id)' });
			}
			if (value.score === null && value.score_percent === null) ctx.addIssue({ code: 'custom', message: 'no score' });
			if (value.score !== null && value.score < 0) ctx.addIssue({ code: 'custom', message: 'score is negative' });
			if (value.max_score !== null && !(value.max_score > 0)) ctx.addIssue({ code: 'custom', message: 'max score must be above 0' });
			if (value.score !== null && value.max_score !== null && value.score > value.max_score) {
				ctx.addIssue({ code: 'custom', message: `score ${value.score} is above max score ${value.max_score}` });
			}
			if (!value.evaluated_at) ctx.addIssue({ code: 'custom', message: 'no evaluation date' });
		});
}

const schemas = new Map<string, ReturnType<typeof schemaFor>>();

export type Normalized = { ok: true; evaluation: Evaluation } | { ok: false; reasons: string[] };

/** Validates raw fields into an Evaluation; `five9Formats` accepts report date formats in `timeZone`. */
export function normalizeEvaluation(
	raw: Partial<Record<EvaluationField, unknown>> & { sections?: unknown },
	source: EvaluationSource,
	timeZone: string,
	five9Formats = true,
): Normalized {
	const key = `${timeZone}|${five9Formats}`;
	let schema = schemas.get(key);
	if (!schema) {
		schema = schemaFor(timeZone, five9Formats);
		schemas.set(key, schema);
	}
	const result = schema.safeParse(raw);
	if (!result.success) return { ok: false, reasons: [...new Set(result.error.issues.map((issue) => issue.message))] };
	const value = result.data;
	let email = value.agent_email;
	if (!email && value.agent_username && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.agent_username)) email = value.agent_username;
	const sections = Array.isArray(raw.sections) ? (raw.sections as IDataObject[]) : null;
	return {
		ok: true,
		evaluation: {
			...value,
			evaluation_id: value.evaluation_id!,
			agent_email: email ? email.toLowerCase() : null,
			score: value.score ?? value.score_percent!,
			max_score: value.score === null ? 100 : value.max_score,
			score_percent:
				value.score_percent ?? (value.score !== null && value.max_score ? Math.round((value.score / value.max_score) * 10_000) / 100 : null),
			evaluated_at: value.evaluated_at!,
			sections,
			source,
		},
	};
}

/** Picks the mapped columns out of a report or file row (column names compared without regard to case). */
export function fieldsFromRow(row: IDataObject, columns: ColumnMap): Partial<Record<EvaluationField, unknown>> {
	const byUpper = new Map<string, unknown>();
	for (const [name, value] of Object.entries(row)) byUpper.set(name.trim().toUpperCase(), value);
	const fields: Partial<Record<EvaluationField, unknown>> = {};
	for (const [field, column] of Object.entries(columns) as [EvaluationField, string][]) {
		if (column) fields[field] = byUpper.get(column.trim().toUpperCase());
	}
	return fields;
}

/** The provisional evaluations API item shape (docs/five9.md, "Evaluations"). */
export function fieldsFromApiItem(item: IDataObject): Partial<Record<EvaluationField, unknown>> & { sections?: unknown } {
	const agent = (item.agent ?? {}) as IDataObject;
	const evaluator = (item.evaluator ?? {}) as IDataObject;
	const form = (item.form ?? {}) as IDataObject;
	const interaction = (item.interaction ?? {}) as IDataObject;
	return {
		evaluation_id: item.id,
		agent_username: agent.userName,
		agent_name: agent.fullName,
		agent_email: agent.email,
		agent_five9_id: agent.userUID ?? agent.id,
		evaluator: evaluator.userName ?? evaluator.fullName ?? (item.source === 'AI' ? 'AI' : undefined),
		form_name: form.name,
		score: item.score,
		max_score: item.maxScore,
		score_percent: item.scorePercent,
		evaluated_at: item.evaluatedOn,
		interaction_id: interaction.id,
		session_id: interaction.sessionId,
		interaction_started_at: interaction.startedOn,
		campaign: interaction.campaignName,
		skill: interaction.skillName,
		media_type: interaction.mediaType,
		status: item.status,
		sections: item.sections,
	};
}
