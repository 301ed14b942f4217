// Slack as the registry sees it: its settings, when it is on, the route it holds on the HTTP
// server, and how its adapter is made. Light on purpose (zod and types only): @slack/bolt
// loads in create(), so a Discord-only process and the CLI never load it.
import { z } from 'zod';
import { invalidConfig } from '../../config/error.js';
import { bool, url } from '../../config/fields.js';
import { definePlatform } from '../module.js';
import { EVENTS_PATH } from './events-path.js';

export interface SlackSettings {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl: string;
  adminsOnly: boolean;
  commandPrefix: string;
}

export const slackPlatform = definePlatform({
  name: 'slack',
  settings: {
    SLACK_BOT_TOKEN: z.string().optional(),
    SLACK_SIGNING_SECRET: z.string().optional(),
    SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'SLACK_APP_TOKEN must be an app-level token starting with xapp-').optional(),
    SLACK_API_URL: url('SLACK_API_URL', /^https?:\/\//, 'https://slack.com/api/').default('https://slack.com/api/'),
    SLACK_ADMINS_ONLY: bool('SLACK_ADMINS_ONLY').default(false),
    SLACK_COMMAND_PREFIX: z
      .string()
      .regex(/^[a-z0-9_-]{1,20}$/, 'SLACK_COMMAND_PREFIX must be 1–20 lower-case letters, digits, - or _, like herald- (for /herald-subscribe)')
      .optional(),
  },
  hint: 'SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) to turn on Slack',
  secrets: ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'],
  configure(c): SlackSettings | undefined {
    if (!c.SLACK_BOT_TOKEN) {
      if (c.SLACK_APP_TOKEN || c.SLACK_SIGNING_SECRET) throw invalidConfig('SLACK_APP_TOKEN / SLACK_SIGNING_SECRET are set but SLACK_BOT_TOKEN is missing');
      return undefined;
    }
    if (!c.SLACK_APP_TOKEN && !c.SLACK_SIGNING_SECRET) throw invalidConfig('SLACK_BOT_TOKEN needs SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)');
    return {
      botToken: c.SLACK_BOT_TOKEN,
      apiUrl: c.SLACK_API_URL.endsWith('/') ? c.SLACK_API_URL : `${c.SLACK_API_URL}/`,
      adminsOnly: c.SLACK_ADMINS_ONLY,
      commandPrefix: c.SLACK_COMMAND_PREFIX ?? '',
      ...(c.SLACK_SIGNING_SECRET ? { signingSecret: c.SLACK_SIGNING_SECRET } : {}),
      ...(c.SLACK_APP_TOKEN ? { appToken: c.SLACK_APP_TOKEN } : {}),
    };
  },
  pacingKey: (s) => s.botToken,
  // The events route exists from the first moment: a slash command that arrives while the
  // store and Slack are still starting waits briefly instead of meeting a 404.
  reserve: (s) => (s.appToken ? [] : [{ method: 'POST', path: EVENTS_PATH }]),
  async create(settings, deps) {
    const { createSlackAdapter } = await import('./index.js');
    return createSlackAdapter({ ...settings, herald: deps.herald, useCases: deps.useCases, http: deps.http });
  },
});
