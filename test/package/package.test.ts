/**
 * The compiled package as n8n loads it: dist/ through n8n-core's PackageDirectoryLoader (which reads
 * package.json's `n8n` field), and every shipped workflow checked against what exists.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

import { LazyPackageDirectoryLoader, PackageDirectoryLoader } from 'n8n-core';

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

let own: PackageDirectoryLoader;
let builtIn: LazyPackageDirectoryLoader;

beforeAll(async () => {
	if (!existsSync(path.join(ROOT, 'dist'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
	own = new PackageDirectoryLoader(ROOT);
	await own.loadAll();
	builtIn = new LazyPackageDirectoryLoader(path.join(ROOT, 'node_modules/n8n-nodes-base'));
	await builtIn.loadAll();
});

test('every node and credential listed in package.json loads from dist/', () => {
	expect(Object.keys(own.nodeTypes).length).toBe(pkg.n8n.nodes.length);
	expect(Object.keys(own.credentialTypes).length).toBe(pkg.n8n.credentials.length);
	for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(existsSync(path.join(ROOT, file))).toBe(true);
});

test('every node has light and dark icons, a codex file and a subtitle or trigger group; icons ship in dist/', () => {
	for (const [name, { type, sourcePath }] of Object.entries(own.nodeTypes)) {
		const description = 'nodeVersions' in type ? type.nodeVersions[type.currentVersion].description : type.description;
		const iconUrl = (description as { iconUrl?: { light: string; dark: string } }).iconUrl;
		expect({ name, iconUrl }).toMatchObject({ name, iconUrl: { light: expect.any(String), dark: expect.any(String) } });
		for (const url of [iconUrl!.light, iconUrl!.dark]) {
			expect(existsSync(path.join(ROOT, url.replace(`icons/${pkg.name}/`, '')))).toBe(true);
		}
		const codex = sourcePath.replace(/\.js$/, '.json');
		expect(existsSync(path.join(ROOT, codex))).toBe(true);
		expect(JSON.parse(readFileSync(path.join(ROOT, codex), 'utf8')).node).toBe(`${pkg.name}.${name}`);
	}
});

const workflowFiles = readdirSync(path.join(ROOT, 'workflows')).filter((file) => file.endsWith('.json'));

test.each(workflowFiles)('%s uses only node and credential types that exist', (file) => {
	const workflow = JSON.parse(readFileSync(path.join(ROOT, 'workflows', file), 'utf8'));
	expect(workflow.nodes.length).toBeGreaterThan(0);
	// `n8n execute` starts at the first trigger in the file: the Manual Trigger must come first.
	expect(workflow.nodes[0].type).toBe('n8n-nodes-base.manualTrigger');
	const ownCredentials = new Set(Object.keys(own.credentialTypes));
	for (const node of workflow.nodes as { name: string; type: string; typeVersion: number; credentials?: Record<string, unknown> }[]) {
		const [packageName, nodeName] = [node.type.slice(0, node.type.lastIndexOf('.')), node.type.slice(node.type.lastIndexOf('.') + 1)];
		if (packageName === pkg.name) {
			expect({ node: node.name, known: nodeName in own.nodeTypes }).toEqual({ node: node.name, known: true });
		} else {
			expect(packageName).toBe('n8n-nodes-base');
			expect({ node: node.name, known: nodeName in builtIn.known.nodes }).toEqual({ node: node.name, known: true });
		}
		for (const credentialType of Object.keys(node.credentials ?? {})) {
			expect({ node: node.name, credentialType, known: ownCredentials.has(credentialType) || credentialType in builtIn.known.credentials }).toEqual({
				node: node.name,
				credentialType,
				known: true,
			});
		}
	}
	// Every connection names nodes that exist.
	const names = new Set(workflow.nodes.map((node: { name: string }) => node.name));
	for (const [from, outputs] of Object.entries(workflow.connections as Record<string, { main: { node: string }[][] }>)) {
		expect(names.has(from)).toBe(true);
		for (const targets of outputs.main) for (const target of targets ?? []) expect(names.has(target.node)).toBe(true);
	}
});
