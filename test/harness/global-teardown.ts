import { rmSync } from 'node:fs';

export default function globalTeardown() {
	const folder = process.env.__N8N_TEST_FOLDER;
	if (folder) rmSync(folder, { recursive: true, force: true });
}
