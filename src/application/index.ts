// The application layer: every verb Herald offers, as one object that commands (through
// their context) and platform events call. Each use case lives in its own file and takes
// only the ports it needs; this binds them to one set of AppDeps, chosen in src/app.ts.
import type { Untrusted } from '../domain/reply-text.js';
import type { SubscriptionRecord } from '../domain/records.js';
import type { ChannelRef } from '../domain/types.js';
import type { AppDeps } from './deps.js';
import { exportChannel } from './export-opml.js';
import { titleOf } from './find.js';
import { forgetChannels, type GoneChannels } from './forget-channel.js';
import { importFrom, type ImportSource } from './import-opml.js';
import { pauseSubscriptions } from './pause.js';
import { previewInChannel } from './preview.js';
import { resumeSubscriptions } from './resume.js';
import { setDigest, setIdentity, setMention, setToggle, type IdentityInput, type Toggle } from './settings-delivery.js';
import { setFilter, setStyle, setTemplate, type FilterInput } from './settings-look.js';
import { collectStatus } from './status.js';
import { listSubscriptions, subscribe, unsubscribe, type SubscribeInput } from './subscriptions.js';

export type { AppDeps, Clock, SchedulerPort } from './deps.js';

/** Only what a command may log: a failure it could not turn into a reply. */
export interface AppLog {
  error(obj: object, msg: string): void;
}

export function createUseCases(d: AppDeps) {
  return {
    log: d.logger as AppLog,
    subscribe: (input: SubscribeInput) => subscribe(d, input),
    unsubscribe: (channel: ChannelRef, target: string) => unsubscribe(d, channel, target),
    list: (channel: ChannelRef) => listSubscriptions(d, channel),
    /** The feed's title (else its URL), marked untrusted, for replies about a subscription. */
    titleOf: (sub: Pick<SubscriptionRecord, 'feedId' | 'feedUrl'>): Untrusted => titleOf(d, sub),
    pause: (channel: ChannelRef, target: string) => pauseSubscriptions(d, channel, target),
    resume: (channel: ChannelRef, target: string, testTimeoutMs?: number) => resumeSubscriptions(d, channel, target, testTimeoutMs),
    preview: (channel: ChannelRef, target: string) => previewInChannel(d, channel, target),
    status: (channel: ChannelRef) => collectStatus(d, channel),
    importOpml: (src: ImportSource) => importFrom(d, src),
    exportOpml: (channel: ChannelRef) => exportChannel(d, channel),
    style: (channel: ChannelRef, target: string, style: string) => setStyle(d, channel, target, style),
    template: (channel: ChannelRef, target: string, text: string) => setTemplate(d, channel, target, text),
    filter: (channel: ChannelRef, target: string, input: FilterInput) => setFilter(d, channel, target, input),
    digest: (channel: ChannelRef, target: string, every: string, at?: string) => setDigest(d, channel, target, every, at),
    identity: (channel: ChannelRef, target: string, input: IdentityInput) => setIdentity(d, channel, target, input),
    mention: (channel: ChannelRef, target: string, role: string | undefined) => setMention(d, channel, target, role),
    toggle: (channel: ChannelRef, target: string, toggle: Toggle, on: boolean, refusal?: string) => setToggle(d, channel, target, toggle, on, refusal),
    forgetChannels: (gone: GoneChannels, why: string) => forgetChannels(d, gone, why),
  };
}

export type UseCases = ReturnType<typeof createUseCases>;
export type { Toggle } from './settings-delivery.js';
export type { ResumeResult } from './resume.js';
export type { StatusReport } from './status.js';
export type { ImportRow } from './import-opml.js';
