import { toggleVerb } from './toggle.js';

export default toggleVerb({
  name: 'publish',
  description: 'Publish posts of a feed to servers following this announcement channel (default on)',
  option: { name: 'state', description: 'on: publish each post; off: post here only', on: 'on', off: 'off' },
  refuseOn: (place) => (place && place.kind !== 'announcement' ? 'Only announcement channels can publish to followers, and this channel is not one.' : undefined),
  reply: (on, feed) => (on ? `New posts of ${feed} are published to following servers.` : `New posts of ${feed} stay in this channel (not published).`),
});
