#!/usr/bin/env node
// `npm run demo` and `npm test` are the only set-up commands on a fresh clone: when the
// dependencies are not installed yet (or package-lock.json changed since), install them first.
const { existsSync, statSync } = require('node:fs');
const { execSync, spawnSync } = require('node:child_process');
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
		aptUpdate();
		// test/e2e/provision.sh may be installing packages at the same time: wait for dpkg's lock.
		execSync('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 redis-server', { stdio: 'inherit' });
	} else {
		console.log('redis-server is missing: install it (apt-get install redis-server) for the queue-mode tests.');
	}
}

/**
 * apt-get update does not wait for another apt's lock on the package lists (DPkg::Lock::Timeout
 * covers only dpkg's lock), so it is retried while that lock is the reason, for up to 5 minutes.
 */
function aptUpdate() {
	for (let attempt = 1; ; attempt++) {
		const run = spawnSync('apt-get', ['update', '-qq'], {
			encoding: 'utf8',
			env: { ...process.env, LC_ALL: 'C' },
			stdio: ['ignore', 'inherit', 'pipe'],
		});
		if (run.status === 0) {
			process.stderr.write(run.stderr);
			return;
		}
		if (!/Could not get lock/.test(run.stderr ?? '') || attempt === 60) {
			process.stderr.write(run.stderr ?? '');
			throw new Error(`apt-get update failed${run.error ? `: ${run.error.message}` : ''}`);
		}
		Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5000);
	}
}
