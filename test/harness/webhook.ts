/**
 * Serves a workflow's webhook trigger on a real local HTTP port the way n8n's webhook endpoint
 * does, and runs the rest of the workflow through n8n's engine (`WorkflowExecute`) when the
 * trigger hands back items. What it copies from n8n (packages/cli webhooks):
 * - routing: `/webhook/<path>` (production) or `/webhook-test/<path>` (test), with `<path>` from
 *   `NodeHelpers.getNodeWebhookPath` (the node's webhookId, or workflow id + node name);
 * - activation: `webhookMethods.<name>.checkExists`, then `create` when it answers false, through
 *   n8n-core's `HookContext`; `delete` on stop;
 * - body parsing for version-1 trigger nodes: the raw body is always read; `application/json` is
 *   parsed and a parse failure is answered 422 before any node code runs; `text/plain` becomes a
 *   string; `application/x-www-form-urlencoded` an object; anything else leaves `body` unset;
 * - the node is called through n8n-core's `WebhookContext` with the request and response;
 * - `noWebhookResponse` means the node answered itself; no `workflowData` means no run, and
 *   `webhookResponse` (or `{"message":"Webhook call received"}`) is sent; with `workflowData` the run
 *   starts from the trigger node with those items and, in `onReceived` mode, the caller gets
 *   `webhookResponse` (or `{"message":"Workflow was started"}`) without waiting for the run;
 * - a node that throws gets n8n's generic 500 answer;
 * - a new `Workflow` object per request, as n8n loads the workflow for every call.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { URL } from 'node:url';

import { HookContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestMethods,
	INode,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';

import { LocalServer, readBody } from '../mocks/http';
import { WorkflowRun, additionalDataFor, loadTypes, type WorkflowJson } from './engine';

export interface WebhookServerOptions {
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** `webhook` serves the production URL (an active workflow), `manual` the test URL. */
	mode?: 'webhook' | 'manual';
	/** Defaults to a fresh id, so triggers that remember things per workflow start clean. */
	workflowId?: string;
	staticData?: IDataObject;
	timezone?: string;
}

interface Route {
	method: string;
	path: string;
	nodeName: string;
	description: IWebhookDescription;
}

export interface HandledRequest {
	method: string;
	path: string;
	status: number;
	/** Whether the request started a workflow run. */
	started: boolean;
	/** What the trigger node's `webhook()` returned, or threw. */
	result?: IWebhookResponseData;
	error?: Error;
}

export interface ActivationRecord {
	nodeName: string;
	webhookName: string;
	existed: boolean | undefined;
	created: boolean | undefined;
}

let counter = 0;

export class WebhookServer {
	readonly runs: WorkflowRun[] = [];
	readonly handled: HandledRequest[] = [];
	readonly activation: ActivationRecord[] = [];
	/** Runs that failed inside the engine itself (not a node error, which the run records). */
	readonly runFailures: Error[] = [];
	private readonly pending = new Set<Promise<void>>();
	private readonly routes: Route[] = [];
	private readonly server: LocalServer;
	private readonly mode: 'webhook' | 'manual';
	private readonly workflowId: string;
	private readonly staticData: IDataObject;
	private types?: Awaited<ReturnType<typeof loadTypes>>;

	private constructor(
		private readonly json: WorkflowJson,
		private readonly options: WebhookServerOptions,
	) {
		this.mode = options.mode ?? 'webhook';
		this.workflowId =
			options.workflowId ?? json.id ?? `webhook-workflow-${++counter}-${Date.now()}`;
		this.staticData = options.staticData ?? {};
		this.server = new LocalServer((req, res) => this.handle(req, res));
	}

	static async start(json: WorkflowJson, options: WebhookServerOptions): Promise<WebhookServer> {
		const server = new WebhookServer(structuredClone(json), options);
		await server.listen();
		return server;
	}

	private get basePath() {
		return this.mode === 'manual' ? 'webhook-test' : 'webhook';
	}

	/** The URL n8n would show for a node's webhook (Production URL, or Test URL in manual mode). */
	url(nodeName: string, webhookName = 'default'): string {
		const route = this.routes.find(
			(r) => r.nodeName === nodeName && r.description.name === webhookName,
		);
		if (!route) throw new Error(`${nodeName} has no webhook named ${webhookName}`);
		return `${this.server.url}/${this.basePath}/${route.path}`;
	}

	/** Resolves once every run started so far has finished. */
	async settled(): Promise<void> {
		while (this.pending.size) await Promise.all([...this.pending]);
	}

	async stop(): Promise<void> {
		await this.settled();
		const workflow = this.newWorkflow();
		for (const route of this.routes) {
			const hook = this.hookFor(workflow, route, 'delete');
			if (hook) await hook.fn.call(hook.context);
		}
		await this.server.stop();
	}

	private async listen() {
		this.types = await loadTypes();
		await this.server.start();
		const workflow = this.newWorkflow();
		for (const node of Object.values(workflow.nodes)) {
			if (node.disabled) continue;
			const type = this.types.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
			for (const description of type.description.webhooks ?? []) {
				const rawPath = String(
					workflow.expression.getSimpleParameterValue(node, description.path, 'internal', {}),
				);
				const path = NodeHelpers.getNodeWebhookPath(
					this.workflowId,
					node,
					rawPath.replace(/^\/+|\/+$/g, ''),
					description.isFullPath === true,
					description.restartWebhook === true,
				);
				for (const method of String(description.httpMethod).split(',')) {
					this.routes.push({
						method: method.trim().toUpperCase(),
						path,
						nodeName: node.name,
						description,
					});
				}
			}
		}
		// Activation, as n8n does it for an active workflow's webhooks.
		for (const route of this.routes) {
			const check = this.hookFor(workflow, route, 'checkExists');
			if (!check) continue;
			const existed = (await check.fn.call(check.context)) as boolean;
			let created: boolean | undefined;
			if (!existed) {
				const create = this.hookFor(workflow, route, 'create');
				created = create ? ((await create.fn.call(create.context)) as boolean) : undefined;
			}
			this.activation.push({
				nodeName: route.nodeName,
				webhookName: route.description.name,
				existed,
				created,
			});
		}
	}

	private hookFor(workflow: Workflow, route: Route, method: 'checkExists' | 'create' | 'delete') {
		const node = workflow.getNode(route.nodeName)!;
		const type = this.types!.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const fn = type.webhookMethods?.[route.description.name]?.[method];
		if (!fn) return undefined;
		const additionalData = this.additionalData(workflow, `activation-${++counter}`);
		const context = new HookContext(
			workflow,
			node,
			additionalData,
			this.mode,
			method === 'delete' ? 'manual' : 'activate',
			this.webhookData(route, additionalData),
		);
		return { fn, context };
	}

	private newWorkflow(): Workflow {
		return new Workflow({
			id: this.workflowId,
			name: this.json.name,
			nodes: structuredClone(this.json.nodes),
			connections: structuredClone(this.json.connections),
			nodeTypes: this.types!.nodeTypes,
			staticData: this.staticData,
			settings: {
				executionOrder: 'v1',
				...(this.json.settings ?? {}),
				timezone: this.options.timezone ?? 'UTC',
			},
			active: this.mode === 'webhook',
		});
	}

	private webhookData(route: Route, additionalData: IWorkflowExecuteAdditionalData): IWebhookData {
		return {
			httpMethod: route.method as IHttpRequestMethods,
			node: route.nodeName,
			path: route.path,
			webhookDescription: route.description,
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: additionalData,
		};
	}

	private additionalData(
		workflow: Workflow,
		executionId: string,
		extra: IDataObject = {},
	): IWorkflowExecuteAdditionalData {
		const data = additionalDataFor(workflow, this.json, {
			mode: this.mode,
			executionId,
			credentialTypes: this.types!.credentialTypes,
			credentials: this.options.credentials,
			baseUrl: this.server.url,
		});
		return Object.assign(data, extra);
	}

	private async handle(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const method = (req.method ?? 'GET').toUpperCase();
		const prefix = `/${this.basePath}/`;
		const path = url.pathname.startsWith(prefix)
			? url.pathname.slice(prefix.length).replace(/\/+$/, '')
			: '';
		const record: HandledRequest = { method, path, status: 0, started: false };
		this.handled.push(record);
		const respond = (status: number, body: unknown) => {
			record.status = status;
			res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
			res.end(body === undefined ? '' : JSON.stringify(body));
		};

		const route = this.routes.find((r) => r.path === path && r.method === method);
		if (!route) {
			return respond(404, {
				code: 404,
				message: `The requested webhook "${method} ${path}" is not registered.`,
			});
		}

		const rawBody = await readBody(req);
		const contentTypeHeader = String(req.headers['content-type'] ?? '');
		const contentType = contentTypeHeader.split(';')[0].trim().toLowerCase() || undefined;
		const charset = /charset=([^;]+)/i.exec(contentTypeHeader)?.[1]?.trim().toLowerCase();
		const encoding = (charset === 'utf-8' || !charset ? 'utf8' : charset) as BufferEncoding;
		let body: unknown;
		if (rawBody.length) {
			try {
				if (contentType === 'application/json') body = JSON.parse(rawBody.toString(encoding));
				else if (contentType === 'application/x-www-form-urlencoded')
					body = parseQueryString(rawBody.toString(encoding));
				else if (contentType === 'text/plain') body = rawBody.toString(encoding);
			} catch {
				return respond(422, { code: 422, message: 'Failed to parse request body' });
			}
		}
		Object.assign(req, {
			rawBody,
			body,
			contentType,
			encoding,
			query: Object.fromEntries(url.searchParams.entries()),
			params: {},
		});

		const workflow = this.newWorkflow();
		const node = workflow.getNode(route.nodeName) as INode;
		const executionId = `webhook-${++counter}`;
		const additionalData = this.additionalData(workflow, executionId, {
			httpRequest: req,
			httpResponse: res,
		});
		const type = this.types!.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const context = new WebhookContext(
			workflow,
			node,
			additionalData,
			this.mode,
			this.webhookData(route, additionalData),
			[],
			null,
		);

		let result: IWebhookResponseData;
		try {
			result = (await type.webhook!.call(context)) as IWebhookResponseData;
			record.result = result;
		} catch (error) {
			record.error = error as Error;
			return respond(500, {
				code: 500,
				message: 'Workflow Webhook Error: Workflow could not be started!',
			});
		}
		const answeredByNode = result.noWebhookResponse === true;
		if (answeredByNode) record.status = res.statusCode;

		if (result.workflowData === undefined) {
			if (!answeredByNode)
				respond(200, result.webhookResponse ?? { message: 'Webhook call received' });
			return;
		}

		record.started = true;
		const runData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node, data: { main: result.workflowData }, source: null }],
			},
		});
		const run = new WorkflowExecute(additionalData, this.mode as WorkflowExecuteMode, runData)
			.processRunExecutionData(workflow)
			.then(
				(finished) => {
					this.runs.push(new WorkflowRun(finished));
				},
				(error: Error) => {
					this.runFailures.push(error);
				},
			);
		this.pending.add(run);
		void run.finally(() => this.pending.delete(run));
		if (!answeredByNode && (route.description.responseMode ?? 'onReceived') === 'onReceived') {
			respond(200, result.webhookResponse ?? { message: 'Workflow was started' });
		}
	}
}
