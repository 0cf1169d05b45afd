/**
 * The Data Table templates agree with themselves and with n8n's rules, checked without a database:
 * the columns a Create step makes are the ones the mapping before each upsert writes and the sticky
 * notes list, with the same types; names pass n8n's column rule; every upsert matches on a column
 * that exists. And every template but the error notification names it as its error workflow.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const FOLDER = path.resolve(__dirname, '../../workflows');
const DATA_TABLE = 'n8n-nodes-base.dataTable';
// n8n 2.40's rule for column names (@n8n/api-types, data-table.schema) and its own columns.
const COLUMN_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;
const SYSTEM_COLUMNS = ['id', 'createdAt', 'updatedAt'];

interface Node {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
}
interface Workflow {
	id: string;
	nodes: Node[];
	connections: Record<string, { main: { node: string; index: number }[][] }>;
	settings?: { errorWorkflow?: string };
}

const files = readdirSync(FOLDER).filter((file) => file.endsWith('.json'));
const read = (file: string) => JSON.parse(readFileSync(path.join(FOLDER, file), 'utf8')) as Workflow;
const creates = (workflow: Workflow) => workflow.nodes.filter((node) => node.type === DATA_TABLE && node.parameters.operation === 'create');
const columnsOf = (node: Node) => (node.parameters.columns as { column: { name: string; type: string }[] }).column;
const notesOf = (workflow: Workflow) =>
	workflow.nodes
		.filter((node) => node.type === 'n8n-nodes-base.stickyNote')
		.map((node) => String(node.parameters.content))
		.join('\n');

/** The default table name: the Configuration field a Create step's name expression reads. */
function tableName(workflow: Workflow, create: Node): string {
	const field = /json\.(\w+) \}\}$/.exec(String(create.parameters.tableName))?.[1];
	const configuration = workflow.nodes.find((node) => node.name === 'Configuration')!;
	const assignments = (configuration.parameters.assignments as { assignments: { name: string; value: string }[] }).assignments;
	const value = assignments.find((a) => a.name === field)?.value;
	if (!value) throw new Error(`${create.name}: its name is not a Configuration field`);
	return value;
}

const tableTemplates = files.filter((file) => creates(read(file)).length > 0);

test('the Data Table templates are the four Five9 report templates and the weekly Assembled adherence', () => {
	expect(tableTemplates.sort()).toEqual([
		'assembled-weekly-adherence.json',
		'five9-agent-states.json',
		'five9-call-log-backfill.json',
		'five9-call-log-to-table.json',
		'five9-resync-recent-days.json',
	]);
});

describe.each(tableTemplates)('%s', (file) => {
	const workflow = read(file);
	const notes = notesOf(workflow);

	test.each(creates(workflow).map((node) => [node.name, node] as const))('%s: n8n accepts its columns, the notes list them with their types', (_name, create) => {
		expect(create.parameters.options).toEqual({ createIfNotExists: true });
		expect(notes).toContain(`**${tableName(workflow, create)}**`);
		for (const { name, type } of columnsOf(create)) {
			expect({ name, valid: COLUMN_NAME.test(name) && !SYSTEM_COLUMNS.includes(name) }).toEqual({ name, valid: true });
			const lines = notes.split('\n').filter((line) => line.startsWith('- **') && line.includes(`\`${name}\``));
			expect({ name, types: [...new Set(lines.map((line) => /^- \*\*(\w+)\*\*/.exec(line)?.[1]))] }).toEqual({ name, types: [type] });
		}
	});

	test('each upsert writes exactly its table’s columns, typed, and matches on one of them', () => {
		const upserts = workflow.nodes.filter((node) => node.type === DATA_TABLE && node.parameters.operation === 'upsert');
		expect(upserts.length).toBe(creates(workflow).length);
		for (const upsert of upserts) {
			const table = (upsert.parameters.dataTableId as { mode: string; value: string }).value;
			const create = creates(workflow).find((node) => table === `={{ $('${node.name}').first().json.id }}`);
			if (!create) throw new Error(`${upsert.name} does not write the table of a Create step`);
			const columns = columnsOf(create);
			const [condition] = (upsert.parameters.filters as { conditions: { keyName: string; keyValue: string }[] }).conditions;
			expect(columns.map((c) => c.name)).toContain(condition.keyName);
			expect(condition.keyValue).toBe(`={{ $json.${condition.keyName} }}`);
			expect(upsert.parameters.columns).toMatchObject({ mappingMode: 'autoMapInputData' });
			// autoMapInputData writes every field it gets: the node before must give the table's columns only.
			const mapping = workflow.nodes.find((node) => workflow.connections[node.name]?.main[0]?.some((target) => target.node === upsert.name))!;
			expect(mapping.type).toBe('n8n-nodes-base.set');
			expect(mapping.parameters.includeOtherFields).toBeFalsy();
			const assignments = (mapping.parameters.assignments as { assignments: { name: string; type: string }[] }).assignments;
			expect(assignments.map((a) => [a.name, a.type])).toEqual(columns.map((c) => [c.name, c.type === 'number' ? 'number' : 'string']));
		}
	});
});

test('no default table name contains another: n8n finds a table by name with a substring match', () => {
	const names = [...new Set(tableTemplates.flatMap((file) => creates(read(file)).map((node) => tableName(read(file), node))))];
	expect(names.length).toBeGreaterThan(1);
	for (const a of names) for (const b of names) if (a !== b) expect({ a, b, contains: a.includes(b) }).toEqual({ a, b, contains: false });
});

test('every template names the error notification as its error workflow', () => {
	const notification = read('error-notification.json');
	expect(notification.nodes.some((node) => node.type === 'n8n-nodes-base.errorTrigger')).toBe(true);
	// Its own failures must not call it again.
	expect(notification.settings?.errorWorkflow).toBeUndefined();
	for (const file of files.filter((f) => f !== 'error-notification.json')) {
		expect({ file, errorWorkflow: read(file).settings?.errorWorkflow }).toEqual({ file, errorWorkflow: notification.id });
	}
});
