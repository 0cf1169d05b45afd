#!/usr/bin/env node
/**
 * The import rules of docs/architecture.md, checked on every `npm run lint`:
 *
 *   node file → actions → (methods) → helpers → transport → nodes/shared → credentials
 *
 * A file may import its own layer or a lower one, never a higher one; an operation never imports
 * another operation; one vendor's node never imports another vendor's; a trigger may use the lower
 * layers (helpers, transport) of the node it belongs to. `--graph` prints the imports between
 * folders instead.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Lower number = lower layer. */
const LAYER = { credentials: 0, shared: 1, transport: 2, helpers: 3, methods: 4, actions: 5, node: 6 };

/** Triggers that belong to a vendor node and may use its helpers and transport. */
const FAMILY = { Five9EvaluationTrigger: 'Five9', Five9CtiTrigger: 'Five9', AssembledTrigger: 'Assembled' };

function walk(folder) {
	return readdirSync(folder).flatMap((name) => {
		const full = path.join(folder, name);
		if (statSync(full).isDirectory()) return walk(full);
		return full.endsWith('.ts') && !full.endsWith('.d.ts') ? [full] : [];
	});
}

/** Where a file sits: its node folder (or `credentials` / `shared`) and its layer there. */
function place(file) {
	const parts = path.relative(ROOT, file).split(path.sep);
	if (parts[0] === 'credentials') return { owner: 'credentials', layer: 'credentials' };
	if (parts[0] !== 'nodes') return undefined;
	if (parts[1] === 'shared') return { owner: 'shared', layer: 'shared' };
	const owner = parts[1];
	const layer = parts.length === 3 ? 'node' : parts[2];
	if (!(layer in LAYER)) return { owner, layer: 'helpers' };
	return { owner, layer };
}

function importsOf(file) {
	const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
	return info.importedFiles
		.map((entry) => entry.fileName)
		.filter((name) => name.startsWith('.'))
		.map((name) => {
			const base = path.resolve(path.dirname(file), name);
			for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
				try {
					if (statSync(candidate).isFile()) return candidate;
				} catch {
					// not this one
				}
			}
			return `${base}.ts`;
		});
}

const files = [...walk(path.join(ROOT, 'nodes')), ...walk(path.join(ROOT, 'credentials'))];
const problems = [];
const edges = new Map();

for (const file of files) {
	const from = place(file);
	for (const target of importsOf(file)) {
		const to = place(target);
		if (!from || !to) continue;
		const label = (p) => (p.owner === p.layer ? p.owner : `${p.owner}/${p.layer}`);
		const edge = `${label(from)} → ${label(to)}`;
		edges.set(edge, (edges.get(edge) ?? 0) + 1);
		const where = `${path.relative(ROOT, file)} imports ${path.relative(ROOT, target)}`;
		const sameOwner = from.owner === to.owner;
		const family = FAMILY[from.owner] === to.owner;
		const vendorNode = (owner) => owner !== 'shared' && owner !== 'credentials';
		if (vendorNode(from.owner) && vendorNode(to.owner) && !sameOwner) {
			if (!family) problems.push(`${where}: one node's code imports another node's`);
			else if (LAYER[to.layer] > LAYER.helpers) problems.push(`${where}: a trigger may use its node's helpers and transport only`);
			continue;
		}
		if (LAYER[to.layer] > LAYER[from.layer]) problems.push(`${where}: ${from.layer} imports the higher layer ${to.layer}`);
		if (file.endsWith('.operation.ts') && target.endsWith('.operation.ts') && file !== target) {
			problems.push(`${where}: an operation imports another operation (move the shared part into helpers)`);
		}
	}
}

if (process.argv.includes('--graph')) {
	for (const [edge, count] of [...edges.entries()].sort()) console.log(`${edge}  (${count})`);
}
if (problems.length > 0) {
	console.error(`Import rules of docs/architecture.md broken (${problems.length}):`);
	for (const problem of problems) console.error(`  ${problem}`);
	process.exit(1);
}
console.log(`layers: ${files.length} files, no import against docs/architecture.md`);
