/** Jest: ts-jest on the project's tsconfig; unit tests and e2e tests (real HTTP to child processes) alike. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  clearMocks: true,
  testTimeout: 30000,
};
