import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	NodeApiError,
	NodeExecutionHint,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../../shared/errors';
import { fieldReader } from '../../../shared/fieldReader';
import { settingsOf } from '../../../shared/options';
import { matchAgent } from '../../helpers/agentMatch';
import { streamBatches } from '../../helpers/bulkStream';
import { keptText } from '../../helpers/fields';
import { FIVE9_EVALUATION_SOURCE, fiveNineImportedId, readFiveNineEvaluationFields } from '../../helpers/five9Evaluation';
import { peopleDirectory, type PeopleDirectory } from '../../helpers/people';
import { QaDelivery } from '../../helpers/qaDelivery';
import { MAX_SCORES_PER_REQUEST, toPayload, validateQaScore, type QaScoreFields } from '../../helpers/qaScore';
import {
	failedScore,
	invalidScore,
	toOutputItem,
	type BatchedScore,
	type MatchedQaScore,
	type MatchedScore,
	type PayloadScore,
	type ScoreOutcome,
	type ScoreProblem,
	type ValidScore,
} from '../../helpers/qaStages';
import { AssembledClient, clientOptionsFrom } from '../../transport';
import { operationOptions } from '../common.descriptions';

const show = { resource: ['qaScore'], operation: ['createMany'] };
const showCustom = { ...show, source: ['custom'] };

const sourceField: INodeProperties = {
	displayName: 'Input Format',
	name: 'source',
	type: 'options',
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
	default: FIVE9_EVALUATION_SOURCE,
};

const batchSizeField: INodeProperties = {
	displayName: 'Batch Size',
	name: 'batchSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_SCORES_PER_REQUEST },
	default: MAX_SCORES_PER_REQUEST,
	description: 'Scores per request. Assembled accepts at most 1,000.',
};

export const description: INodeProperties[] = [
	// Version 1 keeps Custom Mapping as its default: saved nodes leave a default out, so changing it
	// would switch every such node to the other format.
	{ ...sourceField, displayOptions: { show: { ...show, '@version': [1] } }, default: 'custom' },
	{ ...sourceField, displayOptions: { show: { ...show, '@version': [{ _cnd: { gte: 1.1 } }] } } },
	{
		displayName:
			'Reads the Five9 evaluation fields of each item: evaluation_id, agent_email (else agent_username when it is an email, else the agent found in Assembled People by agent_five9_id or agent_username), agent_name, interaction_started_at (else evaluated_at), score and max_score (else score_percent), evaluator and evaluated_at',
		name: 'five9EvaluationNotice',
		type: 'notice',
		displayOptions: { show: { ...show, source: [FIVE9_EVALUATION_SOURCE] } },
		default: '',
	},
	{
		displayName:
			'Reads each field below from the input item; the defaults read imported_id, agent_email, agent_platform_id, agent_name, ticket_created_at, score, max_score, grader and graded_at. For items from Five9, choose the Five9 Evaluation format.',
		name: 'customMappingNotice',
		type: 'notice',
		displayOptions: { show: showCustom },
		default: '',
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
	// Version 1 has Batch Size as a field of its own; later versions keep it under Advanced.
	{ ...batchSizeField, displayOptions: { show: { ...show, '@version': [1] } } },
	...operationOptions(show, [
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
	], [batchSizeField]),
];

/**
 * Readers for the custom-mapping fields, resolved once for all items. The imported_id is read
 * first and on its own (it is the key copies are compared by); `fields` reads the rest.
 */
function customFieldReaders(this: IExecuteFunctions, items: INodeExecutionData[]) {
	const read = (name: string) => fieldReader(this, name, items);
	const importedId = read('importedId');
	const readers = {
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
	const entries = Object.entries(readers);
	return {
		importedId,
		fields: (index: number, importedIdValue: unknown): QaScoreFields => {
			const fields: Record<string, unknown> = { imported_id: importedIdValue };
			for (const [key, reader] of entries) fields[key] = reader(index);
			return fields as QaScoreFields;
		},
	};
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const node = this.getNode();
	const timeZone = this.getTimezone();
	const continueOnFail = this.continueOnFail();
	const source = this.getNodeParameter('source', 0, 'custom') as string;
	const options = settingsOf(this, 0);
	// Version 1 has Batch Size as a field of its own, outside the settings.
	const batchSize = (
		this.getNode().typeVersion < 1.1
			? this.getNodeParameter('batchSize', 0, MAX_SCORES_PER_REQUEST)
			: (options.batchSize ?? MAX_SCORES_PER_REQUEST)
	) as number;
	const dryRun = options.dryRun === true;
	const deduplicate = options.deduplicate !== false;
	const resolveEmails = options.resolveEmails !== false;
	const verifyAgents = options.verifyAgents === true;
	const isolateRejected = options.isolateRejected !== false;
	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_SCORES_PER_REQUEST) {
		throw new NodeOperationError(node, `Batch Size must be a whole number from 1 to ${MAX_SCORES_PER_REQUEST}`);
	}
	const client = new AssembledClient(this, clientOptionsFrom(options));

	// Every item gets one outcome, at whichever stage it ends. Once the number of batches is known,
	// output items are built as outcomes come in, while requests wait for their slot, rather than
	// all at the end; a failed one at the end (its error may still gain words when it is judged).
	const outcomes: ScoreOutcome[] = new Array<ScoreOutcome>(items.length);
	const outputs: INodeExecutionData[] = new Array<INodeExecutionData>(items.length);
	let outputsBuilt = 0;
	let knownBatchCount: number | undefined;
	const buildOutput = (outcome: ScoreOutcome) => {
		if (knownBatchCount === undefined || outcome.status === 'failed') return;
		if (outputs[outcome.index] === undefined) outputsBuilt += 1;
		outputs[outcome.index] = toOutputItem(outcome, knownBatchCount);
	};
	const tally = new Tally();
	const settle = (outcome: ScoreOutcome) => {
		tally.replace(outcomes[outcome.index], outcome);
		outcomes[outcome.index] = outcome;
		buildOutput(outcome);
	};
	const problems = (status: ScoreProblem['status']) =>
		outcomes.filter((outcome): outcome is ScoreProblem => outcome.status === status);

	// 1. Reading. With deduplication the imported_ids are read ahead, as keys, and not again.
	const fiveNine = source === FIVE9_EVALUATION_SOURCE;
	const custom = fiveNine ? undefined : customFieldReaders.call(this, items);
	const unreadable = (index: number) => fiveNine && items[index].json.invalid === true;
	const idsReadAhead = deduplicate && !fiveNine;
	const rawIds: unknown[] = [];
	const rawIdErrors = new Map<number, unknown>();
	const readRawId = (index: number) => {
		try {
			return custom!.importedId(index);
		} catch (error) {
			rawIdErrors.set(index, error);
			return undefined;
		}
	};
	const readFields = (index: number): QaScoreFields => {
		if (fiveNine) return readFiveNineEvaluationFields(items[index].json);
		const rawId = idsReadAhead ? rawIds[index] : readRawId(index);
		if (rawIdErrors.has(index)) throw rawIdErrors.get(index);
		return custom!.fields(index, rawId);
	};
	const keyHint = (index: number): string | undefined => {
		if (fiveNine) return unreadable(index) ? undefined : keptText(fiveNineImportedId(items[index].json));
		const rawId = readRawId(index);
		rawIds.push(rawId);
		return rawIdErrors.has(index) ? undefined : keptText(rawId);
	};

	// 2. Validation.
	const validate = (index: number): ValidScore | undefined => {
		if (unreadable(index)) {
			// A row the Five9 Evaluation Trigger could not read: reported here, with the trigger's reason.
			settle(invalidScore(node, { index }, [String(items[index].json.error ?? 'the evaluation row could not be read')], 'unreadableRow'));
			return undefined;
		}
		let fields: QaScoreFields;
		try {
			fields = readFields(index);
		} catch (error) {
			settle(invalidScore(node, { index }, [(error as Error).message]));
			return undefined;
		}
		const lookupIds = fields.agent_lookup_ids ? fields.agent_lookup_ids.map((id) => String(id).trim()).filter(Boolean) : NO_IDS;
		const rawImportedId =
			typeof fields.imported_id === 'string' || typeof fields.imported_id === 'number' ? String(fields.imported_id) : undefined;
		const validation = validateQaScore(fields, timeZone);
		if (validation.ok) return { index, rawImportedId, parsed: validation.score, lookupIds };
		settle(invalidScore(node, { index, rawImportedId }, validation.reasons));
		return undefined;
	};

	// 3. Agents matched in Assembled People (fetched once, when the first item needs it): missing
	// emails filled in from the platform id and, when asked, every agent checked to be known there.
	const needsPeople = (score: ValidScore) => (verifyAgents || !score.parsed.agent_email) && (resolveEmails || verifyAgents);
	let people: { directory?: PeopleDirectory; failure?: unknown } | undefined;
	const loadPeople = async (index: number) => {
		try {
			people = { directory: await peopleDirectory(client, index) };
		} catch (error) {
			if (!continueOnFail) throw asNodeError(node, error, index);
			people = { failure: error };
		}
	};
	const match = (score: ValidScore): MatchedScore | undefined => {
		const { index, rawImportedId, parsed } = score;
		if (!verifyAgents && parsed.agent_email) return { index, rawImportedId, parsed: parsed as MatchedQaScore };
		if (!resolveEmails && !verifyAgents) {
			settle(
				invalidScore(node, score, [
					'agent_email is required; turn on "Look Up Missing Agent Emails" to find it by Agent Platform ID',
				]),
			);
			return undefined;
		}
		if (!people?.directory) {
			settle(failedScore(score, asNodeError(node, people?.failure, index) as NodeApiError));
			return undefined;
		}
		const found = matchAgent(parsed, score.lookupIds, people.directory, verifyAgents);
		if ('problem' in found) {
			settle(invalidScore(node, score, [found.problem], 'unknownAgent'));
			return undefined;
		}
		return { index, rawImportedId, parsed: found.matched };
	};

	// 4. The payload sent.
	const withPayload = (score: MatchedScore): PayloadScore | undefined => {
		const payload = toPayload(score.parsed, 'five9');
		if (payload) return { index: score.index, rawImportedId: score.rawImportedId, parsed: score.parsed, payload };
		settle(invalidScore(node, score, ['could not build a complete score']));
		return undefined;
	};
	const prepare = (index: number): PayloadScore | undefined | Promise<PayloadScore | undefined> => {
		const valid = validate(index);
		if (!valid) return undefined;
		if (needsPeople(valid) && !people) return loadPeople(index).then(() => withMatch(valid));
		return withMatch(valid);
	};
	const withMatch = (valid: ValidScore) => {
		const matched = match(valid);
		return matched && withPayload(matched);
	};

	// 5. Batches, formed in input order with the newest copy of each imported_id. When invalid
	// items go to the error output anyway, a batch leaves as soon as it is complete, while later
	// items are still being read: the run then takes about as long as the rate limit makes it.
	// Otherwise every item is checked first, so that nothing is sent when one is invalid.
	const streaming = continueOnFail && !dryRun;
	const delivery = new QaDelivery(client, { node, continueOnFail, isolateRejected }, settle);
	const held: BatchedScore[][] = [];
	let sending: Promise<void> = Promise.resolve();
	let sendFailure: { error: unknown } | undefined;
	let stopped = false;
	const dispatch = (batch: BatchedScore[]) => {
		sending = sending
			.then(async () => {
				if (!sendFailure && !stopped) await delivery.sendBatch(batch);
			})
			.catch((error: unknown) => {
				sendFailure ??= { error };
			});
		// The run ends about a rate-limit floor after the first request leaves: reading waits until
		// the first batch is answered, so that nothing holds that request up (a request's first
		// sending also sets up n8n's credential and HTTP code). Later batches wait their turn.
		return batch[0].batch === 1 ? sending : undefined;
	};
	let batchCount: number;
	try {
		batchCount = await streamBatches<PayloadScore>(
			{
				count: items.length,
				keyHint,
				prepare,
				keyOf: (score) => score.payload.imported_id,
				rankOf: (score) => score.payload.graded_at ?? Number.NEGATIVE_INFINITY,
			},
			{
				deduplicate,
				batchSize,
				onReplaced: settle,
				onBatch: (batch) => {
					if (streaming) return dispatch(batch);
					held.push(batch);
					return undefined;
				},
				cooperative: streaming,
			},
		);
		knownBatchCount = batchCount;
		outcomes.forEach(buildOutput);
	} catch (error) {
		// Batches not yet sent stay unsent, and no request is left running when the node ends.
		stopped = true;
		await sending;
		throw asNodeError(node, error);
	}
	await sending;
	if (sendFailure) throw asNodeError(node, sendFailure.error);

	const invalid = continueOnFail ? [] : problems('invalid');
	if (invalid.length > 0) {
		const first = invalid[0];
		throw new NodeOperationError(node, `Item ${first.index}: ${first.reasons.join('; ')}`, {
			itemIndex: first.index,
			description: `${invalid.length} of ${items.length} items are invalid, so nothing was sent. ${invalid
				.slice(0, 10)
				.map((outcome) => `Item ${outcome.index}: ${outcome.reasons.join('; ')}`)
				.join(' | ')}${invalid.length > 10 ? ' | …' : ''}. Turn on "On Error → Continue (using error output)" to send the valid items and route the others.`,
		});
	}
	if (dryRun) {
		for (const score of held.flat()) settle({ ...score, status: 'dryRun' });
	} else if (!streaming) {
		await delivery.send(held);
	}

	const failed = tally.count('failed') > 0 ? problems('failed') : [];
	if (failed.length > 0 && !continueOnFail) {
		const first = failed[0];
		throw new NodeOperationError(node, `Item ${first.index}: ${first.reasons.join(' ')}`, {
			itemIndex: first.index,
			description: `${failed.length} of ${items.length} items could not be sent (${tally.count('sent')} were sent). Turn on "On Error → Continue (using error output)" to keep the sent items and route the failed ones.`,
		});
	}

	const hints = runHints(tally, dryRun, batchCount);
	if (hints.length > 0) this.addExecutionHints(...hints);
	if (outputsBuilt < items.length || tally.count('failed') > 0) {
		for (let index = 0; index < outcomes.length; index++) {
			const outcome = outcomes[index];
			if (outputs[index] === undefined || outcome.status === 'failed') outputs[index] = toOutputItem(outcome, batchCount);
		}
	}
	return outputs;
}

const NO_IDS: string[] = [];

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** Outcomes counted as they come in (an item settled again counts once, as it ended). */
class Tally {
	private readonly counts = new Map<ScoreOutcome['status'], number>();
	/** Scores whose agent no one in Assembled People matched. */
	unmatched = 0;

	count(status: ScoreOutcome['status']): number {
		return this.counts.get(status) ?? 0;
	}

	replace(previous: ScoreOutcome | undefined, outcome: ScoreOutcome) {
		if (previous) this.add(previous, -1);
		this.add(outcome, 1);
	}

	private add(outcome: ScoreOutcome, step: number) {
		this.counts.set(outcome.status, this.count(outcome.status) + step);
		if (outcome.status === 'invalid' && outcome.kind === 'unknownAgent') this.unmatched += step;
	}
}

/** What the output pane should say about the run as a whole, beyond each item's status. */
function runHints(tally: Tally, dryRun: boolean, batchCount: number): NodeExecutionHint[] {
	const hints: NodeExecutionHint[] = [];
	if (dryRun) {
		const ready = tally.count('dryRun');
		hints.push({
			message: `Dry run: nothing was sent to Assembled. ${plural(ready, 'score')} in ${plural(batchCount, 'batch', 'batches')} would be sent; turn off "Dry Run" to send them.`,
			type: 'info',
			location: 'outputPane',
		});
	}
	const { unmatched } = tally;
	if (unmatched > 0) {
		hints.push({
			message: `${plural(unmatched, 'score')} not sent: no agent in Assembled People matched (see the error output). Add the agents in Assembled, or check their email and Five9 ID there.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	const superseded = tally.count('superseded');
	const duplicate = tally.count('duplicate');
	if (superseded + duplicate > 0) {
		const parts = [
			...(superseded ? [`${plural(superseded, 'item')} superseded by a newer copy`] : []),
			...(duplicate ? [`${plural(duplicate, 'identical duplicate')}`] : []),
		];
		hints.push({
			message: `An imported_id came more than once: ${parts.join(' and ')}. Only the newest copy of each ${dryRun ? 'would be' : 'was'} sent.`,
			type: 'info',
			location: 'outputPane',
		});
	}
	return hints;
}
