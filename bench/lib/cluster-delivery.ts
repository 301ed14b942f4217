// The delivery burst of bench:delivery through real cluster processes: N Herald processes
// started as `npm start` starts them (HERALD_CLUSTER=true, a private redis-server), against
// the same fakes with the same limits as the single-process bench. The burst (100 channels ×
// 10 items) is written to the Redis outbox before the processes start; at start every process
// resumes the outbox, and the drain jobs spread the channels over the processes. Elapsed time
// runs from the first post the fake accepted to the last, so start-up stays out of it.
import { DeliveryQueue } from '../../src/core/deliver/queue.js';
import type { Platform } from '../../src/domain/types.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createStore } from '../../src/store/index.js';
import { FakeDiscord } from '../../test/fakes/discord/index.js';
import { TEAM_ID } from '../../test/fakes/slack/index.js';
import { discordMinimumMs } from './discord.js';
import { startHerald, type Herald } from './herald-process.js';
import { cpuMs } from './proc.js';
import { startRedis } from './redis-server.js';
import { delivery, type BenchResult } from './setup.js';
import { RateLimitedSlack, SLACK_LIMITS } from './slack-limits.js';
import { slackMinimumMs } from './slack.js';

const GUILD = '200000000000000001';

async function seedBurst(url: string, platform: Platform, workspaceId: string, channelIds: string[], perChannel: number) {
  const store = await createStore(url, 'herald', { cluster: true });
  const queue = new DeliveryQueue({ store, senders: new Map(), logger: createLogger('error', [], process.stderr as never), metrics: createMetrics(false), maxAgeMs: 86_400_000 });
  const now = Date.now();
  for (const [i, channelId] of channelIds.entries()) {
    const sub = await store.subscriptions.add({ platform, workspaceId, channelId, feedId: `feed-${i}`, feedUrl: `https://example.com/feed-${i}.xml`, createdBy: 'bench', createdAt: now, paused: false, state: 'active' });
    await queue.persist(sub, Array.from({ length: perChannel }, (_, n) => delivery(sub, n, now)));
  }
  await queue.stop(1000);
  await store.close();
}

export async function benchClusterDelivery(o: { platform: Platform; processes: number; channels: number; perChannel: number; timeoutMs?: number }): Promise<BenchResult> {
  const { platform, processes, channels, perChannel, timeoutMs = 120_000 } = o;
  const items = channels * perChannel;
  const discordIds = Array.from({ length: channels }, (_, i) => String(300000000000000000n + BigInt(i + 1)));
  const slackIds = Array.from({ length: channels }, (_, i) => `C0BENCH${String(i).padStart(4, '0')}`);
  const redis = await startRedis();
  const discord = platform === 'discord' ? await new FakeDiscord([{ id: GUILD, channels: discordIds }]).start() : undefined;
  const limiter = discord?.enforceRateLimits();
  const slack = platform === 'slack' ? await new RateLimitedSlack({ channels: slackIds.map((id) => ({ id, name: `bench-${id}`, isMember: true })) }).start() : undefined;
  const procs: Herald[] = [];
  try {
    const url = `${redis.url}/0`;
    await seedBurst(url, platform, discord ? GUILD : TEAM_ID, discord ? discordIds : slackIds, perChannel);
    const env = {
      ...(discord ? { DISCORD_TOKEN: 'bench-token', DISCORD_API_URL: discord.apiUrl } : {}),
      ...(slack ? { SLACK_BOT_TOKEN: 'xoxb-bench-token', SLACK_SIGNING_SECRET: 'bench-signing-secret', SLACK_API_URL: slack.apiUrl } : {}),
      DATABASE_URL: url,
      HERALD_CLUSTER: 'true',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info', // the start line, which carries the port, is an info line
    };
    procs.push(...(await Promise.all(Array.from({ length: processes }, () => startHerald(env, { timeoutMs: 120_000 })))));
    const posted = () => (discord ? discord.messages.length : slack!.posts.length);
    const started = Date.now();
    const c0 = procs.map((p) => cpuMs(p.pid()));
    const r0 = cpuMs(redis.pid);
    while (posted() < items) {
      if (Date.now() - started > timeoutMs) throw new Error(`${posted()} of ${items} posted after ${timeoutMs} ms`);
      for (const p of procs) if (p.child.exitCode !== null) throw new Error(`a Herald process exited:\n${p.tail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // CPU from the processes' start to the last post: is a process the bottleneck?
    const busy = procs.map((p, i) => (cpuMs(p.pid()) - c0[i]!) / (Date.now() - started));
    const redisBusy = (cpuMs(redis.pid) - r0) / (Date.now() - started);
    const cpuNote = `CPU while draining: Herald ${busy.map((b) => `${Math.round(b * 100)} %`).join(' / ')} of a core, redis-server ${Math.round(redisBusy * 100)} %`;
    await new Promise((r) => setTimeout(r, 1000)); // a duplicate would show up now
    const at = discord ? discord.messages.map((m) => m.at) : slack!.posts.map((p) => p.at);
    const elapsedMs = Math.max(...at) - Math.min(...at);
    const name = `${platform === 'discord' ? 'Discord' : 'Slack'} in a cluster of ${processes} process${processes > 1 ? 'es' : ''} (npm start, Redis)`;
    if (discord) {
      return {
        name,
        items,
        channels,
        elapsedMs,
        minimumMs: discordMinimumMs(items, channels),
        requests: discord.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).length,
        rateLimited: discord.tooManyRequests,
        notes: `posted ${posted()} (duplicates: ${posted() - items}); 429s by cause: global ${limiter!.stats.global}, channel bucket ${limiter!.stats.bucket}; elapsed from the first post to the last; ${cpuNote}`,
      };
    }
    return {
      name,
      items,
      channels,
      elapsedMs,
      minimumMs: slackMinimumMs(items, channels),
      requests: slack!.callsTo('chat.postMessage').length,
      rateLimited: slack!.rateLimited,
      notes: `posted ${posted()} (duplicates: ${posted() - items}); limit ${SLACK_LIMITS.perSecond} message/s/channel, bursts of ${SLACK_LIMITS.burst}; elapsed from the first post to the last; ${cpuNote}`,
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await discord?.stop();
    await slack?.stop();
    await redis.stop();
  }
}
