// Feed boilerplate: the lines publishing systems append to every item ("The post … appeared
// first on …", Engadget's terms notice, "Permalink | Email this | Comments", Reddit's
// "[link] [comments]"). They are not content, so neither the excerpt nor the full text keeps
// them. Matching is by indexOf on a case-folded copy: linear, no regular expression on feed text.

export interface Span {
  start: number;
  end: number;
}

/** Lower-cases ASCII only, so every index in the copy is the same index in the original. */
const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Where the sentence that contains `at` ends: after the next ". " or at the end of the text. */
function sentenceEnd(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '.' && (i + 1 === s.length || /\s/.test(s[i + 1] ?? ''))) return i + 1;
  }
  return s.length;
}

/** Start of the sentence that holds `at`: after the previous ". ", "! ", "? " or line break. */
function sentenceStart(s: string, at: number, maxBack: number): number {
  const stop = Math.max(0, at - maxBack);
  for (let i = at - 1; i >= stop; i--) {
    const c = s[i] ?? '';
    if (c === '\n') return i + 1;
    if ((c === '.' || c === '!' || c === '?') && /\s/.test(s[i + 1] ?? '')) return i + 1;
  }
  return stop;
}

/** WordPress/Yoast: "The post <title> appeared first on <site>." and "… first appeared on …". */
function wordpress(s: string, f: string): Span | undefined {
  for (const marker of ['appeared first on', 'first appeared on']) {
    const at = f.lastIndexOf(marker);
    if (at === -1) continue;
    // The title sits between "The post" and the marker; titles are short.
    const lead = Math.max(f.lastIndexOf('the post ', at), f.lastIndexOf('this post ', at));
    const end = sentenceEnd(s, at + marker.length);
    if (lead !== -1 && at - lead <= 400) return { start: lead, end };
    // Without "The post", only a block that is nothing but "<title> first appeared on <site>."
    if (at <= 300 && !s.slice(0, at).includes('. ') && !s.slice(end).trim()) return { start: 0, end };
  }
  return undefined;
}

/** Engadget (Blogsmith): "<title> originally appeared on Engadget on <date>. Please see our terms for use of feeds." */
function engadget(s: string, f: string): Span | undefined {
  const at = f.indexOf('originally appeared on');
  if (at === -1) return undefined;
  const terms = f.indexOf('terms for use of feeds', at);
  const site = f.indexOf('engadget', at);
  if (terms === -1 && (site === -1 || site - at > 40)) return undefined;
  const end = terms === -1 ? sentenceEnd(s, at) : sentenceEnd(s, terms);
  return { start: sentenceStart(s, at, 400), end };
}

/** Blogsmith's action row: "Permalink | source Laptop | Email this | Comments". */
function actionRow(s: string, f: string): Span | undefined {
  const at = f.indexOf('permalink');
  if (at === -1) return undefined;
  const tail = f.slice(at, at + 600);
  if (!tail.includes('|') || !(tail.includes('email this') || tail.includes('comments'))) return undefined;
  const comments = tail.lastIndexOf('comments');
  const email = tail.lastIndexOf('email this');
  const last = comments > email ? comments + 'comments'.length : email + 'email this'.length;
  return { start: at, end: at + last };
}

/** Reddit: "submitted by /u/name [link] [comments]". */
function reddit(_s: string, f: string): Span | undefined {
  const comments = f.lastIndexOf('[comments]');
  if (comments === -1) return undefined;
  const link = f.lastIndexOf('[link]', comments);
  if (link === -1 || comments - link > 40) return undefined;
  const by = f.lastIndexOf('submitted by', link);
  return { start: by !== -1 && link - by < 200 ? by : link, end: comments + '[comments]'.length };
}

/** A short block that only says "Continue reading on Medium »" or "Read more…". */
function readMore(s: string, f: string): Span | undefined {
  const t = f.trimStart();
  if (s.length > 80 || !(t.startsWith('continue reading') || t.startsWith('read more') || t.startsWith('read the full'))) return undefined;
  return { start: 0, end: s.length };
}

const FINDERS = [wordpress, engadget, actionRow, reddit, readMore];

/** The first boilerplate span in `text`, or undefined. */
export function findBoilerplate(text: string): Span | undefined {
  const f = fold(text);
  let best: Span | undefined;
  for (const find of FINDERS) {
    const span = find(text, f);
    if (span && (!best || span.start < best.start)) best = span;
  }
  return best;
}

/** Plain text without its boilerplate; whitespace around a removed span collapses. */
export function stripBoilerplate(text: string): string {
  let out = text;
  // Each pass removes one span; a handful covers every pattern appearing once.
  for (let pass = 0; pass < 8; pass++) {
    const span = findBoilerplate(out);
    if (!span) break;
    out = `${out.slice(0, span.start).trimEnd()} ${out.slice(span.end).trimStart()}`.trim();
  }
  return out;
}
