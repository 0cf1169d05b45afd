import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { advanceThrough, readCheckpoint, writeCheckpoint, type Span } from '../../helpers/checkpoint';

const show = { resource: ['report'], operation: ['saveCheckpoint'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Checkpoint Name',
		name: 'checkpointName',
		type: 'string',
		required: true,
		displayOptions: { show },
		default: 'backfill',
		description:
			'The same name as "Resume From Checkpoint" of the Five9 node that read the windows. Put this node after the node that stores them.',
	},
];

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const name = String(this.getNodeParameter('checkpointName', 0, '')).trim();
	if (!name) throw new NodeOperationError(this.getNode(), 'Checkpoint Name is empty', { itemIndex: 0 });
	const spans: Span[] = [];
	let ignored = 0;
	for (const item of items) {
		const window = item.json._window as { start?: unknown; end?: unknown } | undefined;
		const startMs = typeof window?.start === 'string' ? Date.parse(window.start) : NaN;
		const endMs = typeof window?.end === 'string' ? Date.parse(window.end) : NaN;
		if (Number.isFinite(startMs) && Number.isFinite(endMs) && endMs > startMs) spans.push({ startMs, endMs });
		else ignored += 1;
	}
	const previous = readCheckpoint(this, name);
	const { throughMs, used, gapAtMs } = advanceThrough(previous?.throughMs, spans);
	if (throughMs !== undefined && used > 0 && (!previous || throughMs > previous.throughMs)) {
		writeCheckpoint(this, name, {
			throughMs,
			through: new Date(throughMs).toISOString(),
			savedAt: new Date().toISOString(),
			windows: (previous?.windows ?? 0) + used,
		});
	}
	const saved = readCheckpoint(this, name);
	return [
		{
			json: {
				checkpoint: name,
				finishedThrough: iso(saved?.throughMs),
				previous: iso(previous?.throughMs),
				windowsSaved: used,
				gapAt: iso(gapAtMs),
				itemsWithoutWindow: ignored,
			},
			pairedItem: items.map((_, item) => ({ item })),
		},
	];
}
