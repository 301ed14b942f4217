// Where Slack's HTTP mode posts: a file of its own so the composition root can reserve the
// route before the Slack adapter (and bolt) is even loaded.
export const EVENTS_PATH = '/slack/events';
