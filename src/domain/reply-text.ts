// Feed-derived text inside command replies. Replies are light markdown that Herald writes
// (**bold**, `code`, [text](url)); a feed title quoted in one must read literally, or a feed
// called "[Verify your account](https://evil.example/login)" becomes a masked link. Commands
// wrap such values with untrusted(); each platform's reply renderer (the one escaping
// point per platform) escapes what is inside and keeps Herald's own markdown.
//
// The span is delimited by two private-use characters, so it survives the string joins
// commands already do (lists, lines, template literals). They are stripped from the value
// itself, so a feed cannot close its span early.

const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKS = /[\uE000\uE001]/g;

/** A string known to carry feed (or other outside) text in untrusted spans. */
export type Untrusted = string & { readonly untrusted: unique symbol };

/** Marks text from a feed (or a remote server) for escaping by the platform. */
export function untrusted(text: string | undefined | null): Untrusted {
  // One line: a feed value with line breaks could fake a line of Herald's own reply.
  return `${OPEN}${String(text ?? '').replace(MARKS, '').replace(/[\r\n\u2028\u2029]+/g, ' ')}${CLOSE}` as Untrusted;
}

export interface ReplySegment {
  text: string;
  untrusted: boolean;
}

/** Splits reply text into Herald's own parts and untrusted spans; a linear scan. */
export function replySegments(text: string): ReplySegment[] {
  const out: ReplySegment[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf(OPEN, i);
    const head = (open === -1 ? text.slice(i) : text.slice(i, open)).replace(MARKS, '');
    if (head) out.push({ text: head, untrusted: false });
    if (open === -1) break;
    const close = text.indexOf(CLOSE, open + 1);
    const body = (close === -1 ? text.slice(open + 1) : text.slice(open + 1, close)).replace(MARKS, '');
    if (body) out.push({ text: body, untrusted: true });
    i = close === -1 ? text.length : close + 1;
  }
  return out;
}

/** The text without span marks, for places that print it as is (CLI, logs). */
export function plainReplyText(text: string): string {
  return text.replace(MARKS, '');
}
