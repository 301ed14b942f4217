// SLACK_ADMINS_ONLY: managing commands need a workspace admin or owner (users.info).
// Answers are cached briefly so a burst of commands costs one lookup per person.
import type { webApi } from '@slack/bolt';
import { slackErrorCode } from './slack-errors.js';

const TTL_MS = 5 * 60_000;

export type AdminCheck = { admin: boolean } | { error: string };

export class AdminChecker {
  private readonly cache = new Map<string, { admin: boolean; until: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly now: () => number = Date.now,
  ) {}

  async check(userId: string): Promise<AdminCheck> {
    const hit = this.cache.get(userId);
    if (hit && hit.until > this.now()) return { admin: hit.admin };
    try {
      const { user } = await this.client.users.info({ user: userId });
      const admin = user?.is_admin === true || user?.is_owner === true || user?.is_primary_owner === true;
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(userId, { admin, until: this.now() + TTL_MS });
      return { admin };
    } catch (err) {
      // Fail closed: without an answer nobody is treated as an admin.
      return { error: slackErrorCode(err) ?? (err as Error).message };
    }
  }
}
