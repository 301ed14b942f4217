// config/slack-manifest.yml must offer every command Herald has, at the events path, with
// the scopes the adapter calls need. Read as text: no YAML dependency for one file.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { EVENTS_PATH } from '../../../src/platforms/slack/index.js';

const manifest = readFileSync(new URL('../../../config/slack-manifest.yml', import.meta.url), 'utf8');

describe('Slack app manifest', () => {
  it('declares every top-level command with the request URL placeholder and a usage hint', () => {
    const declared = [...manifest.matchAll(/- command: \/(\S+)/g)].map((m) => m[1]);
    expect(declared.sort()).toEqual(commands.map((c) => c.definition.name).sort());
    expect([...manifest.matchAll(/url: (\S+)/g)].map((m) => m[1])).toEqual(declared.map(() => `https://YOUR-HOST${EVENTS_PATH}`));
    expect(manifest.match(/usage_hint:/g)).toHaveLength(declared.length);
  });

  it('asks for the minimal bot scopes and starts in HTTP mode', () => {
    const scopes = [...manifest.matchAll(/^\s+- ([a-z:.]+)(?: #.*)?$/gm)].map((m) => m[1]);
    expect(scopes).toEqual(['commands', 'chat:write', 'chat:write.public', 'chat:write.customize', 'channels:join', 'channels:read', 'groups:read', 'users:read', 'files:write']);
    expect(manifest).toMatch(/^\s+display_name: Herald$/m);
    expect(manifest).toMatch(/^\s+socket_mode_enabled: false$/m);
  });
});
