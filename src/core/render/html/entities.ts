// HTML character references, decoded once with the complete WHATWG tables of `entities`
// (all 2,231 names, numeric references, the legacy names browsers accept without ";").
import { decodeHTML } from 'entities';

/** Decodes named and numeric references once; unknown names stay as written. */
export function decodeEntities(text: string): string {
  return text.includes('&') ? decodeHTML(text) : text;
}
