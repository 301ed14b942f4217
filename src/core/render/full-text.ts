// The `full` style's text: today's whole-item markdown, minus feed boilerplate. Boilerplate
// is found on the visible text and cut out token by token, so links and formatting around it
// survive and nothing is re-parsed from feed bytes.
import { findBoilerplate, type Span } from './boilerplate.js';
import { emit } from './fit.js';
import { lightMarkdown, tokenizeMarkdown, type MdToken } from './markdown.js';

const visible = (t: MdToken): string => (t.type === 'text' || t.type === 'code' || t.type === 'link' ? t.text : t.type === 'url' ? t.url : '');

/** Tokens without the visible range `span`; a link or code token that overlaps it goes whole. */
function cut(tokens: MdToken[], span: Span): MdToken[] {
  const out: MdToken[] = [];
  let at = 0;
  for (const t of tokens) {
    const text = visible(t);
    const start = at;
    const end = at + text.length;
    at = end;
    if (end <= span.start || start >= span.end || (text.length === 0 && (start < span.start || start >= span.end))) {
      out.push(t);
      continue;
    }
    if (t.type !== 'text') continue;
    const keep = text.slice(0, Math.max(0, span.start - start)) + text.slice(Math.max(0, span.end - start));
    if (keep) out.push({ type: 'text', text: keep });
  }
  return out;
}

/** Light markdown with every boilerplate span removed, paragraphs tidied. */
export function stripBoilerplateMarkdown(md: string): string {
  let tokens = tokenizeMarkdown(md);
  for (let pass = 0; pass < 8; pass++) {
    const span = findBoilerplate(tokens.map(visible).join(''));
    if (!span) break;
    tokens = cut(tokens, span);
  }
  const text = tokens.map((t) => emit(t, lightMarkdown)).join('');
  // Removing a paragraph leaves its line breaks behind; collapse what is left over.
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
