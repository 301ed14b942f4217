// `npm start`: load config, run Herald in the foreground, stop gracefully on SIGTERM/SIGINT.
// In the container image node is PID 1 (exec-form CMD), so these handlers are what turns
// `docker stop` into a clean shutdown; without them PID 1 would ignore SIGTERM.
import './thread-pool.js';
import { startHerald, type HeraldApp } from './app.js';
import { ConfigError, loadConfig } from './config/index.js';

/** Orchestrators SIGKILL 10 s after SIGTERM by default; finish (or give up) before that. */
const SHUTDOWN_LIMIT_MS = 9000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({ requirePlatform: true });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }

  let app: HeraldApp | undefined;
  let signalled = false;
  const shutdown = (reason: string, exitCode = 0) => {
    if (signalled) {
      // A second Ctrl-C means "now": pending deliveries are in the outbox already.
      console.error(`${reason} again: exiting without waiting`);
      process.exit(1);
    }
    signalled = true;
    // Still starting: nothing is in flight yet, and startup may hang on an unreachable platform.
    if (!app) {
      console.error(`${reason} during start-up: exiting`);
      process.exit(exitCode);
    }
    const { logger } = app;
    logger.info({ reason }, 'shutting down');
    setTimeout(() => {
      logger.warn({ limitMs: SHUTDOWN_LIMIT_MS }, 'shutdown took too long; exiting (unsent deliveries stay in the outbox)');
      process.exit(exitCode);
    }, SHUTDOWN_LIMIT_MS).unref();
    app.stop().then(
      () => process.exit(exitCode),
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  // Installed before start-up so a SIGTERM while connecting still exits cleanly.
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Exit non-zero so a supervisor notices two instances were pointed at one store.
  app = await startHerald(config, { onLeaseLost: () => shutdown('instance lease lost', 1) });
}

main().catch((err: unknown) => {
  console.error(`Herald failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
