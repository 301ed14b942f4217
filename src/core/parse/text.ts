// Short text fields (titles): entities decoded, HTML markup turned into plain text.
import { decodeHTML } from 'entities';

const TAG = /<\/?[A-Za-z][^<>]*>|<!--[\s\S]*?-->/g;

export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Entities only: for fields that are plain text but often arrive entity-encoded (JSON Feed). */
export function decodeText(text: string | undefined): string {
  if (!text) return '';
  return collapse(text.includes('&') ? decodeHTML(text) : text);
}

/** A title given as HTML: tags dropped, entities decoded. "a < b" survives (not a tag). */
export function htmlToText(html: string | undefined): string {
  if (!html) return '';
  const stripped = html.includes('<') ? html.replace(TAG, '') : html;
  return decodeText(stripped);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
