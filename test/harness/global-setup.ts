import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function globalSetup() {
	// n8n writes an encryption key into its user folder on first use: keep it out of $HOME.
	const folder = mkdtempSync(path.join(tmpdir(), 'n8n-five9-assembled-test-'));
	process.env.N8N_USER_FOLDER = folder;
	process.env.__N8N_TEST_FOLDER = folder;
}
