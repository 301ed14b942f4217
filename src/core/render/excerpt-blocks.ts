// An item's HTML as a list of text blocks, for the compact card's excerpt. Parsed with
// htmlparser2 (linear, forgiving, entities decoded once by the parser); paragraphs are
// told apart from the rest (headings, lists, tables, captions, code blocks) so the excerpt
// can prefer real prose.
import { parseDocument } from 'htmlparser2';

/** A node of htmlparser2's DOM (domhandler's ChildNode, which htmlparser2 does not re-export). */
type ChildNode = ReturnType<typeof parseDocument>['children'][number];

export interface TextBlock {
  text: string;
  /** 'para' is prose; 'aside' is a heading, list, table, caption or code block. */
  kind: 'para' | 'aside';
}

/** Never text: their content is code, chrome or an embedded object. */
const DROP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'svg', 'math', 'object', 'embed', 'button', 'select', 'textarea', 'head', 'title', 'img', 'video', 'audio', 'picture', 'source']);
/** Read only when the item has no paragraph at all. */
const ASIDE = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'dl', 'menu', 'table', 'figure', 'figcaption', 'caption', 'pre', 'nav', 'aside', 'header', 'footer']);
/** Start and end a block; inline elements do neither. */
const BLOCK = new Set(['p', 'div', 'section', 'article', 'main', 'blockquote', 'li', 'dd', 'dt', 'hr', 'address', 'center', 'details', 'summary', 'tr', 'td', 'th', 'body', 'html']);

/** Longest HTML read for an excerpt: the first paragraphs are near the top. */
export const MAX_EXCERPT_HTML = 200_000;
const MAX_DEPTH = 200;

class Collector {
  readonly blocks: TextBlock[] = [];
  private buf = '';
  private kind: TextBlock['kind'] = 'para';
  /** <br> seen since the last text; two in a row end a paragraph. */
  private brs = 0;
  /** Inside how many <a>, and how much of the block's text is link text. */
  private inLink = 0;
  private linkChars = 0;
  private links = 0;

  flush(): void {
    const text = normalize(this.buf);
    // A "paragraph" that is mostly several links (show notes, "Read more | Share") is a list of links.
    const linkList = this.links >= 2 && this.linkChars >= 0.8 * text.length;
    if (text) this.blocks.push({ text, kind: linkList ? 'aside' : this.kind });
    this.buf = '';
    this.brs = 0;
    this.linkChars = 0;
    this.links = 0;
  }

  text(data: string): void {
    this.buf += data;
    if (this.inLink) this.linkChars += data.trim().length;
    if (data.trim()) this.brs = 0;
  }

  walk(nodes: ChildNode[], depth: number): void {
    if (depth > MAX_DEPTH) return;
    for (const node of nodes) {
      if (node.type === 'text') this.text(node.data);
      else if (node.type === 'tag' || node.type === 'script' || node.type === 'style') this.element(node.name.toLowerCase(), node.children, depth);
      else if (node.type === 'cdata') this.walk(node.children, depth + 1);
    }
  }

  private element(name: string, children: ChildNode[], depth: number): void {
    if (DROP.has(name)) return;
    if (name === 'br') {
      if (++this.brs >= 2) this.flush();
      else this.buf += '\n';
      return;
    }
    if (ASIDE.has(name)) {
      this.flush();
      const outer = this.kind;
      this.kind = 'aside';
      this.walk(children, depth + 1);
      this.flush();
      this.kind = outer;
      return;
    }
    const block = BLOCK.has(name);
    if (block) this.flush();
    if (name === 'a') {
      this.inLink++;
      this.links++;
    }
    this.walk(children, depth + 1);
    if (name === 'a') this.inLink--;
    if (block) this.flush();
  }
}

/** Whitespace runs (non-breaking spaces too) become one space; invisible marks go. */
function normalize(s: string): string {
  let out = '';
  let space = false;
  for (const c of s) {
    if (c === '\u200b' || c === '\u200e' || c === '\u200f' || c === '\ufeff' || c === '\u00ad') continue;
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f' || c === '\u00a0' || c === '\u2009' || c === '\u202f') {
      space = true;
      continue;
    }
    if (space && out) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

/** The blocks of an HTML fragment, in document order. */
export function htmlBlocks(html: string): TextBlock[] {
  const doc = parseDocument(html.slice(0, MAX_EXCERPT_HTML), { decodeEntities: true, lowerCaseTags: true });
  const c = new Collector();
  c.walk(doc.children, 0);
  c.flush();
  return c.blocks;
}

/** Plain text split at blank lines: the blocks of a text summary. */
export function textBlocks(text: string): TextBlock[] {
  return text
    .slice(0, MAX_EXCERPT_HTML)
    .split('\n\n')
    .map((p) => ({ text: normalize(p), kind: 'para' as const }))
    .filter((b) => b.text);
}
