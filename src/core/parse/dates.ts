// Feed dates → ISO 8601. Date.parse alone is both too strict (no "CEST", no Portuguese month
// names) and too lax (V8 reads "garbage 2018" as 1 Jan 2018), so common shapes are parsed here.

const MONTHS: Record<string, number> = {};
const monthNames: string[][] = [
  ['jan', 'janv', 'januar', 'janeiro', 'ene', 'enero', 'gen', 'janvier', 'january', 'jän'],
  ['feb', 'fev', 'fév', 'févr', 'fevereiro', 'februar', 'february', 'febrero', 'février'],
  ['mar', 'mär', 'mrz', 'mars', 'março', 'marzo', 'märz', 'march', 'maart'],
  ['apr', 'abr', 'avr', 'avril', 'abril', 'april', 'aprile'],
  ['may', 'mai', 'maio', 'mayo', 'mag', 'maggio', 'mei'],
  ['jun', 'juin', 'junho', 'junio', 'juni', 'june', 'giu'],
  ['jul', 'juil', 'juillet', 'julho', 'julio', 'juli', 'july', 'lug'],
  ['aug', 'ago', 'août', 'aou', 'agosto', 'august'],
  ['sep', 'sept', 'set', 'setembro', 'septiembre', 'september', 'septembre', 'settembre'],
  ['oct', 'okt', 'out', 'outubro', 'octubre', 'oktober', 'october', 'octobre', 'ott'],
  ['nov', 'novembro', 'noviembre', 'november', 'novembre'],
  ['dec', 'dez', 'déc', 'dic', 'dezembro', 'diciembre', 'dezember', 'december', 'décembre'],
];
monthNames.forEach((names, i) => names.forEach((n) => (MONTHS[n] = i)));

// Zone abbreviations seen in feeds, in minutes east of UTC.
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, bst: 60, ist: 330, cet: 60, met: 60, cest: 120, mest: 120, eet: 120, eest: 180,
  msk: 180, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420, akst: -540,
  akdt: -480, hst: -600, jst: 540, kst: 540, hkt: 480, sgt: 480, awst: 480, acst: 570, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
};

const RFC822 = /^(?:[^\d\s,]+\.?,?\s*)?(\d{1,2})\.?[\s-]+([^\d\s.,-]+)\.?,?[\s-]+(\d{2,4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(.*)$/;
const YMD = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(.*)$/;

function zoneOffset(text: string): number | undefined {
  const t = text.trim().replace(/^\(|\)$/g, '');
  if (!t) return 0; // no zone at all: UTC is the least surprising guess
  const num = /^(?:gmt|utc)?\s*([+-])(\d{1,2}):?(\d{2})?$/i.exec(t);
  if (num) return (num[1] === '-' ? -1 : 1) * (Number(num[2]) * 60 + Number(num[3] ?? 0));
  return ZONES[t.toLowerCase()];
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, zone: string): number | undefined {
  const off = zoneOffset(zone);
  if (off === undefined || mo < 0 || mo > 11 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return undefined;
  return Date.UTC(y, mo, d, h, mi, s) - off * 60_000;
}

function parseTime(text: string): number | undefined {
  const t = text.trim();
  const ymd = YMD.exec(t);
  if (ymd) {
    const [, y, mo, d, h, mi, s, frac, zone] = ymd;
    const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    const at = build(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), zone ?? '');
    return at === undefined ? Date.parse(t) : at + ms;
  }
  const rfc = RFC822.exec(t);
  if (rfc) {
    const [, d, mon, y, h, mi, s, zone] = rfc;
    const month = MONTHS[mon!.toLowerCase().normalize('NFC')] ?? MONTHS[mon!.toLowerCase().slice(0, 3)];
    let year = Number(y);
    if (y!.length === 2) year += year < 50 ? 2000 : 1900;
    if (month !== undefined) return build(year, month, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), zone ?? '');
  }
  // Anything else: trust Date.parse only when the text has the digits a real date needs.
  return (t.match(/\d+/g)?.length ?? 0) >= 3 ? Date.parse(t) : undefined;
}

/** ISO 8601 for a feed date, or undefined when it cannot be read (the item is then undated). */
export function isoDate(text: string | undefined): string | undefined {
  if (!text?.trim()) return undefined;
  // A real date is a few dozen characters; the patterns above only ever see that much.
  const ms = parseTime(text.trim().slice(0, 100));
  if (ms === undefined || Number.isNaN(ms)) return undefined;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1970 && year < 2200 ? new Date(ms).toISOString() : undefined;
}
