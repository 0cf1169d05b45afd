/**
 * Evaluations the trigger emitted are not done until the run they started has delivered them.
 *
 * Why the trigger keeps this, and not the node that pushes the scores: n8n saves a workflow's
 * static data after every run, failed runs included, but a polling trigger holds its own copy in
 * memory and writes all of it back when it next emits, over whatever a run saved in between
 * (docs/reliability.md, "Nothing lost: the Evaluation Trigger delivers, not just emits"). So the trigger is the one writer: it hands n8n a promise with each emit,
 * n8n settles it when the run finishes (the way n8n's queue triggers acknowledge a message only
 * after a successful run), and evaluations whose scores did not reach Assembled are emitted again
 * on the next poll. A score Assembled accepted is never emitted again for delivery.
 */
import type { IDataObject, IRun } from 'n8n-workflow';

import type { Evaluation } from '../../Five9/helpers/evaluation';

/** Prefix the Assembled node's *Five9 Evaluation* input gives each score's imported_id. */
export const IMPORTED_ID_PREFIX = 'five9-aqm-';

export interface Emission {
	/** When it was emitted (ms). */
	at: number;
	/** The evaluations it carried, by id. */
	evaluations: Record<string, Evaluation>;
}

export interface PendingEvaluation {
	evaluation: Evaluation;
	/** Runs that did not deliver it so far. */
	attempts: number;
	/** When its first delivery failed (ms). */
	since: number;
	/** What the last failed run said. */
	lastError: string;
	/** When the emission that last carried it was made (ms). */
	emittedAt?: number;
}

export interface DeliveryState {
	/** Emissions whose run has not finished yet, by emission id. */
	inFlight?: Record<string, Emission>;
	/** Evaluations to emit again, by id. */
	pending?: Record<string, PendingEvaluation>;
}

/** A run that has not reported back in this long (n8n restarted, a worker died) is treated as failed. */
export const IN_FLIGHT_TIMEOUT_MS = 6 * 60 * 60_000;

/** Items whose status says Assembled accepted them (QA Score → Create Many, status `sent`). */
export function acceptedImportedIds(run: IRun | undefined): Set<string> {
	const accepted = new Set<string>();
	const runData = run?.data?.resultData?.runData ?? {};
	for (const runs of Object.values(runData)) {
		for (const task of runs ?? []) {
			for (const output of task?.data?.main ?? []) {
				for (const item of output ?? []) {
					const json = item?.json as IDataObject | undefined;
					if (json?.status === 'sent' && typeof json.imported_id === 'string') accepted.add(json.imported_id);
				}
			}
		}
	}
	return accepted;
}

function runFailed(run: IRun | undefined): string | undefined {
	if (!run) return 'n8n did not report how the run ended';
	const error = run.data?.resultData?.error as { message?: unknown } | undefined;
	if (error) return typeof error.message === 'string' && error.message ? error.message : 'the run failed';
	if (run.status && !['success', 'waiting'].includes(run.status)) return `the run ended with status "${run.status}"`;
	return undefined;
}

function delivered(evaluation: Evaluation, accepted: Set<string>): boolean {
	return accepted.has(`${IMPORTED_ID_PREFIX}${evaluation.evaluation_id}`) || accepted.has(evaluation.evaluation_id);
}

function addPending(state: DeliveryState, evaluation: Evaluation, now: number, reason: string, emittedAt: number) {
	state.pending ??= {};
	const previous = state.pending[evaluation.evaluation_id];
	state.pending[evaluation.evaluation_id] = {
		evaluation,
		attempts: (previous?.attempts ?? 0) + 1,
		since: previous?.since ?? now,
		lastError: reason.slice(0, 300),
		emittedAt,
	};
}

/** A delivery noted by the Assembled node (queue mode): when, and the score and max score sent. */
export interface NotedDelivery {
	at: number;
	score: unknown;
	maxScore: unknown;
}

/** The import id the Assembled node gives an evaluation's score. */
export function importedIdOf(evaluation: Evaluation): string {
	return `${IMPORTED_ID_PREFIX}${evaluation.evaluation_id}`;
}

/** Every evaluation waiting for an outcome: in flight or pending. */
export function awaitingOutcome(state: DeliveryState): Evaluation[] {
	const byId = new Map<string, Evaluation>();
	for (const emission of Object.values(state.inFlight ?? {})) for (const evaluation of Object.values(emission.evaluations)) byId.set(evaluation.evaluation_id, evaluation);
	for (const entry of Object.values(state.pending ?? {})) byId.set(entry.evaluation.evaluation_id, entry.evaluation);
	return [...byId.values()];
}

/**
 * Forgets what Assembled is known to have accepted since it was emitted, in the same version
 * (score and max score): in queue mode a failed run, or a run main could not follow across a
 * restart, delivered those, so they are not emitted again. Returns how many were forgotten.
 */
export function dropDelivered(state: DeliveryState, noted: Map<string, NotedDelivery>): number {
	const isDelivered = (evaluation: Evaluation, emittedAt: number | undefined) => {
		const note = noted.get(importedIdOf(evaluation));
		return (
			note !== undefined &&
			emittedAt !== undefined &&
			note.at >= emittedAt &&
			note.score === evaluation.score &&
			(note.maxScore ?? null) === (evaluation.max_score ?? null)
		);
	};
	let dropped = 0;
	for (const [id, emission] of Object.entries(state.inFlight ?? {})) {
		for (const [evaluationId, evaluation] of Object.entries(emission.evaluations)) {
			if (!isDelivered(evaluation, emission.at)) continue;
			delete emission.evaluations[evaluationId];
			dropped += 1;
		}
		if (Object.keys(emission.evaluations).length === 0) delete state.inFlight![id];
	}
	for (const [id, entry] of Object.entries(state.pending ?? {})) {
		if (!isDelivered(entry.evaluation, entry.emittedAt)) continue;
		delete state.pending![id];
		dropped += 1;
	}
	return dropped;
}

/**
 * What to emit again now: every pending evaluation, plus those of emissions that never reported
 * back. They move out of `pending` into the emission that carries them.
 */
export function takeRedeliveries(state: DeliveryState, now: number): Evaluation[] {
	for (const [id, emission] of Object.entries(state.inFlight ?? {})) {
		if (now - emission.at < IN_FLIGHT_TIMEOUT_MS) continue;
		delete state.inFlight![id];
		for (const evaluation of Object.values(emission.evaluations)) addPending(state, evaluation, now, 'the run never reported back', emission.at);
	}
	const again = Object.values(state.pending ?? {}).map((entry) => ({
		...entry.evaluation,
		redelivery: true,
		delivery_attempts: entry.attempts,
	}));
	state.pending = {};
	return again;
}

/** Remembers what an emission carries until its run reports back. */
export function recordEmission(state: DeliveryState, emissionId: string, evaluations: Evaluation[], now: number) {
	if (evaluations.length === 0) return;
	state.inFlight ??= {};
	const byId: Record<string, Evaluation> = {};
	for (const evaluation of evaluations) {
		// Delivery markers describe one emission; they are not part of the evaluation.
		const plain = { ...evaluation } as Evaluation & IDataObject;
		delete plain.redelivery;
		delete plain.delivery_attempts;
		byId[evaluation.evaluation_id] = plain;
	}
	state.inFlight[emissionId] = { at: now, evaluations: byId };
}

/**
 * The run of an emission finished: a successful run delivered everything it carried; after a
 * failed run, what Assembled did not accept is pending again. Returns how many are pending.
 */
export function settleEmission(state: DeliveryState, emissionId: string, run: IRun | undefined, now: number, error?: unknown): number {
	const emission = state.inFlight?.[emissionId];
	if (!emission) return 0;
	delete state.inFlight![emissionId];
	const failure = error ? String((error as Error)?.message ?? error) : runFailed(run);
	if (!failure) return 0;
	const accepted = acceptedImportedIds(run);
	let pending = 0;
	for (const evaluation of Object.values(emission.evaluations)) {
		if (delivered(evaluation, accepted)) continue;
		// A newer copy may already wait or be on its way (an edit emitted since): that one counts.
		if (state.pending?.[evaluation.evaluation_id]) continue;
		if (Object.values(state.inFlight ?? {}).some((other) => other.at >= emission.at && other.evaluations[evaluation.evaluation_id])) continue;
		addPending(state, evaluation, now, failure, emission.at);
		pending += 1;
	}
	return pending;
}
