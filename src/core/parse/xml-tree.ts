// Feed XML → a small element tree, on htmlparser2's Tokenizer in XML mode: linear, forgiving
// (bare "&", HTML entities, unclosed tags, stray "<" all pass), and bounded. Herald keeps the
// open-element stack itself, capped at MAX_DEPTH: htmlparser2's Parser grows its stack with
// unshift and searches it on every end tag, quadratic on 20,000 nested tags.
//
// Element names are rewritten by namespace, not by prefix: whatever prefix a publisher binds
// to Dublin Core is read as "dc:", RSS 1.0 / the root's own namespace as no prefix, so
// `<rss:item>` and `<item xmlns="http://purl.org/rss/1.0/">` are the same element.
import { decodeHTMLStrict } from 'entities';
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
import { canonicalName, declare, rootScope, type Scope } from './xml-names.js';
import type { XmlElement } from './xml-node.js';

/** Deeper elements are dropped, and every field that held them is marked truncated ($t). */
export const MAX_DEPTH = 100;
/** Elements kept per document; a feed of 500 items with full xhtml bodies stays far below. */
export const MAX_ELEMENTS = 300_000;

export interface XmlTree {
  root: XmlElement | undefined;
  /** The document ended inside the root element: a truncated download, not a feed. */
  unclosed: boolean;
}

function element(name: string, attrs: Record<string, string | undefined>): XmlElement {
  // No prototype: element and attribute names from the feed ("__proto__") are plain keys.
  const el = Object.create(null) as XmlElement;
  el.$n = name;
  el.$ = attrs;
  el.$$ = [];
  return el;
}

const decodeText = (raw: string) => (raw.includes('&') ? decodeHTMLStrict(raw) : raw);

export function buildXmlTree(s: string): XmlTree {
  let root: XmlElement | undefined;
  const stack: { el: XmlElement; raw: string; scope: Scope }[] = [];
  // Names of open elements beyond MAX_DEPTH / MAX_ELEMENTS: not kept, only matched with their end tags.
  const overflow: string[] = [];
  let count = 0;
  let rootClosed = false;
  let tagName = '';
  let attrs: Record<string, string | undefined> = Object.create(null);
  let attrName = '';
  let attrValue = '';

  /** Marks the open fields as truncated; outer ones were marked together, so stop there. */
  const truncateOpen = () => {
    for (let i = stack.length - 1; i >= 0 && !stack[i]!.el.$t; i--) stack[i]!.el.$t = true;
  };
  const addText = (text: string) => {
    const top = stack[stack.length - 1];
    if (!top || overflow.length || !text) return;
    const kids = top.el.$$;
    const last = kids.length - 1;
    if (typeof kids[last] === 'string') kids[last] += text;
    else kids.push(text);
  };
  const open = (selfClosing: boolean) => {
    const raw = tagName;
    const a = attrs;
    attrs = Object.create(null);
    if (overflow.length || stack.length >= MAX_DEPTH || count >= MAX_ELEMENTS || rootClosed) {
      truncateOpen();
      if (!selfClosing && !rootClosed) overflow.push(raw);
      return;
    }
    const parent = stack[stack.length - 1];
    const declared = declare(parent?.scope, a);
    const scope = parent ? declared : rootScope(declared, raw);
    const el = element(canonicalName(raw, scope, false), a);
    for (const k in a) {
      const name = k.includes(':') && !k.startsWith('xml') ? canonicalName(k, scope, true) : k;
      if (name !== k) {
        a[name] = a[k];
        delete a[k];
      }
    }
    count++;
    if (parent) {
      parent.el.$$.push(el);
      const list = parent.el[el.$n];
      if (Array.isArray(list)) list.push(el);
      else parent.el[el.$n] = [el];
    } else root = el;
    if (selfClosing) {
      if (!parent) rootClosed = true;
    } else stack.push({ el, raw, scope });
  };

  const cbs: TokenizerCallbacks = {
    ontext(start, end) {
      addText(decodeText(s.slice(start, end)));
    },
    ontextentity() {},
    oncdata(start, end, offset) {
      addText(s.slice(start, end - offset));
    },
    onopentagname(start, end) {
      tagName = s.slice(start, end);
    },
    onattribname(start, end) {
      attrName = s.slice(start, end);
      attrValue = '';
    },
    onattribdata(start, end) {
      attrValue += s.slice(start, end);
    },
    onattribentity() {},
    onattribend() {
      if (attrName && !(attrName in attrs)) attrs[attrName] = decodeText(attrValue);
      attrName = '';
    },
    onopentagend() {
      open(false);
    },
    onselfclosingtag() {
      open(true);
    },
    onclosetag(start, end) {
      const name = s.slice(start, end);
      // The nearest open element of that name; an end tag matching nothing is ignored.
      // Both searches look at most MAX_DEPTH names, so an end tag costs a bounded amount.
      if (overflow.length) {
        let j = overflow.length - 1;
        while (j >= 0 && overflow.length - j <= MAX_DEPTH && overflow[j] !== name) j--;
        if (j >= 0 && overflow[j] === name) {
          overflow.length = j;
          return;
        }
      }
      let i = stack.length - 1;
      while (i >= 0 && stack[i]!.raw !== name) i--;
      if (i < 0) return;
      overflow.length = 0; // an unclosed deep element ends with its kept ancestor
      stack.length = i;
      if (i === 0) rootClosed = true;
    },
    oncomment() {},
    ondeclaration() {},
    onprocessinginstruction() {},
    onend() {},
  };
  const tokenizer = new Tokenizer({ xmlMode: true, decodeEntities: false }, cbs);
  tokenizer.write(s);
  tokenizer.end();
  return { root, unclosed: !!root && !rootClosed };
}
