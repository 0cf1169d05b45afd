/**
 * Under jest, n8n's code runs in the test's realm while Node's fs rejects with errors of the main
 * realm, so n8n's `error instanceof Error` checks fail — e.g. writing a file that does not exist yet
 * ends in ENOENT. Re-creating fs errors in this realm restores what n8n sees in production.
 * Import it first in tests that write files through n8n's file nodes.
 */
import fsPromises from 'node:fs/promises';

type AnyAsync = (...args: unknown[]) => Promise<unknown>;

const patched = Symbol.for('n8n-five9-assembled.realm-errors');
const target = fsPromises as unknown as Record<string | symbol, unknown>;

if (!target[patched]) {
	target[patched] = true;
	for (const name of ['realpath', 'stat', 'lstat', 'open', 'mkdir', 'access', 'readFile']) {
		const original = target[name] as AnyAsync;
		target[name] = async (...args: unknown[]) => {
			try {
				return await original(...args);
			} catch (error) {
				if (error instanceof Error) throw error;
				const source = error as NodeJS.ErrnoException;
				throw Object.assign(new Error(source.message), {
					code: source.code,
					errno: source.errno,
					syscall: source.syscall,
					path: source.path,
				});
			}
		};
	}
}
