import { toggleVerb } from './toggle.js';

export default toggleVerb({
  name: 'thread',
  description: 'Start a discussion thread from each new post of a feed (or stop)',
  option: { name: 'mode', description: 'per-item: a thread for each post; off: plain posts', on: 'per-item', off: 'off' },
  refuseOn(place) {
    if (place?.kind === 'forum') return 'This is a forum channel: every item already becomes its own post there.';
    if (place?.kind === 'thread') return 'This is a thread already: posts go into it, and a thread cannot hold threads.';
    return undefined;
  },
  reply: (on, feed) => (on ? `Each new post of ${feed} now starts a thread named after the item.` : `New posts of ${feed} no longer start threads.`),
});
