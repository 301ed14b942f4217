// Builds, for a corpus feed, the same document without its 2 newest items: what a publisher
// served before those two were written. XML is cut on its original bytes (read as latin1, so
// legacy encodings and BOMs survive untouched); JSON Feed is re-serialised without the items.
import { readFileSync } from 'node:fs';
import { oldestFirst } from '../../src/core/identify/index.js';
import { parseFeed } from '../../src/core/parse/index.js';
import { CORPUS, type CorpusEntry } from './shared-corpus.js';

export interface Withheld {
  entry: CorpusEntry;
  full: Buffer;
  before: Buffer;
  /** Ids of the items left out of `before`. */
  withheld: string[];
}

const ids = async (body: Buffer, url: string, contentType: string) => (await parseFeed({ body, url, contentType })).items.map((i) => i.id);

/** [start, end) of every <tag>…</tag> block, by linear scans (the tag exactly, not <items>). */
function blocks(text: string, tag: string): [number, number][] {
  const out: [number, number][] = [];
  const close = `</${tag}>`;
  for (let at = text.indexOf(`<${tag}`); at >= 0; at = text.indexOf(`<${tag}`, at + 1)) {
    const next = text[at + tag.length + 1];
    if (next !== '>' && next !== ' ' && next !== '\n' && next !== '\r' && next !== '\t') continue;
    const end = text.indexOf(close, at);
    if (end < 0) break;
    out.push([at, end + close.length]);
    at = end;
  }
  return out;
}

async function withholdXml(entry: CorpusEntry, full: Buffer, url: string, newest: Set<string>): Promise<Buffer> {
  const text = full.toString('latin1');
  const found = blocks(text, entry.format === 'atom' ? 'entry' : 'item');
  if (!found.length) throw new Error(`${entry.file}: no items found`);
  const head = text.slice(0, found[0]![0]);
  const tail = text.slice(found.at(-1)![1]);
  const keep: string[] = [];
  let last = found[0]![0];
  for (const [s, e] of found) {
    // The item's id as Herald computes it, from a document holding only this item.
    const [id] = await ids(Buffer.from(head + text.slice(s, e) + tail, 'latin1'), url, entry.contentType);
    keep.push(text.slice(last, s));
    if (!newest.has(id ?? '')) keep.push(text.slice(s, e));
    last = e;
  }
  return Buffer.from(head + keep.join('') + tail, 'latin1');
}

async function withholdJson(entry: CorpusEntry, full: Buffer, url: string, newest: Set<string>): Promise<Buffer> {
  const doc = JSON.parse(full.toString('utf8').replace(/^\uFEFF/, '')) as { items: unknown[] };
  const kept: unknown[] = [];
  for (const item of doc.items) {
    const [id] = await ids(Buffer.from(JSON.stringify({ ...doc, items: [item] })), url, entry.contentType);
    if (!newest.has(id ?? '')) kept.push(item);
  }
  return Buffer.from(JSON.stringify({ ...doc, items: kept }));
}

/** The feed before its 2 newest items, checked: parsing it lacks exactly those two. */
export async function withholdNewest(entry: CorpusEntry, url: string, count = 2): Promise<Withheld> {
  const full = readFileSync(CORPUS + entry.file);
  const parsed = await parseFeed({ body: full, url, contentType: entry.contentType });
  const withheld = oldestFirst(parsed.items).reverse().slice(0, count).map((i) => i.id);
  const newest = new Set(withheld);
  const before = entry.format === 'json' ? await withholdJson(entry, full, url, newest) : await withholdXml(entry, full, url, newest);
  const left = new Set(await ids(before, url, entry.contentType));
  const missing = parsed.items.map((i) => i.id).filter((id) => !left.has(id));
  if (missing.length !== count || !missing.every((id) => newest.has(id))) throw new Error(`${entry.file}: withholding removed ${missing.length} items, not the ${count} newest`);
  return { entry, full, before, withheld };
}
