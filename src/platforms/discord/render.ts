// Minimal placeholder; the full embed renderer replaces this.
import type { OutgoingMessage } from '../../core/types.js';

export interface DiscordMessagePayload {
  content: string;
  embeds?: unknown[];
  allowed_mentions: { parse: [] };
}

/** Makes mentions inert in text (allowed_mentions already stops pings; this keeps the text honest). */
export function sanitizeDiscordText(text: string): string {
  return text.replace(/@(everyone|here)/g, '@\u200b$1').replace(/<@/g, '<@\u200b');
}

export function toDiscordMessage(message: OutgoingMessage): DiscordMessagePayload {
  if (message.kind === 'notice') return { content: sanitizeDiscordText(message.text), allowed_mentions: { parse: [] } };
  const embed = {
    title: message.title.slice(0, 256),
    ...(message.link ? { url: message.link } : {}),
    description: message.summary.slice(0, 4096),
    color: message.color,
    footer: { text: message.feedTitle },
    ...(message.date ? { timestamp: message.date } : {}),
    ...(message.image ? { image: { url: message.image } } : {}),
  };
  return { content: sanitizeDiscordText(message.link ?? ''), embeds: [embed], allowed_mentions: { parse: [] } };
}
