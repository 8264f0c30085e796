// IPv4 and IPv6 addresses, validated by parsing (octets ≤ 255 without leading zeros; IPv6 group
// counts, one `::`, optional dotted IPv4 tail). Loopback and unspecified addresses identify nobody
// and pass through.
import type { Detector, Span } from '../types.ts';
import { T_IPV4, T_IPV6 } from '../triggers.ts';

// Sticky: tried only at positions the scanner below has chosen.
const IPV4 = /(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)/y;
// Starts only at the beginning of a hex/colon run (lookbehind), every quantifier bounded.
// A colon within the first five characters lets most attempts fail after a few steps.
const IPV6 =
  /(?<![\w:.%])(?:[0-9A-Fa-f]{1,4}:|::)[0-9A-Fa-f:]{1,37}(?:\.\d{1,3}){0,3}(?:%[\w.]{1,15})?(?![\w:])/y;

function octet(s: string): number {
  if (s.length === 0 || s.length > 3 || (s.length > 1 && s[0] === '0')) return -1;
  const n = Number(s);
  return Number.isInteger(n) && n <= 255 ? n : -1;
}

export function parseIpv4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = parts.map(octet);
  return out.includes(-1) ? null : out;
}

function reportableIpv4(s: string): boolean {
  const o = parseIpv4(s);
  if (!o) return false;
  if (o[0] === 127) return false;
  return !(o[0] === 0 && o[1] === 0 && o[2] === 0 && o[3] === 0);
}

const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** Returns the number of 16-bit groups an address spells, or -1 when it is not an IPv6 address. */
export function ipv6Groups(raw: string): number {
  const zone = raw.indexOf('%');
  let s = zone === -1 ? raw : raw.slice(0, zone);
  let tail = 0;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.') !== -1) {
    if (!parseIpv4(s.slice(lastColon + 1))) return -1;
    s = s.slice(0, lastColon + 1) + '0';
    tail = 1;
  }
  const halves = s.split('::');
  if (halves.length > 2) return -1;
  let groups = 0;
  for (const half of halves) {
    if (half === '') continue;
    for (const g of half.split(':')) {
      if (!HEX_GROUP.test(g)) return -1;
      groups++;
    }
  }
  groups += tail;
  if (halves.length === 2) return groups <= 7 ? groups : -1;
  return groups === 8 ? groups : -1;
}

/** Without `::` an address spells all eight groups: at least six colons (with a dotted IPv4 tail). */
function enoughColons(s: string): boolean {
  if (s.indexOf('::') !== -1) return true;
  let colons = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 58) colons++;
  return colons >= 6;
}

function reportableIpv6(s: string): boolean {
  // Clock times (`14:02:36`) reach here often; they fail before the allocating parse.
  if (!enoughColons(s)) return false;
  const groups = ipv6Groups(s);
  if (groups === -1) return false;
  // `::`, `::1` and one-group-plus-`::` strings such as `a::` are too short to be anyone's address.
  if (groups < 2 && !/^fe80::/i.test(s)) return false;
  return true;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexCode(c: number): boolean {
  return isDigitCode(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function isWordCode(c: number): boolean {
  return isDigitCode(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

// Both scanners jump between separators with indexOf and only look closer where a digit (or hex
// digit) touches one, which is far cheaper than a regex attempt at every digit of a log line.

export const ipv4Detector: Detector = {
  types: ['ipv4'],
  trigger: T_IPV4,
  detect(text: string, out: Span[]): void {
    let dot = text.indexOf('.');
    while (dot !== -1) {
      if (dot > 0 && isDigitCode(text.charCodeAt(dot - 1)) && isDigitCode(text.charCodeAt(dot + 1))) {
        let start = dot - 1;
        while (start > 0 && dot - start < 3 && isDigitCode(text.charCodeAt(start - 1))) start--;
        const before = start > 0 ? text.charCodeAt(start - 1) : 32;
        if (!isWordCode(before) && before !== 46) {
          IPV4.lastIndex = start;
          const m = IPV4.exec(text);
          if (m !== null && m.index === start) {
            if (reportableIpv4(m[0])) out.push({ start, end: start + m[0].length, type: 'ipv4' });
            dot = text.indexOf('.', start + m[0].length);
            continue;
          }
        }
      }
      dot = text.indexOf('.', dot + 1);
    }
  },
};

export const ipv6Detector: Detector = {
  types: ['ipv6'],
  trigger: T_IPV6,
  detect(text: string, out: Span[]): void {
    let colon = text.indexOf(':');
    while (colon !== -1) {
      const next = text.charCodeAt(colon + 1);
      if ((colon > 0 && isHexCode(text.charCodeAt(colon - 1))) || next === 58) {
        if (isHexCode(next) || next === 58) {
          let start = colon;
          const floor = Math.max(0, colon - 39);
          while (
            start > floor &&
            (isHexCode(text.charCodeAt(start - 1)) || text.charCodeAt(start - 1) === 58)
          )
            start--;
          IPV6.lastIndex = start;
          const m = IPV6.exec(text);
          if (m !== null && m.index === start) {
            const s = m[0];
            if (s.indexOf(':') !== s.lastIndexOf(':') && reportableIpv6(s)) {
              out.push({ start, end: start + s.length, type: 'ipv6' });
            }
            colon = text.indexOf(':', start + s.length);
            continue;
          }
          // Skip the rest of this hex/colon run: no address starts inside it.
          let end = colon + 1;
          while (end < text.length && (isHexCode(text.charCodeAt(end)) || text.charCodeAt(end) === 58)) end++;
          colon = text.indexOf(':', end);
          continue;
        }
      }
      colon = text.indexOf(':', colon + 1);
    }
  },
};
