// Deceptive links: a link whose visible text names another site ("paypal.com" pointing
// at evil.example). Feeds are untrusted, so such links are shown with their real target.
import { hostOf } from './url.js';

const COMMON_TLDS = new Set(
  ('com net org io co dev app ai gov edu mil int info biz me tv us uk de fr ru cn jp br in it es nl eu ca au ch se no pl ' +
    'be at dk fi cz pt gr ie nz za kr tw hk sg xyz site online ly gg sh to fm link page blog news shop store live top club')
    .split(' '),
);

/** The host a piece of link text presents itself as, if it looks like a URL or domain. */
function presentedHost(word: string): string | undefined {
  const w = word.replace(/^[("'[<]+|[)"'\]>.,;:!?]+$/g, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(w)) return hostOf(w);
  const host = (w.split(/[/?#:]/, 1)[0] ?? '').toLowerCase();
  const labels = host.split('.');
  if (labels.length < 2 || !labels.every((l) => /^[a-z0-9-]{1,63}$/.test(l))) return undefined;
  if (labels[0] !== 'www' && !COMMON_TLDS.has(labels[labels.length - 1] ?? '')) return undefined;
  return host.replace(/^www\./, '');
}

/** True when the text shows a host that is neither the target's host nor a parent of it. */
export function isDeceptiveLink(text: string, url: string): boolean {
  const target = hostOf(url);
  if (!target) return true;
  return text
    .split(/\s+/)
    .slice(0, 50)
    .some((word) => {
      const shown = presentedHost(word);
      return shown !== undefined && shown !== target && !target.endsWith(`.${shown}`);
    });
}

/** Link text that just repeats the URL: better shown as a bare, auto-linked URL. */
export function isSelfLink(text: string, url: string): boolean {
  const norm = (s: string) => s.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/$/, '');
  return norm(text) === norm(url);
}
