/**
 * Deterministic AQM evaluations for the local Five9 servers. An evaluation's id and content follow
 * from its time slot alone, so overlapping windows and repeated polls see the same evaluations, and
 * a test can compute what should have arrived without asking the code under test.
 */
import { makePeople, type MockPerson } from './assembled';
import { five9Timestamp } from './five9-data';

export interface MockEvaluation {
	id: string;
	status: 'COMPLETED';
	source: 'AI' | 'HUMAN';
	agent: { userUID: string; userName: string; fullName: string };
	evaluator: { userUID: string; userName: string } | null;
	form: { id: string; name: string; version: number };
	score: number;
	maxScore: number;
	scorePercent: number;
	evaluatedOn: number;
	interaction: {
		id: string;
		sessionId: string;
		mediaType: 'VOICE' | 'CHAT' | 'EMAIL';
		startedOn: number;
		campaignName: string;
		skillName: string;
	};
	sections: { name: string; score: number; maxScore: number }[];
}

export interface EvaluationAgent {
	userUID: string;
	userName: string;
	fullName: string;
}

/**
 * Five9 agents for the Assembled mock's people: most log in with their email, some with a Five9
 * username that Assembled knows as `platforms.five9`, and one Assembled has never heard of.
 */
export function agentsFor(people: MockPerson[]): EvaluationAgent[] {
	const active = people.filter((p) => !p.deleted);
	const agents = active.map((person, index) => ({
		userUID: String(3_000_000 + index),
		userName: index % 3 === 2 ? person.platforms.five9 : (person.email ?? person.platforms.five9),
		fullName: `${person.first_name} ${person.last_name}`,
	}));
	agents.push({ userUID: '3999999', userName: 'temp.agent@contractor.example.com', fullName: 'Temp Agent' });
	return agents;
}

function hash(n: number): number {
	let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
	x ^= x >>> 13;
	x = Math.imul(x, 0xc2b2ae35);
	return (x ^ (x >>> 16)) >>> 0;
}

export interface EvaluationFeed {
	agents: EvaluationAgent[];
	/** Milliseconds between evaluations. */
	everyMs: number;
}

/** Evaluations with `evaluatedOn` in [fromMs, toMs), in time order. */
export function evaluationsBetween(feed: EvaluationFeed, fromMs: number, toMs: number): MockEvaluation[] {
	const result: MockEvaluation[] = [];
	const first = Math.ceil(fromMs / feed.everyMs) * feed.everyMs;
	for (let t = first; t < toMs; t += feed.everyMs) result.push(evaluationAt(feed, t));
	return result;
}

export function evaluationAt(feed: EvaluationFeed, t: number): MockEvaluation {
	const slot = Math.round(t / feed.everyMs);
	const h = hash(slot);
	const agent = feed.agents[h % feed.agents.length];
	const maxScore = h % 4 === 0 ? 50 : 100;
	const score = (h >>> 8) % (maxScore + 1);
	const ai = (h >>> 3) % 3 === 0;
	const media = (['VOICE', 'VOICE', 'CHAT', 'EMAIL'] as const)[(h >>> 5) % 4];
	return {
		id: `ev-${slot.toString(36)}`,
		status: 'COMPLETED',
		source: ai ? 'AI' : 'HUMAN',
		agent,
		evaluator: ai ? null : { userUID: '3500001', userName: 'qa.lead@example.com' },
		form: { id: 'f_12', name: 'Inbound Support Scorecard', version: 3 },
		score,
		maxScore,
		scorePercent: Math.round((score / maxScore) * 10_000) / 100,
		evaluatedOn: t,
		interaction: {
			id: String(300_000_000_000_000 + slot),
			sessionId: (h.toString(16).padStart(8, '0') + slot.toString(16).padStart(24, '0')).toUpperCase(),
			mediaType: media,
			startedOn: t - (20 + (h % 600)) * 60_000,
			campaignName: media === 'VOICE' ? 'Support Inbound' : 'Digital Support',
			skillName: 'Support',
		},
		sections: [
			{ name: 'Greeting', score: Math.min(10, Math.round(score / 10)), maxScore: 10 },
			{ name: 'Resolution', score: Math.round(score / 2), maxScore: maxScore / 2 },
		],
	};
}

/** The same evaluation as a row of an AQM evaluation export (column names: docs/five9.md, "Evaluations"). */
export function evaluationRow(evaluation: MockEvaluation, formatTime: (ms: number) => string): Record<string, string> {
	return {
		'EVALUATION ID': evaluation.id,
		AGENT: evaluation.agent.userName,
		'AGENT NAME': evaluation.agent.fullName,
		'AGENT ID': evaluation.agent.userUID,
		EVALUATOR: evaluation.evaluator?.userName ?? 'AI',
		'FORM NAME': evaluation.form.name,
		SCORE: String(evaluation.score),
		'MAX SCORE': String(evaluation.maxScore),
		'SCORE %': String(evaluation.scorePercent),
		'EVALUATION DATE': formatTime(evaluation.evaluatedOn),
		'CALL ID': evaluation.interaction.id,
		'SESSION ID': evaluation.interaction.sessionId,
		'INTERACTION DATE': formatTime(evaluation.interaction.startedOn),
		CAMPAIGN: evaluation.interaction.campaignName,
		SKILL: evaluation.interaction.skillName,
		'MEDIA TYPE': evaluation.interaction.mediaType,
		STATUS: evaluation.status,
	};
}

/** Where the mock keeps its AQM evaluation report, as the templates name it. */
export const AQM_REPORT = 'Quality Management Reports/AQM Evaluations';

/** The evaluations of the default feed: the Assembled mock's twelve people, one evaluation every 20 minutes. */
export const DEFAULT_EVALUATION_FEED: EvaluationFeed = { agents: agentsFor(makePeople(12)), everyMs: 20 * 60_000 };

/**
 * The AQM evaluation export as a Five9 report: one row per evaluation made in the window, times
 * written like Five9 writes them, in the domain's zone.
 */
export function aqmReport(feed: EvaluationFeed = DEFAULT_EVALUATION_FEED) {
	return (window: { startMs: number; endMs: number }, context: { timeZone: string }) => {
		const rows = evaluationsBetween(feed, window.startMs, window.endMs).map((evaluation) =>
			evaluationRow(evaluation, (ms) => five9Timestamp(ms, context.timeZone)),
		);
		const header = Object.keys(evaluationRow(evaluationAt(feed, 0), () => ''));
		return { header, rows: rows.map((row) => header.map((column) => row[column])) };
	};
}
