/** End-to-end test in a real n8n (`npm run test:e2e`); see test/e2e/. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
	testTimeout: 30 * 60_000,
	maxWorkers: 1,
};
