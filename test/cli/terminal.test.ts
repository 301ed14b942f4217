import { describe, expect, it } from 'vitest';
import { stripControls } from '../../src/cli/terminal.js';

describe('stripControls', () => {
  it('removes C0 (but newline and tab), DEL and C1; leaves other text alone', () => {
    expect(stripControls('a\u001b]52;c;eA==\u0007b\u009b2Jc\u007fd\r\n\te')).toBe('a]52;c;eA==b2Jcd\n\te');
    expect(stripControls('plain – ünïcode ✓')).toBe('plain – ünïcode ✓');
  });

  it('is linear: a megabyte of controls takes milliseconds', () => {
    const big = '\u001b'.repeat(1_000_000) + 'x';
    const began = performance.now();
    expect(stripControls(big)).toBe('x');
    expect(performance.now() - began).toBeLessThan(500);
  });
});
