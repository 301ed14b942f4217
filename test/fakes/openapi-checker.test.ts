// The fake Discord's request checker: it must reject what Discord's OpenAPI description
// rejects, or the e2e suites would prove nothing about the bodies Herald sends.
import { expect, it } from 'vitest';
import { toDiscordMessage } from '../../src/platforms/discord/render.js';
import { openApiChecker, specMissing } from './discord/openapi.js';
import { item } from '../platforms/sample-model.js';
import { describeNeeds } from '../support/needs.js';

describeNeeds(specMissing, 'OpenAPI checker of the fake Discord', () => {
  const check = () => openApiChecker()!;
  const post = (body: unknown) => check().check('POST', '/channels/300000000000000001/messages', body);

  it('accepts what Herald sends and rejects an embed URL that is not an RFC 3986 URI', () => {
    expect(post(toDiscordMessage(item()))).toEqual([]);
    expect(post({ content: 'x', embeds: [{ title: 't', url: 'https://example.com/?q={a}' }] }).join()).toMatch(/format/);
    expect(post({ content: 5 })).not.toEqual([]);
  });

  it('matches literal segments before templates and covers every method', () => {
    expect(check().check('PATCH', '/webhooks/1/tok/messages/@original', { content: 'hi' })).toEqual([]);
    expect(check().check('POST', '/interactions/1/tok/callback', { type: 4, data: { content: 'hi', flags: 64 } })).toEqual([]);
    expect(check().check('POST', '/interactions/1/tok/callback', { type: 'four' })).not.toEqual([]);
    expect(check().check('POST', '/no/such/route', {}).join()).toMatch(/not an operation/);
  });

  it('lets integer-typed fields take digit strings (permission bit sets), not other strings', () => {
    const cmd = (p: unknown) => check().check('PUT', '/applications/1/commands', [{ name: 'x', description: 'd', type: 1, default_member_permissions: p }]);
    expect(cmd('16')).toEqual([]);
    expect(cmd(16)).toEqual([]);
    expect(cmd('sixteen')).not.toEqual([]);
  });

  it('checks the bodies of delivery targets: forum posts, threads from messages, webhooks', () => {
    const c = check();
    expect(c.check('POST', '/channels/1/threads', { name: 'x', message: { content: 'a', allowed_mentions: { parse: [] } }, applied_tags: ['123'] })).toEqual([]);
    expect(c.check('POST', '/channels/1/threads', { name: 'x'.repeat(101), message: { content: 'a' } })).not.toEqual([]);
    expect(c.check('POST', '/channels/1/messages/2/threads', { name: '' })).not.toEqual([]);
    expect(c.check('POST', '/channels/1/webhooks', { name: 'x'.repeat(81) })).not.toEqual([]);
    expect(c.check('POST', '/webhooks/1/tok', { content: 'x', username: 'Feed', avatar_url: 'https://example.com/a.png' })).toEqual([]);
    expect(c.check('POST', '/webhooks/1/tok', { content: 'x', embeds: [{ title: 't', url: 'https://example.com/?q={a}' }] })).not.toEqual([]);
    // A crosspost takes no body at all: any body sent there is reported.
    expect(c.check('POST', '/channels/1/messages/2/crosspost', {}).join()).toMatch(/takes no JSON body/);
  });
});
