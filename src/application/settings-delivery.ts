// Where and how posts go out: /feeds digest, identity, mention, thread and publish. Checked
// here, stored on the subscription, read by the outbox (digest) and the platform senders.
import type { Untrusted } from '../domain/reply-text.js';
import { UserError } from '../domain/errors.js';
import type { SubscriptionRecord } from '../domain/records.js';
import type { ChannelRef, DeliveryTarget, DigestSchedule } from '../domain/types.js';
import { checkAvatarUrl, checkIdentityName, parseDigest } from '../core/manage/delivery.js';
import type { AppDeps } from './deps.js';
import { findSubscription, titleOf } from './find.js';

type Deps = Pick<AppDeps, 'store'>;

/** The answer to every delivery verb: which subscription, named for the reply. */
export interface DeliveryChange {
  subscription: SubscriptionRecord;
  title: Untrusted;
}

/** Applies `change` to the stored subscription's settings; an empty settings object is removed. */
export async function storeDelivery(d: Deps, sub: SubscriptionRecord, change: (t: DeliveryTarget) => void): Promise<SubscriptionRecord> {
  const next: SubscriptionRecord = { ...(d.store.subscriptions.get(sub.id) ?? sub) };
  const delivery: DeliveryTarget = { ...next.delivery };
  change(delivery);
  for (const k of Object.keys(delivery) as (keyof DeliveryTarget)[]) if (delivery[k] === undefined) delete delivery[k];
  if (Object.keys(delivery).length) next.delivery = delivery;
  else delete next.delivery;
  await d.store.subscriptions.update(next);
  return next;
}

/** `every` is a period ("6h") or "off"; `at` an optional time of day in UTC. */
export async function setDigest(d: Deps & Pick<AppDeps, 'clock'>, channel: ChannelRef, target: string, every: string, at?: string): Promise<DeliveryChange & { digest?: DigestSchedule }> {
  const sub = findSubscription(d, channel, target);
  const title = titleOf(d, sub);
  if (every.trim().toLowerCase() === 'off') {
    await storeDelivery(d, sub, (t) => delete t.digest);
    return { subscription: sub, title };
  }
  const digest = parseDigest(every.trim(), at, d.clock.now());
  await storeDelivery(d, sub, (t) => (t.digest = digest));
  return { subscription: sub, title, digest };
}

export interface IdentityInput {
  /** A name, `reset` to post as Herald again, or undefined for the feed's own title. */
  name?: string;
  avatar?: string;
  /** Set when the platform cannot post under another name in this channel, saying why. */
  blocked?: string;
}

export async function setIdentity(d: Deps, channel: ChannelRef, target: string, input: IdentityInput): Promise<DeliveryChange & { reset?: true; name?: string; avatarUrl?: string }> {
  const sub = findSubscription(d, channel, target);
  const title = titleOf(d, sub);
  if (input.name?.trim().toLowerCase() === 'reset') {
    await storeDelivery(d, sub, (t) => delete t.identity);
    return { subscription: sub, title, reset: true };
  }
  // Checked before anything is saved: a setting that cannot work would only mislead.
  if (input.blocked) throw new UserError(input.blocked);
  const name = input.name === undefined ? undefined : checkIdentityName(input.name);
  const avatarUrl = input.avatar === undefined ? undefined : checkAvatarUrl(input.avatar);
  await storeDelivery(d, sub, (t) => (t.identity = { ...(name ? { name } : {}), ...(avatarUrl ? { avatarUrl } : {}) }));
  return { subscription: sub, title, ...(name ? { name } : {}), ...(avatarUrl ? { avatarUrl } : {}) };
}

/** `role`: the platform id of the group to ping, or undefined to ping nobody. */
export async function setMention(d: Deps, channel: ChannelRef, target: string, role: string | undefined): Promise<DeliveryChange> {
  const sub = findSubscription(d, channel, target);
  await storeDelivery(d, sub, (t) => (t.mention = role));
  return { subscription: sub, title: titleOf(d, sub) };
}

/** Delivery settings that are simply on or off. */
export type Toggle = 'thread' | 'publish';

const TOGGLES: Record<Toggle, (t: DeliveryTarget, on: boolean) => void> = {
  thread: (t, on) => (t.threadPerItem = on || undefined),
  // Off is stored: an announcement channel publishes by default.
  publish: (t, on) => (t.publish = on),
};

/** `refusal`: why this channel cannot take the setting, checked only when turning it on. */
export async function setToggle(d: Deps, channel: ChannelRef, target: string, toggle: Toggle, on: boolean, refusal?: string): Promise<DeliveryChange> {
  const sub = findSubscription(d, channel, target);
  if (on && refusal) throw new UserError(refusal);
  await storeDelivery(d, sub, (t) => TOGGLES[toggle](t, on));
  return { subscription: sub, title: titleOf(d, sub) };
}
