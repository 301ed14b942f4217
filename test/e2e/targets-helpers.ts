// Shared by the delivery-target suites: a guild with one channel of each kind, and the
// check that every body Herald sent validates against Discord's OpenAPI description.
import { expect } from 'vitest';
import type { FakeDiscord } from '../fakes/discord/index.js';
import { CHANNEL, type FakeChannelSpec } from '../fakes/discord/places.js';
import { openApiViolationsOf } from './fixture.js';

export const GUILD = '200000000000000001';
export const TEXT = '300000000000000001';
export const ANNOUNCE = '300000000000000005';
export const FORUM = '300000000000000015';
export const THREAD = '300000000000000011';
export const TAG_RUST = '500000000000000001';
export const TAG_GO = '500000000000000002';
export const ROLE = '600000000000000001';

export const CHANNELS: FakeChannelSpec[] = [
  { id: TEXT },
  { id: ANNOUNCE, type: CHANNEL.announcement },
  { id: FORUM, type: CHANNEL.forum, tags: [{ id: TAG_RUST, name: 'Rust' }, { id: TAG_GO, name: 'Go' }] },
  { id: THREAD, type: CHANNEL.publicThread, parentId: TEXT },
];

/** All permission bits but Manage Webhooks (1 << 29) and Administrator (1 << 3), which implies it. */
export const WITHOUT_MANAGE_WEBHOOKS = (2251799813685247n - (1n << 29n) - (1n << 3n)).toString();

/**
 * Fails at this point of the test when a body the fake captured so far does not validate
 * against Discord's OpenAPI description. The fake's generic checker (openapi.ts) does the
 * work, and useHerald runs it again after every test; calling this makes the check explicit
 * where a test sends forum posts, threads, webhooks or digests. Without ../shared the fake
 * skips the check with a notice (an error when CI=true).
 */
export function expectBodiesMatchSpec(fake: FakeDiscord): void {
  expect(openApiViolationsOf(fake)).toBeUndefined();
}

export const titleOf = (body: Record<string, unknown>) => (body.embeds as { title?: string }[] | undefined)?.[0]?.title ?? String(body.content);
export const idOf = (text: string) => /ID `([a-z0-9]+)`/.exec(text)?.[1] ?? '';
