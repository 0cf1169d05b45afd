#!/usr/bin/env node
// The registry this project installs from lacks some platform-only builds of optional native
// bindings (for example @unrs/resolver-binding-android-arm-eabi), so `npm install` leaves them out
// of package-lock.json and `npm ci` then refuses the lock. This records them as optional packages
// for their own platforms only: npm skips them here without downloading anything.
// Run after changing dependencies: `node scripts/lock-platform-stubs.js`.
const fs = require('node:fs');
const path = require('node:path');

const file = path.resolve(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openharmony', 'win32', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el', 'wasm32'];

function platformOf(name) {
	const parts = name.split('/').pop().split('-');
	const os = parts.find((part) => OS.includes(part));
	const cpu = parts.find((part) => CPU.includes(part));
	if (!os || !cpu) return undefined;
	const result = { os: [os], cpu: [cpu] };
	if (os === 'linux') {
		if (parts.some((p) => p.startsWith('musl'))) result.libc = ['musl'];
		else if (parts.some((p) => p.startsWith('gnu'))) result.libc = ['glibc'];
	}
	return result;
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
	for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
		const base = location === '' ? 'node_modules' : `${location}/node_modules`;
		if (packages[`${base}/${name}`] || packages[`node_modules/${name}`]) continue;
		const platform = platformOf(name);
		if (!platform) continue;
		packages[`node_modules/${name}`] = {
			version: String(version).replace(/^[\^~]/, ''),
			...(entry.dev ? { dev: true } : {}),
			optional: true,
			...platform,
		};
		added += 1;
	}
}
fs.writeFileSync(file, `${JSON.stringify(lock, null, '\t').replace(/\t/g, '  ')}\n`);
console.log(`platform stubs added: ${added}`);
