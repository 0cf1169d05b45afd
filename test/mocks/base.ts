import type { IncomingMessage, ServerResponse } from 'node:http';

import { LocalServer } from './http';

/** What every scripted fault carries: how many matching requests it answers (default 1). */
export interface CountedFault {
	times?: number;
}

/**
 * What every local vendor server shares: the HTTP server on 127.0.0.1, its URL, start and stop, and
 * a queue of scripted faults. Each server decides where in its handling a fault applies (before or
 * after authentication) and what a fault matches, so it only asks `takeFault` at that point.
 */
export abstract class MockServer<Fault extends CountedFault = never> {
	private readonly server = new LocalServer((req, res) => this.handle(req, res));
	private faults: Fault[] = [];

	get url(): string {
		return this.server.url;
	}

	/** Listens on `port` (default: a free one) and resolves to the server, so `await new X().start()` reads well. */
	async start(port = 0): Promise<this> {
		await this.server.start(port);
		return this;
	}

	/** Closes the server and every open connection. */
	stop(): Promise<void> {
		return this.server.stop();
	}

	/** Queues scripted faults, applied in order to the next matching requests. */
	inject(...faults: Fault[]): void {
		this.faults.push(...faults.map((fault) => ({ times: 1, ...fault })));
	}

	/** Faults injected but not used up. */
	get pendingFaults(): number {
		return this.faults.length;
	}

	protected clearFaults(): void {
		this.faults = [];
	}

	/** The first queued fault that `matches`, with one of its `times` used; dropped from the queue when none are left. */
	protected takeFault(matches: (fault: Fault) => boolean): Fault | undefined {
		const index = this.faults.findIndex(matches);
		if (index < 0) return undefined;
		const fault = this.faults[index];
		fault.times = (fault.times ?? 1) - 1;
		if (fault.times <= 0) this.faults.splice(index, 1);
		return fault;
	}

	protected abstract handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}
