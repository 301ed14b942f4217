// Runs → light markdown (for summaries) or plain text (for filters and titles).
import { renderWithin } from '../fit.js';
import { isDeceptiveLink, isSelfLink } from '../links.js';
import { escapeMarkdown, lightMarkdown, tokenizeMarkdown } from '../markdown.js';
import { htmlToRuns, type Run, type TextRun } from './runs.js';

/** Longest summary kept in the model; platforms cut further to their own limits. */
export const MAX_SUMMARY_LENGTH = 6000;

type Group = Omit<TextRun, 'pre'>;

/** Folds whitespace like a browser, merges equally styled neighbours, keeps breaks. */
function groups(runs: Run[]): (Group | { brk: 'line' | 'para' })[] {
  const out: (Group | { brk: 'line' | 'para' })[] = [];
  let lastSpace = true;
  for (const r of runs) {
    if ('brk' in r) {
      out.push(r);
      lastSpace = true;
      continue;
    }
    let text = r.pre ? r.text : r.text.replace(/\s+/g, ' ');
    if (!r.pre && lastSpace) text = text.replace(/^ /, '');
    if (!text) continue;
    lastSpace = /\s$/.test(text);
    const prev = out[out.length - 1];
    if (prev && !('brk' in prev) && prev.strong === r.strong && prev.em === r.em && prev.strike === r.strike && prev.code === r.code && prev.href === r.href) {
      prev.text += text;
    } else {
      const { pre: _pre, ...group } = r;
      out.push({ ...group, text });
    }
  }
  return out;
}

const trimEndSpaces = (s: string) => {
  let end = s.length;
  while (end > 0 && (s[end - 1] === ' ' || s[end - 1] === '\t')) end--;
  return s.slice(0, end);
};

/** Joins text with breaks: at most one blank line, none at the start or end. */
function joinBlocks(parts: (string | { brk: 'line' | 'para' })[]): string {
  const out: string[] = [];
  let newlines = 0;
  for (const p of parts) {
    if (typeof p !== 'string') {
      if (out.length) newlines = Math.min(2, p.brk === 'para' ? Math.max(newlines, 2) : newlines + 1);
      continue;
    }
    if (!p.trim()) {
      if (!newlines && out.length) out.push(p);
      continue;
    }
    if (newlines) {
      out[out.length - 1] = trimEndSpaces(out[out.length - 1] ?? '');
      out.push('\n'.repeat(newlines), p.replace(/^[ \t]+/, ''));
      newlines = 0;
    } else out.push(out.length ? p : p.trimStart());
  }
  return out.join('').trim();
}

function linkMarkdown(text: string, url: string): string {
  if (!text) return '';
  if (isSelfLink(text, url)) return url;
  if (isDeceptiveLink(text, url)) return `${escapeMarkdown(text)} (${url})`;
  // Brackets inside link text end the link early on Discord, so they become parentheses.
  return `[${escapeMarkdown(text.replace(/\[/g, '(').replace(/\]/g, ')'))}](${url})`;
}

function groupMarkdown(g: Group, prevChar: string, nextChar: string): string {
  const core = g.text.trim();
  const lead = core ? g.text.slice(0, g.text.length - g.text.trimStart().length) : g.text;
  const trail = core ? g.text.slice(g.text.trimEnd().length) : '';
  let inner = g.href ? linkMarkdown(core, g.href) : g.code && !core.includes('`') ? `\`${core}\`` : escapeMarkdown(core);
  if (!inner) return lead + trail;
  // "_" only means emphasis at a word boundary; inside a word it would show literally.
  const wordy = /[\p{L}\p{N}]/u;
  const em = g.em && !g.code && !(wordy.test(prevChar) && !lead) && !(wordy.test(nextChar) && !trail);
  if (g.strike && !g.code) inner = `~~${inner}~~`;
  if (em) inner = `_${inner}_`;
  if (g.strong && !g.code) inner = `**${inner}**`;
  return lead + inner + trail;
}

/** HTML → light markdown: links kept, formatting kept, scripts/iframes/pixels/images dropped. */
export function htmlToMarkdown(html: string, base?: string): string {
  const gs = groups(htmlToRuns(html, base));
  const parts = gs.map((g, i) => {
    if ('brk' in g) return g;
    const prev = gs[i - 1];
    const next = gs[i + 1];
    return groupMarkdown(g, prev && !('brk' in prev) ? prev.text.slice(-1) : '', next && !('brk' in next) ? next.text.slice(0, 1) : '');
  });
  const md = joinBlocks(parts);
  return md.length > MAX_SUMMARY_LENGTH ? renderWithin(tokenizeMarkdown(md), MAX_SUMMARY_LENGTH, lightMarkdown) : md;
}

/** Plain text from HTML: tags and dropped elements removed, entities decoded, whitespace folded. */
export function htmlToText(html: string): string {
  return joinBlocks(groups(htmlToRuns(html)).map((g) => ('brk' in g ? g : g.text)));
}
