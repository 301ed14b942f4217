// Where the suite's shared PostgreSQL database is (created by global-services.ts). Undefined
// means PostgreSQL does not answer here: tests skip with a notice, or fail with CI=true.
// Redis has no entry: each test file starts its own (redis-server.ts).
export const POSTGRES_URL_ENV = 'HERALD_TEST_POSTGRES_URL';
export const TEST_POSTGRES_URL: string | undefined = process.env[POSTGRES_URL_ENV];
