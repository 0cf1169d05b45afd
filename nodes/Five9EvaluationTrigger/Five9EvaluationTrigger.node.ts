import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
	IRun,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { fillAgentEmails } from '../Five9/helpers/agentEmails';
import type { Evaluation } from '../Five9/helpers/evaluation';
import { columnMap, fetchEvaluations, type EvaluationBatch, type SourceSettings } from '../Five9/helpers/evaluationSource';
import {
	columnNamesField,
	evaluationSourceFields,
	fillAgentEmailsField,
} from '../Five9/helpers/evaluationSource.descriptions';
import { Five9Client } from '../Five9/transport';
import { coordinator, deliveryKey, readDeliveryNote } from '../shared/coordination';
import {
	awaitingOutcome,
	dropDelivered,
	importedIdOf,
	recordEmission,
	settleEmission,
	takeRedeliveries,
	type DeliveryState,
	type NotedDelivery,
} from './helpers/delivery';
import { advance, pollWindow, type PollState } from './helpers/state';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Polls for new quality evaluations, like n8n's mail triggers: a watermark and the evaluations
 * emitted recently (id, time, content fingerprint) live in the workflow's static data; each poll
 * asks for watermark − overlap .. now, once in a while a few days back (deep re-scan), and emits
 * evaluations it has not emitted before or whose content changed since.
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
		// When every option of a parameter shows a credential of its own, n8n's editor takes that
		// parameter for the node's authentication switch and moves it out of the parameter list.
		// Hiding the Five9 credential for the API source (instead of showing it for the report source)
		// keeps Source a visible parameter, with the same credentials for each source.
		credentials: [
			{ name: 'five9Api', required: true, displayOptions: { hide: { source: ['api'] } } },
			{ name: 'five9EvaluationsApi', required: true, displayOptions: { show: { source: ['api'] } } },
		],
		properties: [
			{
				// n8n gives every polling node "every minute" and lets no node choose another default.
				displayName:
					'Poll every 5 minutes or less often (Poll Times → Every X): each poll runs the Five9 evaluation report (once for all the days it covers while they fit under the row cap), and Five9 limits report runs per domain',
				name: 'pollNotice',
				type: 'notice',
				displayOptions: { show: { source: ['report'] } },
				default: '',
			},
			...evaluationSourceFields({}, { withFile: false }),
			fillAgentEmailsField({ source: ['report'] }),
			columnNamesField({ source: ['report'] }),
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
						displayName: 'Deep Re-Scan Days',
						name: 'rescanDays',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 3,
						description:
							'Once per Deep Re-Scan Every period a poll looks this many days back instead of one overlap, to catch evaluations that appear late and scores edited after they were emitted (emitted again with changed = true and the same evaluation ID, so Assembled updates the score). The trigger remembers evaluations this far back (at least twice the overlap); evaluations older than that which appear or change are not emitted. With the Five9 Report source each re-scan runs the report once per calendar day in the range. 0 turns re-scans off.',
					},
					{
						displayName: 'Deep Re-Scan Every (Hours)',
						name: 'rescanEveryHours',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 24,
						description:
							'How often a poll does the deep re-scan. With the Five9 Report source each re-scan costs one report run per calendar day of Deep Re-Scan Days (4 runs for 3 days), so once a day is usually enough.',
					},
					{
						displayName: 'Overlap (Minutes)',
						name: 'overlapMinutes',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 60,
						description:
							'How far before the last evaluation each poll looks again, to catch evaluations that appear late or change. Ones already emitted are not emitted twice unless their score or details changed.',
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
		// One Five9 client per poll: the report runs and the user list share its login, and the
		// user list is read at most once.
		const five9 = source === 'report' ? new Five9Client(this) : undefined;
		const fill = five9 && this.getNodeParameter('fillAgentEmails', false) === true;
		const withEmails = async (evaluations: Evaluation[]) => {
			if (fill) await fillAgentEmails(five9, evaluations);
			return evaluations;
		};

		if (this.getMode() === 'manual') {
			const batch = await fetchEvaluations(this, settings, now - DAY, now, { five9 });
			const latest = [...batch.evaluations]
				.sort((a, b) => Date.parse(b.evaluated_at) - Date.parse(a.evaluated_at))
				.slice(0, Math.max(1, Number(options.manualLimit ?? 5)));
			return latest.length ? [this.helpers.returnJsonArray(await withEmails(latest))] : null;
		}

		const state = this.getWorkflowStaticData('node') as PollState & DeliveryState;
		const rescanDays = Number(options.rescanDays ?? 3);
		const timing = {
			now,
			overlapMs,
			rescanMs: Number.isFinite(rescanDays) && rescanDays > 0 ? rescanDays * DAY : 0,
			rescanEveryMs: Math.max(1, Number(options.rescanEveryHours ?? 24) || 24) * HOUR,
		};
		let current: PollState = state;
		if (state.watermark === undefined) {
			const backfillDays = Number(options.backfillDays ?? 0);
			// Activation counts as a re-scan: the first re-scan comes one period later.
			if (!(backfillDays > 0)) {
				// First activation: start from now rather than flooding the workflow with history.
				Object.assign(state, { watermark: now, floor: now, coveredFrom: now, lastRescan: now, seen: {}, rejected: {} });
				return null;
			}
			const floor = now - backfillDays * DAY;
			current = { watermark: floor + overlapMs, floor, coveredFrom: floor, lastRescan: now, seen: {}, rejected: {} };
		}
		const window = pollWindow(current, timing);
		// Nothing is written to the state until the fetch succeeded: a failed poll leaves it as it was.
		const batch: EvaluationBatch = await fetchEvaluations(this, settings, window.from, now, { five9 });
		const { fresh, unreadable, next } = advance(current, batch, { ...timing, window });
		// Emails are filled after the fingerprints are taken, so turning the option on re-emits
		// nothing, and before the state moves, so a failed lookup fails the poll and changes nothing.
		await withEmails(fresh);
		Object.assign(state, next);
		// In queue mode main hears only that a run failed, or nothing if it restarted meanwhile: what
		// the Assembled node noted as accepted since it was emitted is not emitted again.
		const shared = await coordinator((message) => this.logger.warn(message));
		if (shared.kind === 'redis') {
			const waiting = awaitingOutcome(state);
			if (waiting.length > 0) {
				const notes = await shared.read(waiting.map((evaluation) => deliveryKey(importedIdOf(evaluation))));
				const noted = new Map<string, NotedDelivery>();
				waiting.forEach((evaluation, index) => {
					const note = readDeliveryNote(notes[index]);
					if (note) noted.set(importedIdOf(evaluation), note);
				});
				dropDelivered(state, noted);
			}
		}
		// Evaluations whose last run did not deliver them go out again; a changed copy found now wins.
		const freshIds = new Set(fresh.map((evaluation) => evaluation.evaluation_id));
		const redeliveries = takeRedeliveries(state, now).filter((evaluation) => !freshIds.has(evaluation.evaluation_id));
		const evaluations = [...fresh, ...redeliveries];
		const items: IDataObject[] = [
			...evaluations,
			...unreadable.map((rejected) => ({
				invalid: true,
				errorKind: 'unreadableRow',
				error: `Evaluation row could not be read: ${rejected.reasons.join('; ')}`,
				row: rejected.row,
			})),
		];
		if (items.length === 0) return null;
		// The run started by this emit reports back when it finishes (as n8n's queue triggers
		// acknowledge a message only after a successful run): what it did not deliver is pending.
		const emissionId = `${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
		recordEmission(state, emissionId, evaluations, now);
		const done = this.helpers.createDeferredPromise<IRun | undefined>();
		done.promise.then(
			(run) => settleEmission(state, emissionId, run, Date.now()),
			(error: unknown) => settleEmission(state, emissionId, undefined, Date.now(), error),
		);
		this.__emit([this.helpers.returnJsonArray(items)], undefined, done);
		return null;
	}
}
