/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
	globalSetup: '<rootDir>/test/harness/global-setup.ts',
	globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
	setupFiles: ['<rootDir>/test/harness/env.ts'],
	testTimeout: 60_000,
	// Engine tests share one machine's two cores with the mock servers.
	maxWorkers: 2,
};
