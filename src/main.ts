// `npm start`: load config, run Herald in the foreground, stop gracefully on SIGTERM/SIGINT.
import { startHerald } from './app.js';
import { ConfigError, loadConfig } from './config.js';

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
  const app = await startHerald(config);
  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    app.logger.info({ signal }, 'shutting down');
    // Hard limit: orchestrators SIGKILL after 10 s; exit cleanly before that.
    setTimeout(() => process.exit(0), 9000).unref();
    app.stop().then(
      () => process.exit(0),
      (err) => {
        app.logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(`Herald failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
