// OPML out: OPML 2.0 that feed readers (and /feeds import) read back.
import { XMLBuilder } from 'fast-xml-parser';

export interface OpmlOutline {
  title: string;
  xmlUrl: string;
  htmlUrl?: string;
  /** Herald's /feeds style, as a heraldStyle attribute other readers ignore. */
  style?: string;
  /** Herald's delivery settings (JSON, see delivery-attr.ts); other readers ignore it. */
  heraldDelivery?: string;
}

export interface OpmlExport {
  title: string;
  outlines: OpmlOutline[];
  /** Epoch ms for <dateCreated>. */
  createdAt: number;
}

// The builder escapes & < > " ' itself; it cannot fix characters XML 1.0 forbids
// outright (control characters from a sloppy feed title), so those are dropped here.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const clean = (s: string) => s.replace(INVALID_XML_CHARS, '').replace(/\s+/g, ' ').trim();

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });

export function buildOpml(doc: OpmlExport): string {
  const outline = doc.outlines.map((o) => {
    const title = clean(o.title) || o.xmlUrl;
    return {
      '@_type': 'rss',
      '@_text': title,
      '@_title': title,
      '@_xmlUrl': clean(o.xmlUrl),
      ...(o.htmlUrl ? { '@_htmlUrl': clean(o.htmlUrl) } : {}),
      ...(o.style ? { '@_heraldStyle': clean(o.style) } : {}),
      ...(o.heraldDelivery ? { '@_heraldDelivery': clean(o.heraldDelivery) } : {}),
    };
  });
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    opml: {
      '@_version': '2.0',
      head: { title: clean(doc.title), dateCreated: new Date(doc.createdAt).toUTCString() },
      body: { outline },
    },
  }) as string;
}
