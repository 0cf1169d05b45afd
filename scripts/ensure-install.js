#!/usr/bin/env node
// `npm run demo` and `npm test` are the only set-up commands on a fresh clone: when the
// dependencies are not installed yet (or package-lock.json changed since), install them first.
const { existsSync, statSync } = require('node:fs');
const { execSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const marker = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
if (!existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs) {
	console.log('Installing dependencies (npm ci)…');
	execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}

// The shared rate limiter and the Five9 lock are tested against a real Redis, as queue mode runs it.
if (!existsSync('/usr/bin/redis-server') && !existsSync('/usr/local/bin/redis-server')) {
	if (process.getuid && process.getuid() === 0) {
		console.log('Installing redis-server (Debian package) for the queue-mode tests…');
		execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server', { stdio: 'inherit' });
	} else {
		console.log('redis-server is missing: install it (apt-get install redis-server) for the queue-mode tests.');
	}
}
