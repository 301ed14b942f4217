import { describe, expect, it } from 'vitest';
import { stripControls } from '../../src/cli/terminal.js';
import { cpuTimed } from '../support/cpu-time.js';

describe('stripControls', () => {
  it('removes C0 (but newline and tab), DEL and C1; leaves other text alone', () => {
    expect(stripControls('a\u001b]52;c;eA==\u0007b\u009b2Jc\u007fd\r\n\te')).toBe('a]52;c;eA==b2Jcd\n\te');
    expect(stripControls('plain – ünïcode ✓')).toBe('plain – ünïcode ✓');
  });

  it('is linear: a megabyte of controls takes milliseconds', () => {
    const big = '\u001b'.repeat(1_000_000) + 'x';
    // CPU time, not wall-clock (see cpu-time.ts): linear is milliseconds, quadratic is hours.
    const { value, ms } = cpuTimed(() => stripControls(big));
    expect(value).toBe('x');
    expect(ms).toBeLessThan(500);
  });
});
