import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/domain/errors.js';
import { applyFilter, parseFilterInput, splitTerms } from '../../../src/core/filter/index.js';
import type { FeedItem } from '../../../src/domain/types.js';
import { cpuTimed } from '../../support/cpu-time.js';

const item = (over: Partial<FeedItem> = {}): FeedItem => ({
  id: '1',
  title: 'Rust 1.80 released',
  contentHtml: '<p>Cargo <b>news</b> for <a href="https://x.example">everyone</a></p>',
  author: 'Ann Lee',
  categories: ['Programming', 'Machine Learning'],
  images: [],
  index: 0,
  ...over,
});

describe('applyFilter', () => {
  it('passes everything without a rule', () => {
    expect(applyFilter(item(), undefined)).toEqual({ pass: true });
  });
  it('matches words case-insensitively and as whole words', () => {
    expect(applyFilter(item(), parseFilterInput('RUST', '', 'title'))).toEqual({ pass: true });
    expect(applyFilter(item(), parseFilterInput('rus', '', 'title'))).toEqual({ pass: false, reason: 'no include term ("rus") found in title' });
    expect(applyFilter(item(), parseFilterInput('releas*', '', 'title')).pass).toBe(true);
    expect(applyFilter(item({ title: 'C++ tips' }), parseFilterInput('c++', '', 'title')).pass).toBe(true);
  });
  it('matches phrases across whitespace and in the chosen field only', () => {
    expect(applyFilter(item(), parseFilterInput('machine   learning', '', 'categories')).pass).toBe(true);
    expect(applyFilter(item(), parseFilterInput('machine learning', '', 'title')).pass).toBe(false);
  });
  it('looks at the text of the content, not its markup', () => {
    expect(applyFilter(item(), parseFilterInput('href', '', 'summary')).pass).toBe(false);
    expect(applyFilter(item(), parseFilterInput('everyone', '', 'summary')).pass).toBe(true);
  });
  it('excludes before including and names the term and field', () => {
    const rule = parseFilterInput('rust', '/CARGO/i', 'any');
    expect(applyFilter(item(), rule)).toEqual({ pass: false, reason: 'excluded by /CARGO/i in summary' });
    expect(applyFilter(item(), parseFilterInput('', 'lee', 'any'))).toEqual({ pass: false, reason: 'excluded by "lee" in author' });
    expect(applyFilter(item(), parseFilterInput('python, /\\bgo(lang)?\\b/', '', 'any'))).toEqual({
      pass: false,
      reason: 'no include term ("python", /\\bgo(lang)?\\b/) found in any field',
    });
  });
  it('runs regexes case-sensitively unless flagged', () => {
    expect(applyFilter(item(), parseFilterInput('/rust/', '', 'title')).pass).toBe(false);
    expect(applyFilter(item(), parseFilterInput('/rust/i', '', 'title')).pass).toBe(true);
    expect(applyFilter(item(), parseFilterInput('/^Rust \\d+\\.\\d+/', '', 'title')).pass).toBe(true);
  });
  it('returns at once on a catastrophic-backtracking pattern', () => {
    const victim = item({ title: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' });
    // Timed from parsing, so compiling the pattern counts too; a backtracking engine needs ~2^40 steps.
    // CPU time (see cpu-time.ts): microseconds for a linear engine, hours for a backtracking one.
    const { value: rule, ms } = cpuTimed(() => {
      const parsed = parseFilterInput('', '/(a+)+$/', 'title');
      expect(applyFilter(victim, parsed)).toEqual({ pass: true });
      return parsed;
    });
    expect(ms).toBeLessThan(1000);
    expect(applyFilter(item({ title: 'aaaa' }), rule)).toEqual({ pass: false, reason: 'excluded by /(a+)+$/ in title' });
  });
  it('stays linear on long texts with nested quantifiers', () => {
    const rule = parseFilterInput('', '/(x+x+)+y/, /(.*a){20}/', 'summary');
    const { value, ms } = cpuTimed(() => applyFilter(item({ contentHtml: `<p>${'x'.repeat(50_000)}</p>` }), rule));
    expect(value.pass).toBe(true);
    expect(ms).toBeLessThan(2000); // CPU time; a backtracking engine needs far longer on 50,000 x
  });
  it('treats a stored term that no longer compiles as matching nothing', () => {
    expect(applyFilter(item(), { include: [], exclude: ['/(/'], field: 'any' })).toEqual({ pass: true });
  });
});

describe('parseFilterInput', () => {
  it('splits on commas but not inside regexes or quotes, and drops duplicates', () => {
    expect(splitTerms(' rust , /a{1,3}/i, "x, y", , Rust')).toEqual(['rust', '/a{1,3}/i', '"x, y"', 'Rust']);
    expect(parseFilterInput('rust, Rust, RUST').include).toEqual(['rust']);
  });
  it('defaults the field to any and validates it', () => {
    expect(parseFilterInput('a')).toEqual({ include: ['a'], exclude: [], field: 'any' });
    expect(parseFilterInput(undefined, 'b', 'Title')).toEqual({ include: [], exclude: ['b'], field: 'title' });
    expect(() => parseFilterInput('a', '', 'body')).toThrow('Unknown filter field "body". Use one of: title, summary, author, categories, any.');
  });
  it('explains invalid regexes', () => {
    const cases: [string, RegExp][] = [
      ['/(a/', /The regex \/\(a\/ is not valid: missing closing \)/],
      ['/(?=a)b/', /not valid: invalid or unsupported Perl syntax.*RE2 syntax \(no lookaround or backreferences\)/],
      ['/(a)\\1/', /not valid: invalid escape sequence/],
      ['/x/q', /flag "q"; only i, m and s are supported/],
      ['/r/rust', /To match the text literally, put it in quotes: "\/r\/rust"/],
      [`/${'a'.repeat(201)}/`, /201 characters long; the limit is 200/],
      ['/.{100}.{100}.{100}.{100}/', /too complex/],
      ['//', /The regex \/\/ is empty/],
      ['"unclosed', /never closed/],
      ['"a" b', /Unexpected "b" after "a"; separate terms with commas/],
    ];
    for (const [input, message] of cases) {
      expect(() => parseFilterInput(input), input).toThrow(UserError);
      expect(() => parseFilterInput(input), input).toThrow(message);
    }
  });
  it('accepts a 200-character regex', () => {
    expect(parseFilterInput(`/${'a'.repeat(200)}/`).include).toHaveLength(1);
  });
  it('limits the number of terms', () => {
    const many = Array.from({ length: 21 }, (_, i) => `w${i}`).join(',');
    expect(() => parseFilterInput(many)).toThrow(/21 terms; the limit is 20/);
  });
  it('matches quoted text literally', () => {
    const rule = parseFilterInput('"/r/rust"', '', 'title');
    expect(applyFilter(item({ title: 'Hot on /r/rust today' }), rule).pass).toBe(true);
  });
});
