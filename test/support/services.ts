// Where the suite's private services are (see global-services.ts). Undefined means the
// service is missing here: tests skip with a notice, or fail with CI=true.
const redisPort = process.env.HERALD_TEST_REDIS_PORT;
export const TEST_REDIS_PORT: number | undefined = redisPort ? Number(redisPort) : undefined;
export const TEST_REDIS_URL: string | undefined = redisPort ? `redis://127.0.0.1:${redisPort}` : undefined;
export const TEST_POSTGRES_URL: string | undefined = process.env.HERALD_TEST_POSTGRES_URL;
