import { tmpdir } from 'node:os';
import path from 'node:path';

process.env.N8N_LOG_LEVEL = 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
// n8n 2.x reads files only under allowed folders (default ~/.n8n-files): allow the samples and temp files.
process.env.N8N_RESTRICT_FILE_ACCESS_TO = [path.resolve(__dirname, '../../workflows/samples'), path.resolve(__dirname, '../fixtures'), tmpdir()].join(';');
