// @keyv/redis with a client that fails fast at start and stays closed once closed.
// The stock adapter reconnects on any call after disconnect(), so one late write during
// shutdown (a lease renewal, a delivery finishing) would reopen the connection and keep
// the process alive; here such a call fails instead.
import KeyvRedis, { createClient } from '@keyv/redis';

// Values are the strings Keyv has already serialised.
class ClosableKeyvRedis extends KeyvRedis<string> {
  // `declare`: no initialiser, so nothing runs after the base constructor sets up.
  declare private closed: boolean | undefined;

  override async getClient(): ReturnType<KeyvRedis<string>['getClient']> {
    if (this.closed) throw new Error('the Redis store is closed');
    return super.getClient();
  }

  override async disconnect(force?: boolean): Promise<void> {
    this.closed = true;
    await super.disconnect(force);
  }
}

/** Connects before returning, so a bad URL or a down server fails start with its own error. */
export async function openRedisAdapter(url: string, connectTimeoutMs: number): Promise<KeyvRedis<string>> {
  let ready = false;
  const client = createClient({
    url,
    socket: {
      connectTimeout: connectTimeoutMs,
      // Give up on the first failure at start (fail fast); once running, ride out
      // Redis restarts with capped backoff.
      reconnectStrategy: (retries: number) => (ready ? Math.min(100 * 2 ** retries, 5000) : false),
    },
  });
  client.on('error', () => undefined); // reported through Keyv's 'error' once the adapter wraps it
  await client.connect();
  ready = true;
  // throwOnErrors: the adapter would otherwise turn a failed command into "not found".
  return new ClosableKeyvRedis(client, { throwOnErrors: true });
}
