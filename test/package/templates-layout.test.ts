/**
 * Shipped workflows open tidy in n8n's editor: no node's box overlaps a sticky note, so no note
 * hides a node or its label. Boxes as n8n's canvas draws them: 100 × 100 from the node's position,
 * with its name below (about 40 px more); a sticky note is its position, width and height.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const FOLDER = path.resolve(__dirname, '../../workflows');
const NODE_WIDTH = 100;
const NODE_HEIGHT = 100 + 40;

interface Box {
	name: string;
	left: number;
	top: number;
	right: number;
	bottom: number;
}

interface WorkflowNode {
	name: string;
	type: string;
	position: [number, number];
	parameters: { width?: number; height?: number };
}

function overlaps(a: Box, b: Box): boolean {
	return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

const files = readdirSync(FOLDER).filter((file) => file.endsWith('.json'));

test.each(files)('%s: no node overlaps a sticky note', (file) => {
	const workflow = JSON.parse(readFileSync(path.join(FOLDER, file), 'utf8')) as { nodes: WorkflowNode[] };
	const stickies: Box[] = [];
	const nodes: Box[] = [];
	for (const node of workflow.nodes) {
		const [x, y] = node.position;
		if (node.type === 'n8n-nodes-base.stickyNote') {
			stickies.push({ name: node.name, left: x, top: y, right: x + (node.parameters.width ?? 240), bottom: y + (node.parameters.height ?? 160) });
		} else {
			nodes.push({ name: node.name, left: x, top: y, right: x + NODE_WIDTH, bottom: y + NODE_HEIGHT });
		}
	}
	const clashes = nodes.flatMap((node) => stickies.filter((sticky) => overlaps(node, sticky)).map((sticky) => `${node.name} ↔ ${sticky.name}`));
	expect(clashes).toEqual([]);
});
