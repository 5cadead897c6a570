// Tests are written in TypeScript and compiled by `tsc` with the rest of the project (npm test
// runs tsc first); jest runs the compiled ES modules as they are, with no transform.
export default {
  testMatch: ['<rootDir>/dist/test/**/*.test.js'],
  transform: {},
  testEnvironment: 'node',
  maxWorkers: 2,
  testTimeout: 60000,
  verbose: false,
};
