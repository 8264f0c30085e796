// IPv4 and IPv6 addresses, validated by parsing (octets ≤ 255 without leading zeros; IPv6 group
// counts, one `::`, optional dotted IPv4 tail). Loopback and unspecified addresses identify nobody
// and pass through.
import type { Detector, Span } from '../types.ts';

const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)/g;
// Starts only at the beginning of a hex/colon run (lookbehind), every quantifier bounded.
// A colon within the first five characters lets most attempts fail after a few steps.
const IPV6 = /(?<![\w:.%])(?:[0-9A-Fa-f]{1,4}:|::)[0-9A-Fa-f:]{1,37}(?:\.\d{1,3}){0,3}(?:%[\w.]{1,15})?(?![\w:])/g;

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

function reportableIpv6(s: string): boolean {
  const groups = ipv6Groups(s);
  if (groups === -1) return false;
  // `::`, `::1` and one-group-plus-`::` strings such as `a::` are too short to be anyone's address.
  if (groups < 2 && !/^fe80::/i.test(s)) return false;
  return true;
}

export const ipv4Detector: Detector = {
  types: ['ipv4'],
  detect(text: string, out: Span[]): void {
    if (text.indexOf('.') === -1) return;
    IPV4.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = IPV4.exec(text)) !== null) {
      if (reportableIpv4(m[0])) out.push({ start: m.index, end: m.index + m[0].length, type: 'ipv4' });
    }
  },
};

export const ipv6Detector: Detector = {
  types: ['ipv6'],
  detect(text: string, out: Span[]): void {
    if (text.indexOf(':') === -1) return;
    IPV6.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = IPV6.exec(text)) !== null) {
      const s = m[0];
      // Cheap shape test before parsing: an address has at least two colons.
      if (s.indexOf(':') === s.lastIndexOf(':')) continue;
      if (reportableIpv6(s)) out.push({ start: m.index, end: m.index + s.length, type: 'ipv6' });
    }
  },
};
