/**
 * Under jest, n8n's code runs in the test's realm while Node's fs rejects with errors of the main
 * realm, so n8n's `error instanceof Error` checks fail — e.g. writing a file that does not exist yet
 * ends in ENOENT. Re-creating fs errors in this realm restores what n8n sees in production.
 * Import it first in tests that write files through n8n's file nodes.
 */
import fsPromises from 'node:fs/promises';

type AnyAsync = (...args: unknown[]) => Promise<unknown>;

const originals = Symbol.for('n8n-five9-assembled.realm-errors.originals');
const target = fsPromises as unknown as Record<string | symbol, unknown>;
const NAMES = ['realpath', 'stat', 'lstat', 'open', 'mkdir', 'access', 'readFile'];

// Node's fs module is shared by every test file a jest worker runs, each file in a realm of its own:
// the functions are wrapped again for each file that imports this, around Node's own, so errors are
// re-created in the realm of the file running now (a wrapper from an earlier file would make them
// in that file's realm, and n8n would not recognise them again).
const saved = (target[originals] ??= Object.fromEntries(NAMES.map((name) => [name, target[name]]))) as Record<string, AnyAsync>;
for (const name of NAMES) {
	const original = saved[name];
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
