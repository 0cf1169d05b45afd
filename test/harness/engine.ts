/**
 * Runs workflow JSON through n8n's real execution engine (n8n-core `WorkflowExecute`), with this
 * package's nodes and credentials (loaded from source, under the type names package.json declares)
 * and n8n's own built-in nodes. Credentials are plain test data; no database is involved.
 */
import path from 'node:path';

import {
	ExecutionLifecycleHooks,
	LazyPackageDirectoryLoader,
	PollContext,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsHelper as ICredentialsHelperType,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
	IConnections,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';

const ROOT = path.resolve(__dirname, '../..');
export const PACKAGE_NAME: string = require(path.join(ROOT, 'package.json')).name;

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IDataObject;
	pinData?: Record<string, INodeExecutionData[]>;
	staticData?: IDataObject;
}

type AnyNodeType = INodeType | IVersionedNodeType;

/** This package's nodes and credentials, from source, keyed as package.json's `n8n` field lists them. */
function loadPackageClasses() {
	const pkg = require(path.join(ROOT, 'package.json')) as { n8n: { nodes: string[]; credentials: string[] } };
	const sourceOf = (built: string) => path.join(ROOT, built.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const nodes = new Map<string, AnyNodeType>();
	for (const file of pkg.n8n.nodes) {
		const module = require(sourceOf(file)) as Record<string, new () => AnyNodeType>;
		for (const Class of Object.values(module)) {
			if (typeof Class !== 'function') continue;
			const instance = new Class();
			if (!instance.description) continue;
			nodes.set(`${PACKAGE_NAME}.${instance.description.name}`, instance);
			if ((instance.description as { usableAsTool?: boolean }).usableAsTool) {
				// Real n8n registers a Tool variant too; workflows here never use it.
			}
		}
	}
	const credentials = new Map<string, ICredentialType>();
	for (const file of pkg.n8n.credentials) {
		const module = require(sourceOf(file)) as Record<string, new () => ICredentialType>;
		for (const Class of Object.values(module)) {
			if (typeof Class !== 'function') continue;
			const instance = new Class();
			if (instance && typeof instance.name === 'string' && Array.isArray(instance.properties)) {
				credentials.set(instance.name, instance);
			}
		}
	}
	return { nodes, credentials };
}

export class TestNodeTypes implements INodeTypes {
	constructor(
		private readonly own: Map<string, AnyNodeType>,
		private readonly builtIn: LazyPackageDirectoryLoader,
	) {}

	private lookup(nodeType: string): AnyNodeType {
		const own = this.own.get(nodeType);
		if (own) return own;
		if (nodeType.startsWith('n8n-nodes-base.')) {
			return this.builtIn.getNode(nodeType.slice('n8n-nodes-base.'.length)).type;
		}
		throw new Error(`Unknown node type in workflow: ${nodeType}`);
	}

	getByName(nodeType: string): AnyNodeType {
		return this.lookup(nodeType);
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.lookup(nodeType), version);
	}

	getKnownTypes() {
		return {};
	}

	has(nodeType: string): boolean {
		if (this.own.has(nodeType)) return true;
		if (!nodeType.startsWith('n8n-nodes-base.')) return false;
		return nodeType.slice('n8n-nodes-base.'.length) in this.builtIn.known.nodes;
	}
}

/** Credentials as n8n's CLI helper treats them: test data in, generic or function `authenticate`. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: Map<string, ICredentialType>,
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		const type = this.types.get(name);
		return type?.extends ?? [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = this.types.get(typeName);
		const authenticate = type?.authenticate;
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate.type !== 'generic') return requestOptions;
		const resolve = (value: unknown) =>
			typeof value === 'string' && value.startsWith('=') && workflow && node
				? workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '')
				: value;
		const options = requestOptions as unknown as Record<string, Record<string, unknown>>;
		for (const [outerKey, inner] of Object.entries(authenticate.properties)) {
			options[outerKey] ??= {};
			for (const [key, value] of Object.entries(inner as Record<string, unknown>)) {
				options[outerKey][key] = resolve(value);
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	) {
		const type = this.types.get(typeName);
		if (!type?.preAuthentication) return undefined;
		const expirable = type.properties.find((property) => property.typeOptions?.expirable);
		if (!credentialsExpired && expirable && credentials[expirable.name]) return undefined;
		const output = (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
		// n8n stores the new token with the credential, so later reads of it see the token.
		if (output && this.data[typeName]) Object.assign(this.data[typeName], output);
		return output;
	}

	async runPreAuthentication(helpers: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject, typeName: string) {
		const type = this.types.get(typeName);
		return type?.preAuthentication
			? ((await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject)
			: undefined;
	}

	async getCredentials(_details: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		return { getData: () => this.fresh(type) } as unknown as ICredentials;
	}

	private fresh(type: string): ICredentialDataDecryptedObject {
		const data = this.data[type];
		if (!data) throw new Error(`The test gave no credentials of type ${type}`);
		// n8n mutates what it is given; every read gets its own copy.
		const defaults: ICredentialDataDecryptedObject = {};
		for (const property of this.types.get(type)?.properties ?? []) {
			if (property.default !== undefined) defaults[property.name] = property.default as never;
		}
		return { ...defaults, ...structuredClone(data) };
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_details: INodeCredentialsDetails,
		type: string,
		_mode?: WorkflowExecuteMode,
		_executeData?: IExecuteData,
	): Promise<ICredentialDataDecryptedObject> {
		return this.fresh(type);
	}

	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types.get(type)?.properties ?? [];
	}
}

let loaded: Promise<{ nodeTypes: TestNodeTypes; credentialTypes: Map<string, ICredentialType> }> | undefined;

export function loadTypes() {
	loaded ??= (async () => {
		const { nodes, credentials } = loadPackageClasses();
		const builtIn = new LazyPackageDirectoryLoader(path.join(ROOT, 'node_modules/n8n-nodes-base'));
		await builtIn.loadAll();
		return { nodeTypes: new TestNodeTypes(nodes, builtIn), credentialTypes: credentials };
	})();
	return loaded;
}

export interface RunOptions {
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Static data shared across runs of one workflow (polling cursors, resumable backfills). */
	staticData?: IDataObject;
	mode?: WorkflowExecuteMode;
	timezone?: string;
	/**
	 * Items a trigger emitted (e.g. from `pollTrigger`): the run starts at that trigger with these
	 * items as its output, as n8n starts a run when a poll returns data.
	 */
	triggerItems?: { node: string; items: INodeExecutionData[] };
}

export class WorkflowRun {
	constructor(readonly run: IRun) {}

	get status() {
		return this.run.status;
	}

	/** The first error anywhere in the run, if any. */
	get error() {
		return this.run.data.resultData.error;
	}

	nodeRun(nodeName: string, runIndex = 0) {
		const runs = this.run.data.resultData.runData[nodeName];
		if (!runs) throw new Error(`Node "${nodeName}" did not run. Ran: ${Object.keys(this.run.data.resultData.runData).join(', ')}`);
		return runs[runIndex];
	}

	ran(nodeName: string): boolean {
		return !!this.run.data.resultData.runData[nodeName];
	}

	items(nodeName: string, output = 0, runIndex = 0): INodeExecutionData[] {
		return this.nodeRun(nodeName, runIndex).data?.main?.[output] ?? [];
	}

	json(nodeName: string, output = 0, runIndex = 0): IDataObject[] {
		return this.items(nodeName, output, runIndex).map((item) => item.json);
	}

	nodeError(nodeName: string, runIndex = 0) {
		return this.nodeRun(nodeName, runIndex).error;
	}
}

/**
 * What n8n hands the engine besides the workflow: hooks, credentials, base URLs. Shared by runs,
 * polls and served webhooks.
 */
export function additionalDataFor(
	workflow: Workflow,
	json: WorkflowJson,
	options: {
		mode: WorkflowExecuteMode;
		executionId: string;
		credentialTypes: Map<string, ICredentialType>;
		credentials: Record<string, ICredentialDataDecryptedObject>;
		baseUrl?: string;
	},
): IWorkflowExecuteAdditionalData {
	const base = options.baseUrl ?? 'http://localhost:5678';
	const workflowData = {
		id: workflow.id,
		name: json.name,
		active: workflow.active,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: json.nodes,
		connections: json.connections,
		settings: workflow.settings,
	} as unknown as IWorkflowBase;
	return {
		hooks: new ExecutionLifecycleHooks(options.mode, options.executionId, workflowData),
		credentialsHelper: new TestCredentialsHelper(options.credentialTypes, options.credentials) as unknown as ICredentialsHelperType,
		executionId: options.executionId,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		variables: {},
		currentNodeExecutionIndex: 0,
		userId: 'test-user',
		setExecutionStatus: () => {},
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in engine tests');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('Code nodes need n8n’s task runner; engine tests cannot run them');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

let executionCounter = 0;

export async function runWorkflow(json: WorkflowJson, options: RunOptions): Promise<WorkflowRun> {
	const { nodeTypes, credentialTypes } = await loadTypes();
	const mode = options.mode ?? 'manual';
	const workflow = new Workflow({
		id: json.id ?? 'test-workflow',
		name: json.name,
		nodes: structuredClone(json.nodes),
		connections: structuredClone(json.connections),
		nodeTypes,
		staticData: options.staticData ?? {},
		settings: { executionOrder: 'v1', ...(json.settings ?? {}), timezone: options.timezone ?? 'UTC' },
		active: false,
	});
	const additionalData = additionalDataFor(workflow, json, {
		mode,
		executionId: `test-${++executionCounter}`,
		credentialTypes,
		credentials: options.credentials,
	});

	if (options.triggerItems) {
		const trigger = workflow.getNode(options.triggerItems.node);
		if (!trigger) throw new Error(`No node named ${options.triggerItems.node}`);
		const run = await new WorkflowExecute(additionalData, mode).run({
			workflow,
			startNode: trigger,
			pinData: { [trigger.name]: options.triggerItems.items },
		});
		return new WorkflowRun(run);
	}
	const startNode = findStartNode(workflow, nodeTypes);
	const runData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	const run = await new WorkflowExecute(additionalData, mode, runData).processRunExecutionData(workflow);
	return new WorkflowRun(run);
}

/** The Manual Trigger if there is one (how `n8n execute` starts), else the first trigger or poller. */
function findStartNode(workflow: Workflow, nodeTypes: TestNodeTypes): INode {
	const nodes = Object.values(workflow.nodes).filter((node) => !node.disabled);
	const manual = nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	if (manual) return manual;
	const trigger = nodes.find((node) => {
		const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		return type.description.group.includes('trigger') || !!type.poll || !!type.trigger;
	});
	if (!trigger) throw new Error('The workflow has no trigger to start from');
	return trigger;
}

export interface PollResult {
	/** What the poll emitted or returned, as n8n would start a run with it. */
	result: INodeExecutionData[][] | null;
	staticData: IDataObject;
	/** Settles the emit's "run finished" promise, as n8n does when the started run ends. */
	finish?: (run: IRun | undefined) => Promise<void>;
}

/**
 * Calls a polling trigger's `poll()` as n8n does on schedule, against the workflow's static data.
 * A trigger may emit itself (with a promise n8n settles when the run it started finishes): that
 * emit is captured and returned as the result.
 */
export async function pollTrigger(
	json: WorkflowJson,
	nodeName: string,
	options: RunOptions & { mode?: WorkflowExecuteMode },
): Promise<PollResult> {
	const { nodeTypes, credentialTypes } = await loadTypes();
	const workflow = new Workflow({
		id: json.id ?? 'test-workflow',
		name: json.name,
		nodes: structuredClone(json.nodes),
		connections: structuredClone(json.connections),
		nodeTypes,
		staticData: options.staticData ?? {},
		settings: { executionOrder: 'v1', timezone: options.timezone ?? 'UTC' },
		active: true,
	});
	const node = workflow.getNode(nodeName);
	if (!node) throw new Error(`No node named ${nodeName}`);
	const additionalData = additionalDataFor(workflow, json, {
		mode: 'trigger',
		executionId: `poll-${++executionCounter}`,
		credentialTypes,
		credentials: options.credentials,
	});
	let emitted: { data: INodeExecutionData[][]; done?: { resolve: (run: IRun | undefined) => void; promise: Promise<IRun | undefined> } } | undefined;
	const emit = (data: INodeExecutionData[][], _response?: unknown, done?: { resolve: (run: IRun | undefined) => void; promise: Promise<IRun | undefined> }) => {
		emitted = { data, done };
	};
	const context = new PollContext(
		workflow,
		node,
		additionalData,
		options.mode === 'manual' ? 'manual' : 'trigger',
		'activate',
		emit as never,
	);
	const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (!type.poll) throw new Error(`${nodeName} is not a polling node`);
	const returned = await type.poll.call(context);
	const done = emitted?.done;
	return {
		result: returned ?? emitted?.data ?? null,
		staticData: workflow.staticData,
		finish: done
			? async (run) => {
					done.resolve(run);
					// The trigger settles its state in the promise's continuation.
					await done.promise;
					await new Promise((resolve) => setImmediate(resolve));
				}
			: undefined,
	};
}

/**
 * One poll as n8n runs it while the workflow is active: the trigger polls; if it emits, the
 * workflow runs from the trigger with those items, and the trigger hears how the run ended.
 */
export async function pollAndRun(json: WorkflowJson, triggerName: string, options: RunOptions) {
	const staticData = options.staticData ?? {};
	const poll = await pollTrigger(json, triggerName, { ...options, staticData });
	if (!poll.result) return { poll, run: undefined };
	const run = await runWorkflow(json, {
		...options,
		staticData,
		mode: 'trigger',
		triggerItems: { node: triggerName, items: poll.result[0] },
	});
	await poll.finish?.(run.run);
	return { poll, run };
}

export const readWorkflow = (file: string): WorkflowJson =>
	structuredClone(require(path.join(ROOT, 'workflows', file))) as WorkflowJson;

/** Sets the parameters of the node a user is told to edit (the sticky notes name it). */
export function configure(json: WorkflowJson, nodeName: string, change: (parameters: IDataObject) => void): WorkflowJson {
	const node = json.nodes.find((n) => n.name === nodeName);
	if (!node) throw new Error(`No node named ${nodeName} in ${json.name}`);
	change(node.parameters as IDataObject);
	return json;
}

/** Sets values of a template's Configuration node (the node its sticky notes tell users to edit). */
export function setConfiguration(json: WorkflowJson, values: IDataObject): WorkflowJson {
	return configure(json, 'Configuration', (parameters) => {
		const assignments = (parameters.assignments as { assignments: { name: string; value: unknown }[] }).assignments;
		for (const [name, value] of Object.entries(values)) {
			const assignment = assignments.find((a) => a.name === name);
			if (!assignment) throw new Error(`Configuration of ${json.name} has no ${name}`);
			assignment.value = value;
		}
	});
}

/** Points a file template at one file: its folder and its name, as a user sets them. */
export function useFile(json: WorkflowJson, file: string, nameField = 'fileName'): WorkflowJson {
	return setConfiguration(json, { filesFolder: path.dirname(file), [nameField]: path.basename(file) });
}
