/**
 * Backfill checkpoints in the workflow's static data, which n8n saves after every production
 * (trigger or command-line) execution. "Get Day Files" skips what a checkpoint covers; "Mark Days as
 * Done", placed after the node that stores the files, moves it forward only through windows
 * that reached it, one after another, so a stopped run never leaves a hole behind the checkpoint.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

const CHECKPOINTS_FIELD = 'five9Checkpoints';

export interface Checkpoint {
	/** Everything before this instant is finished. */
	throughMs: number;
	through: string;
	savedAt: string;
	windows: number;
}

function store(ctx: IExecuteFunctions): IDataObject {
	const data = ctx.getWorkflowStaticData('global');
	if (!data[CHECKPOINTS_FIELD] || typeof data[CHECKPOINTS_FIELD] !== 'object') data[CHECKPOINTS_FIELD] = {};
	return data[CHECKPOINTS_FIELD] as IDataObject;
}

export function readCheckpoint(ctx: IExecuteFunctions, name: string): Checkpoint | undefined {
	const entry = store(ctx)[name] as Checkpoint | undefined;
	return entry && typeof entry.throughMs === 'number' ? entry : undefined;
}

export function writeCheckpoint(ctx: IExecuteFunctions, name: string, checkpoint: Checkpoint): void {
	store(ctx)[name] = { ...checkpoint } as unknown as IDataObject;
}

const RATES_FIELD = 'five9WindowRates';

/**
 * The rows per millisecond the last run of a backfill saw, kept beside its checkpoint so the next
 * run sizes its first report run from it instead of starting from one day (helpers/adaptiveWindows.ts).
 */
export function readWindowRate(ctx: IExecuteFunctions, name: string): number | undefined {
	const rates = ctx.getWorkflowStaticData('global')[RATES_FIELD] as IDataObject | undefined;
	const entry = rates?.[name] as { rowsPerMs?: unknown } | undefined;
	return typeof entry?.rowsPerMs === 'number' && Number.isFinite(entry.rowsPerMs) && entry.rowsPerMs >= 0 ? entry.rowsPerMs : undefined;
}

export function writeWindowRate(ctx: IExecuteFunctions, name: string, rowsPerMs: number): void {
	const data = ctx.getWorkflowStaticData('global');
	if (!data[RATES_FIELD] || typeof data[RATES_FIELD] !== 'object') data[RATES_FIELD] = {};
	(data[RATES_FIELD] as IDataObject)[name] = { rowsPerMs, savedAt: new Date().toISOString() };
}

export interface Span {
	startMs: number;
	endMs: number;
}

/**
 * How far `from` can move through `spans` without a gap. With no `from`, the earliest span starts
 * the chain. Returns the new end and the first gap, if any.
 */
export function advanceThrough(from: number | undefined, spans: Span[]): { throughMs?: number; used: number; gapAtMs?: number } {
	const sorted = [...spans].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
	let through = from ?? sorted[0]?.startMs;
	let used = 0;
	for (const span of sorted) {
		if (through === undefined) break;
		if (span.endMs <= through) continue;
		if (span.startMs > through) return { throughMs: through, used, gapAtMs: through };
		through = span.endMs;
		used += 1;
	}
	return { throughMs: through, used };
}
