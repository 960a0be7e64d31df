/**
 * Content negotiation as WebOb's `Accept.acceptable_offers`, which Warehouse
 * uses for the Simple API (§1) and Pyramid for error bodies (§6): for each
 * offer the most specific matching media range decides its q-value, q=0 drops
 * it, and the result is sorted by q (ties keep the offer order). A missing or
 * unparsable header accepts every offer.
 */

interface MediaRange {
  type: string;
  subtype: string;
  params: string[];
  q: number;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const RANGE_RE = new RegExp(`^(${TOKEN})/(${TOKEN})$`);

function parseAccept(header: string): MediaRange[] | undefined {
  const ranges: MediaRange[] = [];
  for (const raw of header.split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const [media, ...paramParts] = item.split(';').map((s) => s.trim());
    const m = RANGE_RE.exec(media ?? '');
    if (!m) return undefined;
    let q = 1;
    const params: string[] = [];
    for (const p of paramParts) {
      const [k, v = ''] = p.split('=').map((s) => s.trim());
      if (k?.toLowerCase() === 'q') {
        if (!/^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$/.test(v)) return undefined;
        q = Number(v);
      } else params.push(`${k?.toLowerCase()}=${v}`);
    }
    ranges.push({ type: m[1]!.toLowerCase(), subtype: m[2]!.toLowerCase(), params, q });
  }
  return ranges;
}

/** Offers the client accepts, best first; `header` undefined or invalid means "anything". */
export function acceptableOffers(header: string | undefined, offers: readonly string[]): string[] {
  const ranges = header === undefined ? undefined : parseAccept(header);
  if (!ranges) return [...offers];
  const scored: Array<{ offer: string; q: number; index: number }> = [];
  offers.forEach((offer, index) => {
    const [type, subtype] = offer.toLowerCase().split('/') as [string, string];
    let best: { specificity: number; q: number } | undefined;
    for (const r of ranges) {
      let specificity: number;
      if (r.type === '*' && r.subtype === '*') specificity = 1;
      else if (r.type === type && r.subtype === '*') specificity = 2;
      else if (r.type === type && r.subtype === subtype) specificity = r.params.length ? 4 : 3;
      else continue;
      // Our offers carry no parameters, so a range with parameters cannot match them.
      if (r.params.length) continue;
      if (!best || specificity > best.specificity) best = { specificity, q: r.q };
    }
    if (best && best.q > 0) scored.push({ offer, q: best.q, index });
  });
  scored.sort((a, b) => b.q - a.q || a.index - b.index);
  return scored.map((s) => s.offer);
}
