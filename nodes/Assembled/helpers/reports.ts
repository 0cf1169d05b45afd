/**
 * Assembled's asynchronous reports (docs/assembled.md, "Reports"): a report is started with
 * `POST /v0/reports/<type>`, polled with `GET /v0/reports/<id>` until its status is `complete`, then
 * its metric rows are read page by page (`limit`/`offset`, `total_metric_count`). Polling backs off
 * like n8n's own BigQuery node does with its jobs: `sleep` from n8n-workflow, the wait doubling up
 * to 30 seconds, every request through the client's shared rate limiter.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { z } from 'zod/v4';

import { numberOr } from '../../shared/options';
import type { AssembledClient } from '../transport';
import { locatorList } from './locators';
import { listPeople, type AssembledPerson } from './people';
import { isoFromUnixSeconds } from './time';

/** The report types working integrations run (docs/assembled.md, "Reports"). */
export const REPORT_TYPES = ['adherence', 'agent_ticket_stats'] as const;

/** Metric rows per page; working integrations ask for 500. */
export const REPORT_PAGE_SIZE = 500;
/** Stops a server that ignores `offset` from looping forever. */
const MAX_REPORT_PAGES = 10_000;
/** The longest wait between two polls, as in n8n's BigQuery node. */
const MAX_POLL_DELAY_MS = 30_000;
/** Statuses that mean Assembled gave up on the report (only `error` is seen; `failed` to be safe). */
const FAILED = new Set(['error', 'failed']);

export interface ReportSettings {
	/** The first wait before polling again; it doubles after every poll. */
	pollIntervalMs: number;
	/** Longest wait for one report to complete. */
	maxWaitMs: number;
}

/** The same values as the defaults of the report operations' Advanced fields. */
export const DEFAULT_REPORT_SETTINGS: ReportSettings = { pollIntervalMs: 1000, maxWaitMs: 600_000 };

/** The report settings an operation asks for (`settingsOf`), each kept within its field's bounds. */
export function reportSettingsFrom(options: IDataObject): ReportSettings {
	return {
		pollIntervalMs: Math.max(1, numberOr(options.pollIntervalMs, DEFAULT_REPORT_SETTINGS.pollIntervalMs)),
		maxWaitMs: Math.max(1, numberOr(options.maxWaitSeconds, DEFAULT_REPORT_SETTINGS.maxWaitMs / 1000)) * 1000,
	};
}

/** One answer of `GET /v0/reports/<id>`. */
export interface ReportAnswer {
	status?: unknown;
	total_metric_count?: unknown;
	metrics?: unknown;
	[key: string]: unknown;
}

/** What a report run asks Assembled for: unix seconds, as everywhere (docs/assembled.md, "Reports"). */
export interface ReportRequest {
	start_time: number;
	end_time: number;
	interval: string;
	channel: string;
}

/** Starts a report and returns its id. */
export async function startReport(client: AssembledClient, type: string, body: ReportRequest, itemIndex?: number): Promise<string> {
	const answer = await client.request<{ report_id?: unknown } | undefined>(
		{ method: 'POST', path: `/v0/reports/${encodeURIComponent(type)}`, body: { ...body } },
		itemIndex,
	);
	const id = answer?.report_id;
	if ((typeof id !== 'string' && typeof id !== 'number') || String(id).trim() === '') {
		throw client.apiError(
			`Assembled accepted the ${type} report but sent no report_id`,
			'Without an id the report cannot be read. Run the workflow again; if it persists, check the Base URL in the credential.',
			{ itemIndex },
		);
	}
	return String(id);
}

/** Assembled's own words for a failed report, from an answer whose shape is undocumented. */
function reasonOf(answer: ReportAnswer): string | undefined {
	const error = answer.error as unknown;
	if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
		return (error as { message: string }).message;
	}
	for (const value of [error, answer.message, answer.reason, answer.status_message]) {
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
	}
	if (Array.isArray(answer.errors) && answer.errors.length > 0) {
		return answer.errors.map((entry) => (typeof entry === 'string' ? entry : JSON.stringify(entry))).join('; ');
	}
	return undefined;
}

/**
 * Polls a report until it is complete and returns that answer, which holds the first page of
 * metrics (each poll asks for `limit`/`offset` 0, as working integrations do). A report Assembled
 * marks `error` fails with its words; one still running after Max Wait fails naming its id, so it
 * can be read later with Report → Get.
 */
export async function waitForReport(
	client: AssembledClient,
	reportId: string,
	settings: ReportSettings,
	pageSize: number,
	itemIndex?: number,
	label = 'report',
): Promise<ReportAnswer> {
	const startedAt = Date.now();
	let delay = settings.pollIntervalMs;
	for (;;) {
		const answer = (await client.request<ReportAnswer | undefined>(
			{ method: 'GET', path: `/v0/reports/${encodeURIComponent(reportId)}`, qs: { limit: pageSize, offset: 0 } },
			itemIndex,
		)) ?? {};
		const status = String(answer.status ?? '').trim().toLowerCase();
		if (status === 'complete') return answer;
		if (FAILED.has(status)) {
			throw client.apiError(
				`Assembled could not build the ${label} ${reportId}: ${reasonOf(answer) ?? `status "${status}", no reason given`}`,
				'Assembled marked the report as failed. Check Start, End, Interval and Channel, then run it again.',
				{ itemIndex, context: { reportId } },
			);
		}
		// Anything else (`in_progress`, or a status not seen before) is waited for, up to Max Wait.
		const remaining = settings.maxWaitMs - (Date.now() - startedAt);
		if (remaining <= 0) {
			throw client.apiError(
				`The Assembled ${label} ${reportId} was not complete after ${Math.round(settings.maxWaitMs / 1000)} seconds (status "${status || 'none'}")`,
				`Assembled may still finish it: read it later with Report → Get and Report ID ${reportId}, or raise "Max Wait (Seconds)" under Advanced.`,
				{ itemIndex, context: { reportId } },
			);
		}
		await sleep(Math.min(delay, remaining));
		delay = Math.min(delay * 2, MAX_POLL_DELAY_MS);
	}
}

function metricsOf(client: AssembledClient, answer: ReportAnswer, reportId: string, itemIndex?: number): unknown[] {
	if (answer.metrics === undefined || answer.metrics === null) return [];
	if (!Array.isArray(answer.metrics)) {
		throw client.apiError(
			`Assembled sent the metrics of report ${reportId} in a form the node does not know`,
			'Metrics are expected as a list (docs/assembled.md, "Reports").',
			{ itemIndex },
		);
	}
	return answer.metrics;
}

/**
 * The metric rows of a complete report, from the answer that said so (its first page) on, page by
 * page until `total_metric_count`, or a short or empty page when there is no total, or `max` rows
 * that `keep` accepts.
 */
export async function readReportRows(
	client: AssembledClient,
	reportId: string,
	first: ReportAnswer,
	options: { max: number; pageSize: number; keep?: (row: unknown) => boolean; itemIndex?: number },
): Promise<unknown[]> {
	const keep = options.keep ?? (() => true);
	const rows: unknown[] = [];
	const take = (batch: unknown[]) => {
		for (const row of batch) {
			if (rows.length >= options.max) return;
			if (keep(row)) rows.push(row);
		}
	};
	let batch = metricsOf(client, first, reportId, options.itemIndex);
	const total = typeof first.total_metric_count === 'number' ? first.total_metric_count : undefined;
	take(batch);
	let offset = batch.length;
	for (let page = 1; page < MAX_REPORT_PAGES && rows.length < options.max; page++) {
		if (batch.length === 0) break;
		// With a total, a page shorter than asked (a server-side cap) does not end the report.
		if (total !== undefined ? offset >= total : batch.length < options.pageSize) break;
		const answer =
			(await client.request<ReportAnswer | undefined>(
				{ method: 'GET', path: `/v0/reports/${encodeURIComponent(reportId)}`, qs: { limit: options.pageSize, offset } },
				options.itemIndex,
			)) ?? {};
		batch = metricsOf(client, answer, reportId, options.itemIndex);
		take(batch);
		offset += batch.length;
	}
	return rows;
}

/** A metric row as Assembled sends it; the shape of `attributes` beyond these is open. */
const metricSchema = z
	.object({
		name: z.string().nullish(),
		value: z.union([z.number(), z.string()]).nullish(),
		attributes: z.record(z.string(), z.unknown()).nullish(),
	})
	.loose();

export type MetricRow = z.output<typeof metricSchema>;

/** The row, or undefined when it is not an object with a name, value and attributes of the known types. */
export function parseMetric(row: unknown): MetricRow | undefined {
	const parsed = metricSchema.safeParse(row);
	return parsed.success ? parsed.data : undefined;
}

/** Unix seconds (Assembled's unit) or date text as ISO 8601 UTC. */
function isoOf(value: unknown): string | null {
	if (typeof value === 'number') return isoFromUnixSeconds(value);
	if (typeof value === 'string' && value.trim() !== '') {
		const ms = Date.parse(value);
		return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace('.000Z', 'Z');
	}
	return null;
}

/** Who an agent is, for the rows of a report: name and email from People. */
export interface AgentInfo {
	person: AssembledPerson;
	name: string | null;
	email: string | null;
}

/**
 * One output item per metric row: `name` and `value`, the attributes flattened next to them
 * (`agent_id`, `type`, `start_time`, `end_time`, …) with an ISO twin for each time, and where the row
 * came from. Unix seconds stay as Assembled sent them, like every other Assembled output.
 */
export function metricItem(row: MetricRow, source: IDataObject, agent?: AgentInfo | null): IDataObject {
	const { name, value, attributes, ...rest } = row;
	const item: IDataObject = { ...source, name: name ?? null, value: typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : (value ?? null) };
	for (const [key, attribute] of Object.entries({ ...(attributes ?? {}), ...rest })) {
		if (key in item) continue;
		item[key] = attribute as IDataObject[string];
		if (key === 'start_time' || key === 'end_time') item[`${key}_iso`] = isoOf(attribute);
	}
	if (agent !== undefined) {
		item.agent_name = agent?.name ?? null;
		item.agent_email = agent?.email ?? null;
	}
	return item;
}

/**
 * Every person by agent id, deleted ones included (a past report names agents who left since).
 * Read once per client, that is once per node execution.
 */
const agentLists = new WeakMap<AssembledClient, Promise<Map<string, AgentInfo>>>();

export function agentsById(client: AssembledClient, itemIndex?: number): Promise<Map<string, AgentInfo>> {
	let agents = agentLists.get(client);
	if (!agents) {
		agents = listPeople(client, { includeDeleted: true, itemIndex }).then(({ people }) => {
			const byAgent = new Map<string, AgentInfo>();
			for (const person of people) {
				if (!person.agent_id) continue;
				const name = [person.first_name, person.last_name].filter(Boolean).join(' ');
				byAgent.set(String(person.agent_id), { person, name: name || null, email: person.email ?? null });
			}
			return byAgent;
		});
		agentLists.set(client, agents);
		// A failed read is not kept: the next item tries again.
		agents.catch(() => agentLists.delete(client));
	}
	return agents;
}

/** Filters a row's agent must pass, by the agent's team, site or queue in People. */
export interface AgentFilters {
	agentIds: Set<string>;
	teamIds: Set<string>;
	siteIds: Set<string>;
	queueIds: Set<string>;
}

export function needsPeople(filters: AgentFilters): boolean {
	return filters.teamIds.size > 0 || filters.siteIds.size > 0 || filters.queueIds.size > 0;
}

/**
 * Whether a row's agent passes the filters. Assembled documents no filter fields for reports, so
 * they are applied here (docs/assembled.md, "Reports"); a row without a known agent fails any
 * team, site or queue filter, since its team cannot be told.
 */
export function passesFilters(row: MetricRow | undefined, filters: AgentFilters, agents?: Map<string, AgentInfo>): boolean {
	const agentId = row?.attributes?.agent_id;
	const id = typeof agentId === 'string' || typeof agentId === 'number' ? String(agentId) : '';
	if (filters.agentIds.size > 0 && !filters.agentIds.has(id)) return false;
	if (!needsPeople(filters)) return true;
	const person = id ? agents?.get(id)?.person : undefined;
	if (!person) return false;
	const inAny = (wanted: Set<string>, values: unknown) =>
		wanted.size === 0 || (Array.isArray(values) ? values : [values]).some((value) => wanted.has(String(value ?? '')));
	return inAny(filters.teamIds, person.teams) && inAny(filters.siteIds, person.site) && inAny(filters.queueIds, person.queues);
}

/** The Filters collection of a report operation, as id sets (pickers or comma-separated ids). */
export function filtersFrom(raw: IDataObject): AgentFilters {
	return {
		agentIds: new Set(locatorList(raw.agentIds)),
		teamIds: new Set(locatorList(raw.teamIds)),
		siteIds: new Set(locatorList(raw.siteIds)),
		queueIds: new Set(locatorList(raw.queueIds)),
	};
}

/** Rows per page: a limit smaller than a page asks for no more, unless filters drop rows. */
export function reportPageSize(max: number, filters: AgentFilters): number {
	const filtered = filters.agentIds.size > 0 || needsPeople(filters);
	return filtered ? REPORT_PAGE_SIZE : Math.max(1, Math.min(REPORT_PAGE_SIZE, max));
}

/**
 * The output items of a complete report: its rows read to the last page (or `max` of those the
 * filters keep), each as `metricItem`. A row that is not a metric stops the run: nothing is dropped
 * without a word.
 */
export async function reportItems(
	client: AssembledClient,
	reportId: string,
	first: ReportAnswer,
	options: { max: number; pageSize: number; filters: AgentFilters; agentDetails: boolean; source: IDataObject; itemIndex?: number },
): Promise<IDataObject[]> {
	const agents =
		options.agentDetails || needsPeople(options.filters) ? await agentsById(client, options.itemIndex) : undefined;
	const read = (raw: unknown): MetricRow => {
		const row = parseMetric(raw);
		if (row) return row;
		throw client.apiError(
			`Assembled sent a row of report ${reportId} that is not a metric: ${JSON.stringify(raw)?.slice(0, 200)}`,
			'Metric rows are expected as {name, value, attributes} (docs/assembled.md, "Reports").',
			{ itemIndex: options.itemIndex },
		);
	};
	const rows = await readReportRows(client, reportId, first, {
		max: options.max,
		pageSize: options.pageSize,
		keep: (raw) => passesFilters(read(raw), options.filters, agents),
		itemIndex: options.itemIndex,
	});
	return rows.map((raw) => {
		const row = read(raw);
		const agentId = row.attributes?.agent_id;
		const agent = options.agentDetails ? (agents?.get(String(agentId ?? '')) ?? null) : undefined;
		return metricItem(row, options.source, agent);
	});
}
