/**
 * Five9 refuses concurrent requests of one user (docs/five9.md, "Limits"): every request of one
 * credential waits for the previous one, across executions in this process.
 */
const queues = new Map<string, Promise<void>>();

/** Runs `task` after every earlier task of the same key has settled. */
export async function serialized<T>(key: string, task: () => Promise<T>): Promise<T> {
	const previous = queues.get(key) ?? Promise.resolve();
	let release!: () => void;
	const done = new Promise<void>((resolve) => (release = resolve));
	const tail = previous.then(() => done);
	queues.set(key, tail);
	await previous;
	try {
		return await task();
	} finally {
		release();
		if (queues.get(key) === tail) queues.delete(key);
	}
}
