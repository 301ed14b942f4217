// config/slack-manifest.yml must offer every command Herald has, at the events path, with
// the scopes the adapter calls need. Read as text: no YAML dependency for one file.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { CHANNEL_GONE_EVENTS } from '../../../src/platforms/slack/channel-events.js';
import { EVENTS_PATH } from '../../../src/platforms/slack/index.js';

const manifest = readFileSync(new URL('../../../config/slack-manifest.yml', import.meta.url), 'utf8');

describe('Slack app manifest', () => {
  it('declares every top-level command with the request URL placeholder and a usage hint', () => {
    const declared = [...manifest.matchAll(/- command: \/(\S+)/g)].map((m) => m[1]);
    expect(declared.sort()).toEqual(commands.map((c) => c.definition.name).sort());
    expect([...manifest.matchAll(/^\s+url: (\S+)/gm)].map((m) => m[1])).toEqual(declared.map(() => `https://YOUR-HOST${EVENTS_PATH}`));
    expect(manifest.match(/usage_hint:/g)).toHaveLength(declared.length);
  });

  it('asks for the minimal bot scopes and starts in HTTP mode', () => {
    const scopes = [...manifest.matchAll(/^\s+- ([a-z:.]+)(?: #.*)?$/gm)].map((m) => m[1]);
    expect(scopes).toEqual(['commands', 'chat:write', 'chat:write.public', 'chat:write.customize', 'channels:join', 'channels:read', 'groups:read', 'users:read', 'files:write']);
    expect(manifest).toMatch(/^\s+display_name: Herald$/m);
    expect(manifest).toMatch(/^\s+socket_mode_enabled: false$/m);
  });

  it('subscribes to the events that say a channel is gone for good, at the events path', () => {
    expect(manifest).toMatch(new RegExp(`^\\s+request_url: https://YOUR-HOST${EVENTS_PATH}$`, 'm'));
    const events = (/^\s+bot_events: \[([a-z_, ]+)\]$/m.exec(manifest)?.[1] ?? '').split(', ');
    expect(events.sort()).toEqual([...CHANNEL_GONE_EVENTS].sort());
  });
});
