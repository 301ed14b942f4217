import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';

describe('tenant limit settings', () => {
  it('default to 50 per channel, 500 per server or workspace, 60 feed checks a minute', () => {
    expect(parseConfig({})).toMatchObject({ MAX_SUBSCRIPTIONS_PER_CHANNEL: 50, MAX_SUBSCRIPTIONS_PER_GUILD: 500, FEED_CHECKS_PER_MINUTE: 60 });
    expect(parseConfig({ MAX_SUBSCRIPTIONS_PER_CHANNEL: '5', MAX_SUBSCRIPTIONS_PER_GUILD: '20', FEED_CHECKS_PER_MINUTE: '10' })).toMatchObject({
      MAX_SUBSCRIPTIONS_PER_CHANNEL: 5,
      MAX_SUBSCRIPTIONS_PER_GUILD: 20,
      FEED_CHECKS_PER_MINUTE: 10,
    });
  });

  it.each(['MAX_SUBSCRIPTIONS_PER_CHANNEL', 'MAX_SUBSCRIPTIONS_PER_GUILD', 'FEED_CHECKS_PER_MINUTE'])('rejects a bad %s, naming it', (name) => {
    expect(() => parseConfig({ [name]: '0' })).toThrow(new RegExp(`${name}="0" must be a whole number`));
    expect(() => parseConfig({ [name]: 'lots' })).toThrow(name);
  });
});
