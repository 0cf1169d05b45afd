import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	NodeApiError,
	NodeExecutionHint,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chunk } from '../../../shared/batching';
import { asNodeError } from '../../../shared/errors';
import { fieldReader } from '../../../shared/fieldReader';
import { settingsOf } from '../../../shared/options';
import { matchAgent } from '../../helpers/agentMatch';
import { FIVE9_EVALUATION_SOURCE, readFiveNineEvaluationFields } from '../../helpers/five9Evaluation';
import { peopleDirectory, type PeopleDirectory } from '../../helpers/people';
import { QaDelivery } from '../../helpers/qaDelivery';
import { newestCopies } from '../../helpers/qaDedupe';
import { MAX_SCORES_PER_REQUEST, toPayload, validateQaScore, type QaScoreFields } from '../../helpers/qaScore';
import {
	failedScore,
	invalidScore,
	toOutputItem,
	type BatchedScore,
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

	// Every item gets one outcome, at whichever stage it ends.
	const outcomes: ScoreOutcome[] = [];
	const settle = (outcome: ScoreOutcome) => {
		outcomes[outcome.index] = outcome;
	};
	const problems = (status: ScoreProblem['status']) =>
		outcomes.filter((outcome): outcome is ScoreProblem => outcome.status === status);

	// 1. Read and validate every item before anything is sent.
	const fiveNine = source === FIVE9_EVALUATION_SOURCE;
	const readFields = fiveNine
		? (index: number) => readFiveNineEvaluationFields(items[index].json)
		: customFieldReaders.call(this, items);
	const valid: ValidScore[] = [];
	for (const [index, item] of items.entries()) {
		if (fiveNine && item.json.invalid === true) {
			// A row the Five9 Evaluation Trigger could not read: reported here, with the trigger's reason.
			settle(invalidScore(node, { index }, [String(item.json.error ?? 'the evaluation row could not be read')], 'unreadableRow'));
			continue;
		}
		let fields: QaScoreFields;
		try {
			fields = readFields(index);
		} catch (error) {
			settle(invalidScore(node, { index }, [(error as Error).message]));
			continue;
		}
		const lookupIds = (fields.agent_lookup_ids ?? []).map((id) => String(id).trim()).filter(Boolean);
		const rawImportedId =
			typeof fields.imported_id === 'string' || typeof fields.imported_id === 'number' ? String(fields.imported_id) : undefined;
		const validation = validateQaScore(fields, timeZone);
		if (validation.ok) valid.push({ index, rawImportedId, parsed: validation.score, lookupIds });
		else settle(invalidScore(node, { index, rawImportedId }, validation.reasons));
	}

	// 2. Match agents in Assembled People (fetched once): fill in missing emails from the platform
	// id and, when asked, check that every agent is known there.
	const matched: MatchedScore[] = [];
	const needPeople = valid.filter((score) => verifyAgents || !score.parsed.agent_email);
	let directory: PeopleDirectory | undefined;
	let peopleFailure: unknown;
	if (needPeople.length > 0 && (resolveEmails || verifyAgents)) {
		try {
			directory = await peopleDirectory(client, needPeople[0].index);
		} catch (error) {
			if (!continueOnFail) throw asNodeError(node, error, needPeople[0].index);
			peopleFailure = error;
		}
	}
	for (const score of valid) {
		const { index, rawImportedId, parsed } = score;
		if (!verifyAgents && parsed.agent_email) {
			matched.push({ index, rawImportedId, parsed: { ...parsed, agent_email: parsed.agent_email } });
		} else if (!resolveEmails && !verifyAgents) {
			settle(
				invalidScore(node, score, [
					'agent_email is required; turn on "Look Up Missing Agent Emails" to find it by Agent Platform ID',
				]),
			);
		} else if (!directory) {
			settle(failedScore(score, asNodeError(node, peopleFailure, index) as NodeApiError));
		} else {
			const match = matchAgent(parsed, score.lookupIds, directory, verifyAgents);
			if ('problem' in match) settle(invalidScore(node, score, [match.problem], 'unknownAgent'));
			else matched.push({ index, rawImportedId, parsed: match.matched });
		}
	}

	const invalid = problems('invalid');
	if (invalid.length > 0 && !continueOnFail) {
		const first = invalid[0];
		throw new NodeOperationError(node, `Item ${first.index}: ${first.reasons.join('; ')}`, {
			itemIndex: first.index,
			description: `${invalid.length} of ${items.length} items are invalid, so nothing was sent. ${invalid
				.slice(0, 10)
				.map((outcome) => `Item ${outcome.index}: ${outcome.reasons.join('; ')}`)
				.join(' | ')}${invalid.length > 10 ? ' | …' : ''}. Turn on "On Error → Continue (using error output)" to send the valid items and route the others.`,
		});
	}

	// 3. Payloads; within this input the newest copy of each imported_id is the one sent.
	const withPayload: PayloadScore[] = [];
	for (const score of matched) {
		const payload = toPayload(score.parsed, 'five9');
		if (payload) withPayload.push({ ...score, payload });
		else settle(invalidScore(node, score, ['could not build a complete score']));
	}
	const { toSend, replaced } = newestCopies(withPayload, deduplicate);
	replaced.forEach(settle);

	// 4. Batches: returned as they would be sent (dry run) or sent through the shared limiter.
	const batches: BatchedScore[][] = chunk(toSend, batchSize).map((batch, position) =>
		batch.map((score) => ({ ...score, batch: position + 1 })),
	);
	if (dryRun) {
		for (const score of batches.flat()) settle({ ...score, status: 'dryRun' });
	} else {
		await new QaDelivery(client, { node, continueOnFail, isolateRejected }, settle).send(batches);
	}

	const failed = problems('failed');
	if (failed.length > 0 && !continueOnFail) {
		const first = failed[0];
		const sent = outcomes.filter((outcome) => outcome.status === 'sent').length;
		throw new NodeOperationError(node, `Item ${first.index}: ${first.reasons.join(' ')}`, {
			itemIndex: first.index,
			description: `${failed.length} of ${items.length} items could not be sent (${sent} were sent). Turn on "On Error → Continue (using error output)" to keep the sent items and route the failed ones.`,
		});
	}

	const hints = runHints(outcomes, dryRun, batches.length);
	if (hints.length > 0) this.addExecutionHints(...hints);
	return outcomes.map((outcome) => toOutputItem(outcome, batches.length));
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** What the output pane should say about the run as a whole, beyond each item's status. */
function runHints(outcomes: ScoreOutcome[], dryRun: boolean, batchCount: number): NodeExecutionHint[] {
	const count = (test: (outcome: ScoreOutcome) => boolean) => outcomes.filter(test).length;
	const hints: NodeExecutionHint[] = [];
	if (dryRun) {
		const ready = count((outcome) => outcome.status === 'dryRun');
		hints.push({
			message: `Dry run: nothing was sent to Assembled. ${plural(ready, 'score')} in ${plural(batchCount, 'batch', 'batches')} would be sent; turn off "Dry Run" to send them.`,
			type: 'info',
			location: 'outputPane',
		});
	}
	const unmatched = count((outcome) => outcome.status === 'invalid' && outcome.kind === 'unknownAgent');
	if (unmatched > 0) {
		hints.push({
			message: `${plural(unmatched, 'score')} not sent: no agent in Assembled People matched (see the error output). Add the agents in Assembled, or check their email and Five9 ID there.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	const superseded = count((outcome) => outcome.status === 'superseded');
	const duplicate = count((outcome) => outcome.status === 'duplicate');
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
