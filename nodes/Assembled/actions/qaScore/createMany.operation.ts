import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { chunk } from '../../../shared/batching';
import { asNodeError, errorOutputItem, type ErrorKind } from '../../../shared/errors';
import { fieldReader } from '../../../shared/fieldReader';
import { AssembledClient } from '../../transport';
import { peopleDirectory, type AssembledPerson, type PeopleDirectory } from '../../helpers/people';
import {
	MAX_SCORES_PER_REQUEST,
	toPayload,
	validateQaScore,
	type ParsedQaScore,
	type QaScoreFields,
	type QaScorePayload,
} from '../../helpers/qaScore';
import { clientOptionsFrom, optionsCollection } from '../common';
import { readFiveNineEvaluationFields, FIVE9_EVALUATION_SOURCE } from './five9Evaluation';

const show = { resource: ['qaScore'], operation: ['createMany'] };
const showCustom = { ...show, source: ['custom'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Input Format',
		name: 'source',
		type: 'options',
		displayOptions: { show },
		options: [
			{
				name: 'Custom Mapping',
				value: 'custom',
				description: 'Map each Assembled field from the input item with an expression',
			},
			{
				name: 'Five9 Evaluation',
				value: FIVE9_EVALUATION_SOURCE,
				description: 'Items from the Five9 node (Evaluation resource) or the Five9 Evaluation Trigger',
			},
		],
		default: 'custom',
	},
	{
		displayName: 'Imported ID',
		name: 'importedId',
		type: 'string',
		required: true,
		displayOptions: { show: showCustom },
		default: '={{ $json.imported_id }}',
		description:
			'Unique ID of the evaluation in the QA tool. Assembled uses it to recognise a score sent again.',
	},
	{
		displayName: 'Agent Email',
		name: 'agentEmail',
		type: 'string',
		displayOptions: { show: showCustom },
		default: '={{ $json.agent_email }}',
		placeholder: 'name@example.com',
		description:
			'Email of the graded agent, used by Assembled to match the agent. When empty, the node looks the agent up by Agent Platform ID.',
	},
	{
		displayName: 'Agent Platform ID',
		name: 'agentPlatformId',
		type: 'string',
		displayOptions: { show: showCustom },
		default: '={{ $json.agent_platform_id }}',
		description: "The agent's ID in the source platform (for Five9, the user ID or username)",
	},
	{
		displayName: 'Agent Name',
		name: 'agentName',
		type: 'string',
		displayOptions: { show: showCustom },
		default: '={{ $json.agent_name }}',
	},
	{
		displayName: 'Platform',
		name: 'platform',
		type: 'string',
		displayOptions: { show: showCustom },
		default: 'five9',
		description: 'Key of the agent platform in Assembled, as in a person’s platforms list',
	},
	{
		displayName: 'Interaction Time',
		name: 'ticketCreatedAt',
		type: 'string',
		required: true,
		displayOptions: { show: showCustom },
		default: '={{ $json.ticket_created_at }}',
		description:
			'When the graded interaction happened (ticket_created_at). ISO 8601, unix seconds or unix milliseconds.',
	},
	{
		displayName: 'Score',
		name: 'score',
		type: 'string',
		required: true,
		displayOptions: { show: showCustom },
		default: '={{ $json.score }}',
	},
	{
		displayName: 'Max Score',
		name: 'maxScore',
		type: 'string',
		displayOptions: { show: showCustom },
		default: '={{ $json.max_score ?? 100 }}',
		description: 'Highest possible score; Assembled assumes 100 when it is not sent',
	},
	{
		displayName: 'Grader',
		name: 'grader',
		type: 'string',
		displayOptions: { show: showCustom },
		default: '={{ $json.grader }}',
		description: 'Who graded the interaction (name or email)',
	},
	{
		displayName: 'Graded At',
		name: 'gradedAt',
		type: 'string',
		displayOptions: { show: showCustom },
		default: '={{ $json.graded_at }}',
		description: 'When the evaluation was made. ISO 8601, unix seconds or unix milliseconds.',
	},
	{
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		displayOptions: { show },
		typeOptions: { minValue: 1, maxValue: MAX_SCORES_PER_REQUEST },
		default: MAX_SCORES_PER_REQUEST,
		description: 'Scores per request. Assembled accepts at most 1,000.',
	},
	optionsCollection(show, [
		{
			displayName: 'Deduplicate by Imported ID',
			name: 'deduplicate',
			type: 'boolean',
			default: true,
			description:
				'Whether to send each imported_id once per execution: the newest copy (latest Graded At, then the later item) is sent; the others are reported with status "superseded", or "duplicate" when identical',
		},
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description:
				'Whether to validate, batch and return the exact payloads without sending anything to Assembled',
		},
		{
			displayName: 'Isolate Rejected Items',
			name: 'isolateRejected',
			type: 'boolean',
			default: true,
			description:
				'Whether to split a batch Assembled rejects (400) into smaller batches, so only the items at fault fail',
		},
		{
			displayName: 'Look Up Missing Agent Emails',
			name: 'resolveEmails',
			type: 'boolean',
			default: true,
			description:
				'Whether to find the email of agents given only by Agent Platform ID in Assembled People (one people fetch per execution)',
		},
		{
			displayName: 'Only Agents Known to Assembled',
			name: 'verifyAgents',
			type: 'boolean',
			default: false,
			description:
				'Whether to check every agent against Assembled People first (by email, then Agent Platform ID) and report the ones it does not know, instead of sending their scores',
		},
	]),
];

type Status = 'sent' | 'dryRun' | 'duplicate' | 'superseded' | 'invalid' | 'failed';

interface ScoreRecord {
	index: number;
	status?: Status;
	parsed?: ParsedQaScore;
	/** As read from the item, for reporting items that never became a payload. */
	rawImportedId?: string;
	lookupIds?: string[];
	payload?: QaScorePayload;
	reasons?: string[];
	/** Row level (the item is at fault) or run level (it could not be sent): see errors.ts. */
	kind?: ErrorKind;
	batch?: number;
	/** The item whose copy of the same imported_id was sent instead. */
	replacedBy?: number;
	httpStatus?: number;
	error?: NodeApiError | NodeOperationError;
}

/** Readers for the custom-mapping fields, resolved once for all items. */
function customFieldReaders(this: IExecuteFunctions, items: INodeExecutionData[]) {
	const read = (name: string) => fieldReader(this, name, items);
	const readers = {
		imported_id: read('importedId'),
		agent_email: read('agentEmail'),
		agent_platform_id: read('agentPlatformId'),
		agent_name: read('agentName'),
		platform: read('platform'),
		ticket_created_at: read('ticketCreatedAt'),
		score: read('score'),
		max_score: read('maxScore'),
		grader: read('grader'),
		graded_at: read('gradedAt'),
	};
	return (index: number): QaScoreFields => {
		const fields: Record<string, unknown> = {};
		for (const [key, reader] of Object.entries(readers)) fields[key] = reader(index);
		return fields as QaScoreFields;
	};
}

/**
 * Finds the score's agent in Assembled: by email when `verify` asks for it, else (or when the email
 * is unknown there) by platform id, taking that person's email. Returns why it failed, if it did.
 */
function matchAgent(
	parsed: ParsedQaScore,
	lookupIds: string[],
	directory: PeopleDirectory,
	verify: boolean,
): string | undefined {
	if (parsed.agent_email && (!verify || directory.findByEmail(parsed.agent_email).length > 0)) return undefined;
	const platform = (parsed.platform || 'five9').toLowerCase();
	const who = parsed.agent_name ? ` (${parsed.agent_name})` : '';
	if (!parsed.agent_platform_id) {
		return `no agent in Assembled People has the email "${parsed.agent_email}"${who}`;
	}
	const candidates = [...new Set([parsed.agent_platform_id, ...lookupIds])];
	let matches: AssembledPerson[] = [];
	for (const id of candidates) {
		matches = directory.findByPlatformId(id, platform).filter((p) => p.email);
		if (matches.length > 0) break;
	}
	if (matches.length === 1) {
		parsed.agent_email = String(matches[0].email);
		parsed.agent_name ??= [matches[0].first_name, matches[0].last_name].filter(Boolean).join(' ') || undefined;
		return undefined;
	}
	if (matches.length > 1) {
		return `agent ${platform} id "${parsed.agent_platform_id}" matches ${matches.length} people in Assembled (${matches
			.map((p) => p.email)
			.join(', ')}); give agent_email instead`;
	}
	return `no agent in Assembled People has ${parsed.agent_email ? `the email "${parsed.agent_email}" or ` : ''}${platform} id or imported id "${parsed.agent_platform_id}"${who}${
		parsed.agent_email ? '' : ', and no agent_email was given'
	}`;
}

function isFatal(error: unknown): boolean {
	// Nothing later in this execution can succeed after these: stop sending.
	return error instanceof NodeApiError && ['401', '402', '403', '404'].includes(String(error.httpCode));
}

function isRejection(error: unknown): error is NodeApiError {
	return error instanceof NodeApiError && ['400', '413', '422'].includes(String(error.httpCode));
}

// A 400 about the request as a whole — a header, the body's shape — rather than about scores in it.
const REQUEST_WORDS = /\b(api[- ]?version|content[- ]type|header|not valid json|malformed|request body|must be an array|too many scores|payload too large|unsupported media)\b/i;
const ITEM_WORDS = /scores\[\d+\]|\bimported_id\b|\bindex\b/i;

function namesTheRequest(error: NodeApiError): boolean {
	// The opening words only: a server that echoes the request would name headers further on.
	const opening = error.message.slice(0, 200);
	return REQUEST_WORDS.test(opening) && !ITEM_WORDS.test(opening);
}

/** An error's words without the numbers and ids that change from answer to answer (request ids). */
function wordsOf(error: NodeApiError): string | undefined {
	if (ITEM_WORDS.test(error.message)) return undefined;
	return error.message.replace(/\b[0-9a-f]{8,}\b|[0-9a-f-]{36}/gi, '#').replace(/\d+/g, '#');
}

/** Requests one rejected batch may cost while its items at fault are looked for. */
function isolationBudget(size: number): number {
	return 4 * Math.ceil(Math.log2(Math.max(2, size))) + 5;
}

/** Which copy of an imported_id is the newest: latest graded time, then the later item. */
function isNewer(candidate: ScoreRecord, current: ScoreRecord): boolean {
	const a = candidate.payload?.graded_at ?? Number.NEGATIVE_INFINITY;
	const b = current.payload?.graded_at ?? Number.NEGATIVE_INFINITY;
	return a > b || (a === b && candidate.index > current.index);
}

function samePayload(a: QaScorePayload | undefined, b: QaScorePayload | undefined): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/** Maps a per-item `errors` array in a bulk response, if Assembled sends one, to batch positions. */
function itemErrors(body: unknown, batch: ScoreRecord[]): Map<number, string> {
	const result = new Map<number, string>();
	const errors = (body as { errors?: unknown; failed?: unknown } | undefined)?.errors ??
		(body as { failed?: unknown } | undefined)?.failed;
	if (!Array.isArray(errors)) return result;
	for (const entry of errors) {
		if (!entry || typeof entry !== 'object') continue;
		const { index, imported_id: importedId, error, message } = entry as IDataObject;
		let position = typeof index === 'number' && index >= 0 && index < batch.length ? index : -1;
		if (position < 0 && importedId !== undefined) {
			position = batch.findIndex((record) => record.payload?.imported_id === String(importedId));
		}
		const words = typeof error === 'string' ? error : typeof message === 'string' ? message : JSON.stringify(error ?? message ?? 'rejected by Assembled');
		if (position >= 0) result.set(position, words);
	}
	return result;
}

type Verdict = { kind: 'settled' } | { kind: 'rejected'; error: NodeApiError };

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const node = this.getNode();
	const timeZone = this.getTimezone();
	const continueOnFail = this.continueOnFail();
	const source = this.getNodeParameter('source', 0, 'custom') as string;
	const batchSize = this.getNodeParameter('batchSize', 0, MAX_SCORES_PER_REQUEST) as number;
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const dryRun = options.dryRun === true;
	const deduplicate = options.deduplicate !== false;
	const resolveEmails = options.resolveEmails !== false;
	const verifyAgents = options.verifyAgents === true;
	const isolateRejected = options.isolateRejected !== false;
	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_SCORES_PER_REQUEST) {
		throw new NodeOperationError(node, `Batch Size must be a whole number from 1 to ${MAX_SCORES_PER_REQUEST}`);
	}
	const client = new AssembledClient(this, clientOptionsFrom(options));

	const records: ScoreRecord[] = items.map((_, index) => ({ index }));
	const markInvalid = (record: ScoreRecord, reasons: string[], kind: ErrorKind = 'invalidItem') => {
		record.status = 'invalid';
		record.kind = kind;
		record.reasons = reasons;
		record.error = new NodeOperationError(node, `Item ${record.index}: ${reasons.join('; ')}`, {
			itemIndex: record.index,
			description: 'The item was not sent to Assembled.',
		});
	};
	const fail = (record: ScoreRecord, error: NodeApiError, kind: ErrorKind = 'notSent') => {
		record.status = 'failed';
		record.kind = kind;
		record.reasons = [error.message, ...(error.description ? [error.description] : [])];
		record.error = error;
	};

	// 1. Read and validate every item before anything is sent.
	const readCustomFields = source === FIVE9_EVALUATION_SOURCE ? undefined : customFieldReaders.call(this, items);
	for (const record of records) {
		const json = items[record.index].json;
		if (source === FIVE9_EVALUATION_SOURCE && json.invalid === true) {
			// A row the Five9 Evaluation Trigger could not read: reported here, with the trigger's reason.
			markInvalid(record, [String(json.error ?? 'the evaluation row could not be read')], 'unreadableRow');
			continue;
		}
		let fields: QaScoreFields;
		try {
			fields = source === FIVE9_EVALUATION_SOURCE ? readFiveNineEvaluationFields(json) : readCustomFields!(record.index);
		} catch (error) {
			markInvalid(record, [(error as Error).message]);
			continue;
		}
		record.lookupIds = (fields.agent_lookup_ids ?? []).map((id) => String(id).trim()).filter(Boolean);
		if (typeof fields.imported_id === 'string' || typeof fields.imported_id === 'number') {
			record.rawImportedId = String(fields.imported_id);
		}
		const validation = validateQaScore(fields, timeZone);
		if (validation.ok) record.parsed = validation.score;
		else markInvalid(record, validation.reasons);
	}

	// 2. Match agents in Assembled People (fetched once): fill in missing emails from the platform
	// id and, when asked, check that every agent is known there.
	const needPeople = records.filter((record) => record.parsed && !record.status && (verifyAgents || !record.parsed.agent_email));
	if (needPeople.length > 0) {
		if (!resolveEmails && !verifyAgents) {
			for (const record of needPeople) {
				markInvalid(record, [
					'agent_email is required; turn on "Look Up Missing Agent Emails" to find it by Agent Platform ID',
				]);
			}
		} else {
			try {
				const directory = await peopleDirectory(client, needPeople[0].index);
				for (const record of needPeople) {
					const problem = matchAgent(record.parsed!, record.lookupIds ?? [], directory, verifyAgents);
					if (problem) markInvalid(record, [problem], 'unknownAgent');
				}
			} catch (error) {
				if (!continueOnFail) throw asNodeError(node, error, needPeople[0].index);
				for (const record of needPeople) fail(record, asNodeError(node, error, record.index) as NodeApiError);
			}
		}
	}

	const invalid = records.filter((record) => record.status === 'invalid');
	if (invalid.length > 0 && !continueOnFail) {
		const first = invalid[0];
		throw new NodeOperationError(node, `Item ${first.index}: ${first.reasons!.join('; ')}`, {
			itemIndex: first.index,
			description: `${invalid.length} of ${items.length} items are invalid, so nothing was sent. ${invalid
				.slice(0, 10)
				.map((record) => `Item ${record.index}: ${record.reasons!.join('; ')}`)
				.join(' | ')}${invalid.length > 10 ? ' | …' : ''}. Turn on "On Error → Continue (using error output)" to send the valid items and route the others.`,
		});
	}

	// 3. Payloads; within this input the newest copy of each imported_id is the one sent.
	const newest = new Map<string, ScoreRecord>();
	const candidates: ScoreRecord[] = [];
	for (const record of records) {
		if (record.status || !record.parsed) continue;
		const payload = toPayload(record.parsed, 'five9');
		if (!payload) {
			markInvalid(record, ['could not build a complete score']);
			continue;
		}
		record.payload = payload;
		candidates.push(record);
		if (!deduplicate) continue;
		const current = newest.get(payload.imported_id);
		if (!current || isNewer(record, current)) newest.set(payload.imported_id, record);
	}
	const toSend = candidates.filter((record) => {
		const winner = deduplicate ? newest.get(record.payload!.imported_id)! : record;
		if (winner === record) return true;
		record.status = samePayload(winner.payload, record.payload) ? 'duplicate' : 'superseded';
		record.replacedBy = winner.index;
		return false;
	});

	// 4. Batches: returned as they would be sent (dry run) or sent through the shared limiter.
	const batches = chunk(toSend, batchSize);
	batches.forEach((batch, position) => batch.forEach((record) => (record.batch = position + 1)));
	let abortedBy: NodeApiError | undefined;

	const abort = (error: NodeApiError, batch: ScoreRecord[]) => {
		abortedBy = error;
		for (const record of batch) fail(record, error);
	};

	/** Sends one batch once. Success, per-item errors and hard failures settle it; a 400 is returned. */
	const attempt = async (batch: ScoreRecord[]): Promise<Verdict> => {
		if (abortedBy) {
			for (const record of batch) fail(record, abortedBy);
			return { kind: 'settled' };
		}
		try {
			const response = await client.send(
				{
					method: 'POST',
					path: '/v0/qa_scores/bulk',
					body: { scores: batch.map((record) => record.payload!) } as unknown as IDataObject,
				},
				batch[0].index,
			);
			const rejected = itemErrors(response.body, batch);
			batch.forEach((record, position) => {
				record.httpStatus = response.statusCode;
				const reason = rejected.get(position);
				if (reason === undefined) {
					record.status = 'sent';
					return;
				}
				// A server may echo the request in its reasons: masked like every other message.
				const said = client.redact(reason).slice(0, 300);
				fail(
					record,
					client.apiError(`Assembled rejected item ${record.index}: ${said}`, 'Assembled accepted the other scores of the request.', {
						itemIndex: record.index,
						httpCode: String(response.statusCode),
					}),
					'rejectedItem',
				);
			});
			return { kind: 'settled' };
		} catch (error) {
			if (isRejection(error)) return { kind: 'rejected', error };
			const failure = asNodeError(node, error, batch[0].index) as NodeApiError;
			if (isFatal(failure) && !continueOnFail) throw failure;
			// Assembled refused the key, or was still failing after the retry budget: the later
			// batches would meet the same, so they are not sent either.
			abort(failure, batch);
			return { kind: 'settled' };
		}
	};

	const requestLevel = (error: NodeApiError): NodeApiError => {
		error.description = `${error.description ?? ''} The error is about the request itself, not about particular scores, so nothing more was sent.`.trim();
		return error;
	};

	/**
	 * A rejected batch is split in halves until the items at fault are alone: one bad item among
	 * 1,000 costs about 21 requests. When both halves are rejected in the words of their batch (ids
	 * and numbers aside) — twice in a row — the request itself is at fault (a wrong API-Version, say)
	 * and splitting further would only repeat it; and no batch may cost more than its budget.
	 */
	const isolate = async (
		batch: ScoreRecord[],
		error: NodeApiError,
		budget: { left: number },
		suspect = false,
	): Promise<void> => {
		if (namesTheRequest(error)) return abort(requestLevel(error), batch);
		if (!isolateRejected || batch.length === 1) {
			for (const record of batch) fail(record, error, batch.length === 1 ? 'rejectedItem' : 'notSent');
			return;
		}
		if (budget.left < 2) {
			error.description = `${error.description ?? ''} Splitting the batch did not single out the items at fault, so these were not sent.`.trim();
			for (const record of batch) fail(record, error);
			return;
		}
		const half = Math.ceil(batch.length / 2);
		const parts = [batch.slice(0, half), batch.slice(half)];
		const verdicts: Verdict[] = [];
		for (const part of parts) {
			budget.left -= 1;
			verdicts.push(await attempt(part));
		}
		const words = wordsOf(error);
		const sameWords =
			words !== undefined && verdicts.every((verdict) => verdict.kind === 'rejected' && wordsOf(verdict.error) === words);
		if (sameWords && suspect) {
			for (const part of parts) abort(requestLevel(error), part);
			return;
		}
		for (const [position, verdict] of verdicts.entries()) {
			if (verdict.kind === 'rejected') await isolate(parts[position], verdict.error, budget, sameWords && position === 0);
		}
	};

	if (dryRun) {
		for (const record of toSend) record.status = 'dryRun';
	} else {
		for (const batch of batches) {
			const verdict = await attempt(batch);
			if (verdict.kind === 'rejected') await isolate(batch, verdict.error, { left: isolationBudget(batch.length) });
		}
	}

	const failed = records.filter((record) => record.status === 'failed');
	if (failed.length > 0 && !continueOnFail) {
		const first = failed[0];
		const sent = records.filter((record) => record.status === 'sent').length;
		throw new NodeOperationError(node, `Item ${first.index}: ${first.reasons!.join(' ')}`, {
			itemIndex: first.index,
			description: `${failed.length} of ${items.length} items could not be sent (${sent} were sent). Turn on "On Error → Continue (using error output)" to keep the sent items and route the failed ones.`,
		});
	}

	return records.map((record) => toOutputItem(record, batches.length));
}

/**
 * Sent, dry-run, duplicate and superseded items carry `status` at the top. Invalid and failed
 * items go to the error output with `error`, `errorLevel`, `errorKind` and `details` (with `status`
 * inside), and n8n adds the input item's own fields: a row to fix arrives with its data and reason.
 */
function toOutputItem(record: ScoreRecord, batchCount: number): INodeExecutionData {
	const status = record.status ?? 'invalid';
	const summary: IDataObject = {
		status,
		imported_id: record.payload?.imported_id ?? (record.parsed?.imported_id || record.rawImportedId || null),
		batch: record.batch ?? null,
		batches: batchCount,
		payload: (record.payload as unknown as IDataObject) ?? null,
	};
	if (record.httpStatus !== undefined) summary.httpStatus = record.httpStatus;
	if (record.replacedBy !== undefined) summary[status === 'duplicate' ? 'duplicateOf' : 'supersededBy'] = record.replacedBy;
	if (status === 'invalid' || status === 'failed') {
		const error = record.error!;
		summary.itemIndex = record.index;
		summary.reasons = record.reasons ?? [];
		if (error instanceof NodeApiError && error.httpCode) summary.httpCode = error.httpCode;
		const item = errorOutputItem(error, record.kind ?? (status === 'failed' ? 'notSent' : 'invalidItem'), record.index, summary);
		item.json.error = (record.reasons ?? [error.message]).join('; ');
		return item;
	}
	return { json: summary, pairedItem: { item: record.index } };
}
