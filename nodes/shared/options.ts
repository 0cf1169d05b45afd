/**
 * The "Options" collection every operation of both nodes shows, the "Advanced" collection that
 * holds developer settings from version 1.1, and how both are read back. Each node declares its
 * own transport option fields, because n8n's lint rules want a literal default in every property;
 * the defaults used when an option is not set come from the same node, through `TransportDefaults`.
 */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RetryPolicy } from './retry';
import type { RateLimit } from './throttle';

/** The `show` of a property's displayOptions. */
export type Show = NonNullable<IDisplayOptions['show']>;

/** Options sorted by name, as n8n's lint rules and its own nodes have them. */
export function sortedOptions(options: INodeProperties[]): INodeProperties[] {
	return [...options].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** An operation's "Options" collection: its own options and the node's transport options. */
export function optionsCollection(show: Show, own: INodeProperties[], transport: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		displayOptions: { show },
		default: {},
		options: sortedOptions([...own, ...transport]),
	};
}

/** Which node versions a collection shows in: version 1 keeps its layout, where saved values are. */
const VERSION_1: Show = { '@version': [1] };
const FROM_VERSION_1_1: Show = { '@version': [{ _cnd: { gte: 1.1 } }] };

/**
 * An operation's settings by node version: version 1 keeps one Options collection holding
 * everything; from 1.1 Options holds what an ops user sets and Advanced the developer settings
 * (retries, timeouts, pacing, caps), so the first stays short. Same parameter names in both
 * versions, shown exclusively by `@version`, as n8n resolves for duplicate names.
 */
export function versionedOptions(
	show: Show,
	own: INodeProperties[],
	advanced: INodeProperties[],
	/** Advanced settings that version 1 has as fields of their own, not under Options. */
	ownFieldsInVersion1: INodeProperties[] = [],
): INodeProperties[] {
	const properties = [optionsCollection({ ...show, ...VERSION_1 }, own, advanced)];
	// An operation with nothing for the user to set shows Advanced alone.
	if (own.length > 0) properties.push(optionsCollection({ ...show, ...FROM_VERSION_1_1 }, own, []));
	properties.push({
		displayName: 'Advanced',
		name: 'advanced',
		type: 'collection',
		placeholder: 'Add setting',
		displayOptions: { show: { ...show, ...FROM_VERSION_1_1 } },
		default: {},
		options: sortedOptions([...advanced, ...ownFieldsInVersion1]),
	});
	return properties;
}

/**
 * An item's settings: Options and, from version 1.1, Advanced, as one object (their names never
 * overlap). Every operation reads its options here, so a setting may move between the two.
 */
export function settingsOf(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return {
		...(context.getNodeParameter('options', itemIndex, {}) as IDataObject),
		...(context.getNodeParameter('advanced', itemIndex, {}) as IDataObject),
	};
}

/** What a node uses when a transport option is not set; the same values as its fields' defaults. */
export interface TransportDefaults {
	timeoutMs: number;
	maxRetries: number;
	retryDelayMs: number;
	maxDelayMs: number;
	rateLimit?: RateLimit;
}

export interface TransportSettings {
	retry: RetryPolicy;
	timeoutMs: number;
	rateLimit?: RateLimit;
}

/** An option's number, or the fallback when it is not set (or not a number). */
export const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

/** Reads the transport options of an operation's "Options". */
export function transportSettingsFrom(options: IDataObject, defaults: TransportDefaults): TransportSettings {
	const settings: TransportSettings = {
		retry: {
			maxRetries: Math.max(0, Math.floor(numberOr(options.maxRetries, defaults.maxRetries))),
			baseDelayMs: Math.max(0, numberOr(options.retryDelayMs, defaults.retryDelayMs)),
			maxDelayMs: defaults.maxDelayMs,
		},
		timeoutMs: Math.max(100, numberOr(options.timeoutMs, defaults.timeoutMs)),
	};
	if (defaults.rateLimit) {
		settings.rateLimit = {
			perMinute: Math.max(1, numberOr(options.requestsPerMinute, defaults.rateLimit.perMinute)),
			burst: Math.max(1, Math.floor(numberOr(options.burst, defaults.rateLimit.burst))),
		};
	}
	return settings;
}

/** One operation: what `execute` of a node runs for a resource and operation. */
export interface Operation {
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[]>;
}

/**
 * The operations of a node, typed by its resource/operation union (`node.type.ts`): a missing
 * pair is a compile error, and the router below needs no casts.
 */
export type OperationMap<T extends { resource: string; operation: string }> = {
	[R in T['resource']]: { [O in Extract<T, { resource: R }>['operation']]: Operation };
};

/** Runs the operation the node's Resource and Operation parameters name. */
export async function route<T extends { resource: string; operation: string }>(
	this: IExecuteFunctions,
	operations: OperationMap<T>,
): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as T['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = (operations[resource] as Record<string, Operation> | undefined)?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await handler.execute.call(this)];
}
