/** Reads the report fields of one item (`report.descriptions.ts`), refusing what Five9 would refuse. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod/v4';

import { OBJECT_TYPES, type ReportRequest } from '../../helpers/report';
import { PICKED_OBJECTS } from './report.descriptions';
import type { RangeInput, RangeMode } from '../../helpers/windows';

// Messages in the node's own words, so they read the same whatever zod's defaults say; the wrong
// types are only reachable through expressions.
const reportRequestSchema = z.object({
	folderName: z.string({ error: 'Folder Name must be text' }).trim().min(1, 'Folder Name is empty'),
	reportName: z.string({ error: 'Report Name must be text' }).trim().min(1, 'Report Name is empty'),
	reportObjects: z.array(
		z.object({
			objectType: z.enum(OBJECT_TYPES, {
				error: (issue) =>
					issue.input === undefined ? 'an object criterion has no Object Type' : `${JSON.stringify(issue.input)} is not an Object Type`,
			}),
			objectNames: z.array(z.string().min(1)).min(1, 'an object criterion has no names'),
		}),
	),
});

/** The object picked for a criterion's type, if any (a resource locator, or a plain name). */
function pickedName(entry: IDataObject & { objectType?: string }): string[] {
	const picked = PICKED_OBJECTS.find((object) => object.type === entry.objectType);
	const value = picked ? entry[picked.field] : undefined;
	const name = value && typeof value === 'object' ? (value as { value?: unknown }).value : value;
	return typeof name === 'string' && name.trim() ? [name.trim()] : [];
}

export function readReportRequest(this: IExecuteFunctions, itemIndex: number): ReportRequest {
	const raw = this.getNodeParameter('criteria.objects', itemIndex, []) as Array<IDataObject & { objectType?: string; objectNames?: string }>;
	const parsed = reportRequestSchema.safeParse({
		folderName: this.getNodeParameter('folderName', itemIndex, ''),
		reportName: this.getNodeParameter('reportName', itemIndex, ''),
		reportObjects: raw.map((entry) => ({
			objectType: entry.objectType,
			objectNames: [
				...pickedName(entry),
				...String(entry.objectNames ?? '')
					.split(',')
					.map((name) => name.trim())
					.filter(Boolean),
			],
		})),
	});
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new NodeOperationError(this.getNode(), `Report settings: ${issue.message}`, { itemIndex });
	}
	// Names are sent exactly as typed inside; only outer spaces are dropped.
	return parsed.data;
}

export function readRange(this: IExecuteFunctions, itemIndex: number): RangeInput {
	const mode = this.getNodeParameter('range', itemIndex, 'custom') as RangeMode;
	if (mode === 'previousDays') return { mode, days: this.getNodeParameter('days', itemIndex, 1) as number };
	if (mode === 'custom') {
		return {
			mode,
			start: this.getNodeParameter('start', itemIndex, '') as unknown,
			end: this.getNodeParameter('end', itemIndex, '') as unknown,
		};
	}
	return { mode };
}
