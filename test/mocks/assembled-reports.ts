/**
 * Assembled's asynchronous reports on the local Assembled server (docs/assembled.md, "Reports"):
 * `POST /v0/reports/<adherence|agent_ticket_stats>` takes `{start_time, end_time, interval, channel}`
 * (unix seconds; every other field is refused, so a test sees exactly what the node sent) and
 * answers `{report_id}`; `GET /v0/reports/<id>?limit=&offset=` answers `in_progress` for the first
 * `inProgressPolls` polls, then `complete` with a page of `metrics` and `total_metric_count`, or
 * `error` in error mode. Reports are kept by id; an unknown id is a 404.
 *
 * The rows are deterministic: for every agent of the mock's people, one row per metric and interval
 * of the range (`type: "interval"`), and one per metric for the whole range (`type: "full_interval"`),
 * so a test can compute every row the node must return.
 */
import type { AssembledMock } from './assembled';

export type ReportType = 'adherence' | 'agent_ticket_stats';

/** Metric names per report type. Illustrative: Assembled's own names are not in its public docs. */
export const REPORT_METRICS: Record<ReportType, string[]> = {
	adherence: ['adherence_percent', 'scheduled_seconds', 'in_adherence_seconds'],
	agent_ticket_stats: ['tickets_solved', 'handle_time_seconds'],
};

/** The intervals the server accepts, in seconds. */
export const REPORT_INTERVALS: Record<string, number> = { '30m': 1800, '1h': 3600, '24h': 86_400, '1w': 604_800 };

export interface ReportBody {
	start_time: number;
	end_time: number;
	interval: string;
	channel: string;
}

export interface MockMetric {
	name: string;
	value: number | null;
	attributes: { agent_id: string; start_time: number; end_time: number; type: 'interval' | 'full_interval' };
}

export interface StoredReport {
	id: string;
	type: ReportType;
	body: ReportBody;
	/** GETs this report has had. */
	polls: number;
	created_at: string;
	metrics: MockMetric[];
}

export interface ReportPoll {
	id: string;
	query: Record<string, string>;
	status: string;
	/** Metric rows the answer carried. */
	rows: number;
	at: number;
}

/** A metric's value, from where it sits: a test computes the same without the server. */
export function metricValue(agentIndex: number, slot: number, metricIndex: number): number {
	return ((agentIndex + 1) * 37 + slot * 11 + metricIndex * 5) % 101;
}

/** Every row of a report, in the order the server pages them. */
export function reportMetrics(type: ReportType, body: ReportBody, agentIds: string[]): MockMetric[] {
	const step = REPORT_INTERVALS[body.interval];
	const names = REPORT_METRICS[type];
	const rows: MockMetric[] = [];
	agentIds.forEach((agentId, agentIndex) => {
		for (let slot = 0, start = body.start_time; start < body.end_time; slot++, start += step) {
			const end = Math.min(start + step, body.end_time);
			names.forEach((name, metricIndex) =>
				rows.push({ name, value: metricValue(agentIndex, slot, metricIndex), attributes: { agent_id: agentId, start_time: start, end_time: end, type: 'interval' } }),
			);
		}
		names.forEach((name, metricIndex) =>
			rows.push({ name, value: metricValue(agentIndex, -1, metricIndex), attributes: { agent_id: agentId, start_time: body.start_time, end_time: body.end_time, type: 'full_interval' } }),
		);
	});
	return rows;
}

export class ReportsStore {
	/** Polls a report answers `in_progress` before it is complete. */
	inProgressPolls = 0;
	/** `error`: every report answers `status: "error"` once its in-progress polls are over. */
	mode: 'ok' | 'error' = 'ok';
	errorText = 'The report could not be generated: no schedules in this range';
	/** The most rows one page holds, whatever `limit` asks. */
	maxPageSize = 500;
	/** Agents of the rows; default: every person of the mock, deleted ones too. */
	agentIds?: string[];
	/** Changes the rows of each new report (e.g. a value Assembled leaves empty). */
	editRows?: (rows: MockMetric[]) => MockMetric[];
	readonly reports = new Map<string, StoredReport>();
	/** The bodies of accepted POSTs, in order. */
	readonly received: Array<{ type: ReportType; body: ReportBody }> = [];
	readonly polls: ReportPoll[] = [];

	reset() {
		this.inProgressPolls = 0;
		this.mode = 'ok';
		this.errorText = 'The report could not be generated: no schedules in this range';
		this.maxPageSize = 500;
		this.agentIds = undefined;
		this.editRows = undefined;
		this.reports.clear();
		this.received.length = 0;
		this.polls.length = 0;
	}

	pollsOf(id: string): ReportPoll[] {
		return this.polls.filter((poll) => poll.id === id);
	}
}

const stores = new WeakMap<AssembledMock, ReportsStore>();

/** The reports of one mock server (reset by its `clear()`). */
export function reportsOf(mock: AssembledMock): ReportsStore {
	let store = stores.get(mock);
	if (!store) {
		store = new ReportsStore();
		stores.set(mock, store);
	}
	return store;
}

type Respond = (status: number, payload: unknown) => Promise<void>;
type Fail = (status: number, message: string) => Promise<void>;

const FIELDS = ['start_time', 'end_time', 'interval', 'channel'];

function validate(parsed: unknown): { error: string } | { body: ReportBody } {
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'Request body must be a JSON object' };
	const body = parsed as Record<string, unknown>;
	for (const field of Object.keys(body)) if (!FIELDS.includes(field)) return { error: `Unknown field ${field}` };
	for (const field of FIELDS) if (body[field] === undefined || body[field] === null || body[field] === '') return { error: `Missing required field ${field}` };
	for (const field of ['start_time', 'end_time']) {
		const value = body[field];
		if (typeof value !== 'number' || !Number.isInteger(value) || value > 1e11 || value < 0) return { error: `${field} must be a unix timestamp in seconds` };
	}
	if ((body.end_time as number) <= (body.start_time as number)) return { error: 'end_time must be after start_time' };
	if (typeof body.interval !== 'string' || !(body.interval in REPORT_INTERVALS)) return { error: `interval must be one of ${Object.keys(REPORT_INTERVALS).join(', ')}` };
	if (typeof body.channel !== 'string') return { error: 'channel must be a string' };
	return { body: body as unknown as ReportBody };
}

/** Answers `/v0/reports…` requests; called by AssembledMock.handle after auth and rate limiting. */
export function handleReports(
	mock: AssembledMock,
	request: { method: string; path: string; query: URLSearchParams; body: Buffer },
	respond: Respond,
	fail: Fail,
): Promise<void> {
	const store = reportsOf(mock);
	const typeMatch = /^\/v0\/reports\/([^/]+)$/.exec(request.path);
	if (request.method === 'POST' && typeMatch) {
		const type = decodeURIComponent(typeMatch[1]);
		if (!(type in REPORT_METRICS)) return fail(404, `Unknown report type ${type}`);
		let parsed: unknown;
		try {
			parsed = JSON.parse(request.body.toString('utf8'));
		} catch {
			return fail(400, 'Request body is not valid JSON');
		}
		const result = validate(parsed);
		if ('error' in result) return fail(400, result.error);
		const id = `rep-${(store.reports.size + 1).toString(16).padStart(8, '0')}-4000-8000-000000000000`;
		const agentIds = store.agentIds ?? mock.people.map((person) => person.agent_id);
		store.reports.set(id, {
			id,
			type: type as ReportType,
			body: result.body,
			polls: 0,
			created_at: new Date().toISOString(),
			metrics: (store.editRows ?? ((rows) => rows))(reportMetrics(type as ReportType, result.body, agentIds)),
		});
		store.received.push({ type: type as ReportType, body: result.body });
		return respond(200, { report_id: id });
	}
	if (request.method === 'GET' && typeMatch) {
		const id = decodeURIComponent(typeMatch[1]);
		const report = store.reports.get(id);
		if (!report) return fail(404, `Report ${id} not found`);
		report.polls += 1;
		const query = Object.fromEntries(request.query.entries());
		const poll = (status: string, rows = 0) => store.polls.push({ id, query, status, rows, at: Date.now() });
		if (report.polls <= store.inProgressPolls) {
			poll('in_progress');
			return respond(200, { status: 'in_progress', created_at: report.created_at, total_metric_count: 0, metrics: [] });
		}
		if (store.mode === 'error') {
			poll('error');
			return respond(200, { status: 'error', created_at: report.created_at, error: store.errorText });
		}
		const limit = Math.min(Math.max(1, Number(query.limit ?? 100) || 100), store.maxPageSize);
		const offset = Math.max(0, Number(query.offset ?? 0) || 0);
		const page = report.metrics.slice(offset, offset + limit);
		poll('complete', page.length);
		return respond(200, { status: 'complete', created_at: report.created_at, total_metric_count: report.metrics.length, metrics: page });
	}
	return fail(404, `No route for ${request.method} ${request.path}`);
}
