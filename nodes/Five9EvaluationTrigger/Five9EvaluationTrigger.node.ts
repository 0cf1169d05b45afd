import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	columnMap,
	columnMappingProperty,
	evaluationSourceOptions,
	fetchEvaluations,
	type EvaluationBatch,
	type SourceSettings,
} from '../Five9/helpers/evaluationSource';
import { advance, type PollState } from './state';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Polls for new quality evaluations, like n8n's mail triggers: a watermark and the ids seen near
 * it live in the workflow's static data; each poll asks for watermark − overlap .. now and emits
 * only evaluations it has not emitted before.
 */
export class Five9EvaluationTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Five9 Evaluation Trigger',
		name: 'five9EvaluationTrigger',
		icon: { light: 'file:five9Evaluation.svg', dark: 'file:five9Evaluation.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"New evaluations from " + ($parameter["source"] === "api" ? "the evaluations API" : $parameter["reportName"])}}',
		description: 'Starts the workflow when new Five9 quality (AQM) evaluations appear',
		defaults: { name: 'Five9 Evaluation Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'five9Api', required: true, displayOptions: { show: { source: ['report'] } } },
			{ name: 'five9EvaluationsApi', required: true, displayOptions: { show: { source: ['api'] } } },
		],
		properties: [
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				options: evaluationSourceOptions,
				default: 'report',
			},
			{
				displayName: 'Folder Name',
				name: 'folderName',
				type: 'string',
				displayOptions: { show: { source: ['report'] } },
				default: 'Quality Management Reports',
				description: 'Report folder in Five9, exactly as written there (names are case-sensitive)',
			},
			{
				displayName: 'Report Name',
				name: 'reportName',
				type: 'string',
				displayOptions: { show: { source: ['report'] } },
				default: 'AQM Evaluations',
				description: 'Your evaluation report in that folder, with one row per evaluation',
			},
			columnMappingProperty({ source: ['report'] }),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Backfill Days',
						name: 'backfillDays',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 90 },
						default: 0,
						description:
							'On first activation, also emit evaluations from this many days back. With 0 the trigger starts from now and emits nothing old.',
					},
					{
						displayName: 'Overlap (Minutes)',
						name: 'overlapMinutes',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 60,
						description:
							'How far before the last evaluation each poll looks again, to catch evaluations that appear late. Ones already emitted are not emitted twice.',
					},
					{
						displayName: 'Test Run Size',
						name: 'manualLimit',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 5,
						description: 'How many of the latest evaluations (last 24 hours) a manual test run returns',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const source = this.getNodeParameter('source', 'report') as SourceSettings['source'];
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const settings: SourceSettings = {
			source,
			folderName: String(this.getNodeParameter('folderName', '') ?? ''),
			reportName: String(this.getNodeParameter('reportName', '') ?? ''),
			columns: columnMap(this.getNodeParameter('columns', {}) as IDataObject),
		};
		if (source === 'report' && (!settings.folderName.trim() || !settings.reportName.trim())) {
			throw new NodeOperationError(this.getNode(), 'Folder Name and Report Name are required for the Five9 Report source');
		}
		const now = Date.now();
		const overlapMs = Math.max(1, Number(options.overlapMinutes ?? 60)) * MINUTE;

		if (this.getMode() === 'manual') {
			const batch = await fetchEvaluations(this, settings, now - DAY, now);
			const latest = [...batch.evaluations]
				.sort((a, b) => Date.parse(b.evaluated_at) - Date.parse(a.evaluated_at))
				.slice(0, Math.max(1, Number(options.manualLimit ?? 5)));
			return latest.length ? [this.helpers.returnJsonArray(latest)] : null;
		}

		const state = this.getWorkflowStaticData('node') as PollState;
		if (state.watermark === undefined) {
			const backfillDays = Number(options.backfillDays ?? 0);
			if (!(backfillDays > 0)) {
				// First activation: start from now rather than flooding the workflow with history.
				state.watermark = now;
				state.floor = now;
				state.seen = {};
				return null;
			}
			state.floor = now - backfillDays * DAY;
			state.watermark = state.floor + overlapMs;
			state.seen = {};
		}
		const from = Math.max(state.watermark - overlapMs, state.floor ?? Number.NEGATIVE_INFINITY);
		// Nothing is written to the state until the fetch succeeded: a failed poll leaves it as it was.
		const batch: EvaluationBatch = await fetchEvaluations(this, settings, from, now);
		const { fresh, next } = advance(state, batch.evaluations, { now, overlapMs });
		state.watermark = next.watermark;
		state.seen = next.seen;
		state.floor = next.floor;
		const items: IDataObject[] = [
			...fresh,
			...batch.rejected.map((rejected) => ({
				invalid: true,
				error: `Evaluation row could not be read: ${rejected.reasons.join('; ')}`,
				row: rejected.row,
			})),
		];
		return items.length ? [this.helpers.returnJsonArray(items)] : null;
	}
}
