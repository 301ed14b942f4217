// Text for a terminal: feed bytes must not drive it. ESC starts escape sequences (retitle,
// clear, OSC 52 clipboard writes), BEL ends OSC strings, and C1 codes (U+0080–U+009F) are
// 8-bit forms of the same. One linear pass; newline and tab stay, the rest of C0/C1 goes.
export function stripControls(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const control = (c < 0x20 && c !== 0x0a && c !== 0x09) || (c >= 0x7f && c <= 0x9f);
    if (!control) continue;
    out += text.slice(from, i);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
