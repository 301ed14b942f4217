// The channel webhooks Herald posts through when a feed has its own identity: one per
// channel, created once (or found again after a restart) and re-created when deleted.
import { DiscordAPIError, Routes, type REST } from 'discord.js';

export interface Webhook {
  id: string;
  token: string;
}

export const WEBHOOK_NAME = 'Herald';
/** After Discord refused Manage Webhooks, ask again only this much later. */
const DENIED_FOR_MS = 10 * 60_000;

interface RawWebhook {
  id: string;
  token?: string;
  application_id?: string | null;
  type?: number;
}

const isPermissionError = (err: unknown) => err instanceof DiscordAPIError && (err.status === 403 || Number(err.code) === 50013 || Number(err.code) === 50001);

export class WebhookPool {
  private readonly hooks = new Map<string, Promise<Webhook | 'denied'>>();
  private readonly deniedUntil = new Map<string, number>();

  constructor(
    private readonly rest: REST,
    private readonly appId: () => string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** The channel's webhook, or 'denied' when Herald may not manage webhooks there. Other errors throw. */
  get(channelId: string): Promise<Webhook | 'denied'> {
    const until = this.deniedUntil.get(channelId);
    if (until !== undefined && until > this.now()) return Promise.resolve('denied');
    let hook = this.hooks.get(channelId);
    if (!hook) {
      hook = this.findOrCreate(channelId);
      this.hooks.set(channelId, hook);
      // A failed lookup must not stick: the next post tries again.
      hook.then((h) => h === 'denied' && this.hooks.delete(channelId)).catch(() => this.hooks.delete(channelId));
    }
    return hook;
  }

  /** The webhook was deleted (401/404): the next get() finds or creates a new one. */
  forget(channelId: string): void {
    this.hooks.delete(channelId);
  }

  private async findOrCreate(channelId: string): Promise<Webhook | 'denied'> {
    try {
      const list = (await this.rest.get(Routes.channelWebhooks(channelId))) as RawWebhook[];
      const app = this.appId();
      const mine = list.find((w) => w.type === 1 && w.token && (!app || w.application_id === app));
      if (mine?.token) return { id: mine.id, token: mine.token };
      const made = (await this.rest.post(Routes.channelWebhooks(channelId), { body: { name: WEBHOOK_NAME } })) as RawWebhook;
      if (!made.token) throw new Error('Discord created a webhook without a token');
      return { id: made.id, token: made.token };
    } catch (err) {
      if (!isPermissionError(err)) throw err;
      this.deniedUntil.set(channelId, this.now() + DENIED_FOR_MS);
      return 'denied';
    }
  }
}
