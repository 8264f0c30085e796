// Secrets recognised by the name of their key, in `key=value`, `key: value`, JSON (`"key":"value"`,
// also JSON-escaped inside another string) and HTTP header forms, plus `Bearer <token>` anywhere.
// One case-insensitive pass finds key-name stems; everything after that is bounded local parsing.
import type { Detector, Span } from '../types.ts';
import { T_KEY } from '../triggers.ts';
import { isDigit } from './char-classes.ts';
import { classifyKey, isHeaderKey } from './secret-keys.ts';

const STEMS = /pass|pwd|secret|token|api[-_.]?key|private[-_.]?key|auth|cookie|sess|credential|bearer/gi;
const MAX_KEY = 64;
const MAX_VALUE = 4096;

function isKeyChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c) || c === 95 || c === 46 || c === 45;
}

function isTokenChar(c: number): boolean {
  // RFC 6750 b64token: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" (and trailing "=")
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    isDigit(c) ||
    c === 45 ||
    c === 46 ||
    c === 95 ||
    c === 126 ||
    c === 43 ||
    c === 47
  );
}

/** Characters that end an unquoted value in logfmt, query strings and JSON-ish text. */
function endsPlainValue(c: number): boolean {
  return (
    c <= 32 ||
    c === 38 ||
    c === 44 ||
    c === 59 ||
    c === 34 ||
    c === 39 ||
    c === 125 ||
    c === 41 ||
    c === 93 ||
    c === 60 ||
    c === 62 ||
    c === 92
  );
}

function skipSpaces(text: string, i: number): number {
  const limit = Math.min(text.length, i + 8);
  while (i < limit && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}

/** Values that carry no secret: flags, nulls, and output of an earlier redaction. */
function inert(value: string): boolean {
  if (value.length === 0) return true;
  const v = value.length <= 9 ? value.toLowerCase() : '';
  if (v === 'true' || v === 'false' || v === 'null' || v === 'undefined' || v === 'none' || v === 'nil')
    return true;
  if (/^\*+$/.test(value)) return true;
  return value.charCodeAt(0) === 91 && /^\[[A-Z0-9_]+(?:[:# ][^\]]*)?\]$/.test(value);
}

/** `Bearer <token>`: the token must contain a digit, which keeps prose ("Bearer authentication") out. */
function bearerAt(text: string, at: number, out: Span[]): number {
  if (at > 0 && isKeyChar(text.charCodeAt(at - 1))) return at + 6;
  let i = at + 6;
  if (text.charCodeAt(i) !== 32) return i;
  i = skipSpaces(text, i);
  const start = i;
  const limit = Math.min(text.length, i + MAX_VALUE);
  let digit = false;
  while (i < limit && isTokenChar(text.charCodeAt(i))) {
    if (isDigit(text.charCodeAt(i))) digit = true;
    i++;
  }
  while (i < limit && text.charCodeAt(i) === 61) i++;
  if (i - start >= 8 && digit) out.push({ start, end: i, type: 'bearer_token' });
  return i;
}

const UUID_LENGTH = 36;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `api_key:<uuid>`: how the audit log and the logs name the API key that acted (as `user:<uuid>` names
 * a person). The uuid is the key's id, which identifies it and grants nothing; the key itself
 * (`sting_…`) is still redacted wherever it appears. Only this exact spelling, glued to its colon,
 * with the id alone as the value: `api_key: <uuid>` or `"api_key":"<uuid>"` stay secrets.
 */
function keyIdAt(text: string, keyStart: number, keyEnd: number): boolean {
  if (keyEnd - keyStart !== 7 || !text.startsWith('api_key', keyStart)) return false;
  const start = keyEnd + 1;
  const end = start + UUID_LENGTH;
  if (end > text.length || (end < text.length && !endsPlainValue(text.charCodeAt(end)))) return false;
  return UUID.test(text.slice(start, end));
}

interface ValueRange {
  start: number;
  end: number;
}

function quotedValue(text: string, i: number): ValueRange | null {
  const c = text.charCodeAt(i);
  if (c === 92 && text.charCodeAt(i + 1) === 34) {
    // JSON-escaped JSON: the value ends at the next escaped quote.
    const close = text.indexOf('\\"', i + 2);
    return close === -1 || close - i > MAX_VALUE ? null : { start: i + 2, end: close };
  }
  const limit = Math.min(text.length, i + MAX_VALUE);
  for (let j = i + 1; j < limit; j++) {
    const d = text.charCodeAt(j);
    if (d === 92 && c === 34) j++;
    else if (d === c) return { start: i + 1, end: j };
  }
  return null;
}

/** Splits `Bearer abc` into the readable scheme and the credential; `bearer` says which scheme. */
function afterScheme(text: string, range: ValueRange): ValueRange & { bearer: boolean } {
  const space = text.indexOf(' ', range.start);
  if (space === -1 || space >= range.end || space - range.start > 24) return { ...range, bearer: false };
  const scheme = text.slice(range.start, space);
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(scheme)) return { ...range, bearer: false };
  const start = skipSpaces(text, space);
  const lower = scheme.toLowerCase();
  if (lower === 'bearer' || lower === 'basic' || lower === 'token') {
    // These schemes carry exactly one token: it ends at the first space.
    let end = start;
    while (end < range.end && text.charCodeAt(end) > 32) end++;
    return { start, end, bearer: lower === 'bearer' };
  }
  return { start, end: range.end, bearer: false };
}

/** An unquoted header value: to the end of the line, or of the enclosing quoted string. */
function headerValue(text: string, i: number, key: string): ValueRange {
  const limit = Math.min(text.length, i + MAX_VALUE);
  let end = i;
  while (end < limit) {
    const c = text.charCodeAt(end);
    if (c === 10 || c === 13 || c === 34) break;
    end++;
  }
  if (text.charCodeAt(end - 1) === 92) end--;
  if (key === 'cookie' || key === 'setcookie') {
    // `a=1; b=2; Path=/; HttpOnly`: pairs joined by "; "; whatever follows the last pair is not the cookie.
    let j = i;
    while (j < end) {
      while (j < end && text.charCodeAt(j) > 32 && text.charCodeAt(j) !== 59) j++;
      if (text.charCodeAt(j) === 59 && text.charCodeAt(j + 1) === 32) j += 2;
      else break;
    }
    end = j;
  }
  while (end > i && text.charCodeAt(end - 1) === 32) end--;
  return { start: i, end };
}

function keyValueAt(text: string, at: number, out: Span[]): number {
  let ks = at;
  const floor = Math.max(0, at - MAX_KEY);
  while (ks > floor && isKeyChar(text.charCodeAt(ks - 1))) ks--;
  let ke = at;
  const ceiling = Math.min(text.length, at + MAX_KEY);
  while (ke < ceiling && isKeyChar(text.charCodeAt(ke))) ke++;
  const key = text.slice(ks, ke);
  const type = classifyKey(key);
  if (type === null) return ke;
  const normalised = key.toLowerCase().replace(/[-_.]/g, '');

  let i = ke;
  const q = text.charCodeAt(i);
  if (q === 34 || q === 39) i++;
  else if (q === 92 && text.charCodeAt(i + 1) === 34) i += 2;
  i = skipSpaces(text, i);
  const sep = text.charCodeAt(i);
  if (sep !== 61 && sep !== 58) return ke;
  if (sep === 58 && i === ke && keyIdAt(text, ks, ke)) return ke + 1 + UUID_LENGTH;
  i++;
  if (text.charCodeAt(i) === 61 || text.charCodeAt(i) === 62) i++; // `:=` and `=>`
  i = skipSpaces(text, i);

  const v = text.charCodeAt(i);
  let range: ValueRange | null;
  let spanType = type;
  if (v === 34 || v === 39 || (v === 92 && text.charCodeAt(i + 1) === 34)) {
    range = quotedValue(text, i);
  } else if (sep === 58 && isHeaderKey(key)) {
    range = headerValue(text, i, normalised);
  } else {
    const limit = Math.min(text.length, i + MAX_VALUE);
    let end = i;
    while (end < limit && !endsPlainValue(text.charCodeAt(end))) end++;
    range = { start: i, end };
  }
  if (range !== null && (normalised === 'authorization' || normalised === 'proxyauthorization')) {
    const credential = afterScheme(text, range);
    if (credential.bearer) spanType = 'bearer_token';
    range = credential;
  }
  if (range === null || inert(text.slice(range.start, range.end))) return i;
  if (v === 123 || v === 91) return i; // a nested object or array: its own keys are matched separately
  out.push({ start: range.start, end: range.end, type: spanType });
  return range.end;
}

export const keyNameDetector: Detector = {
  types: ['secret', 'bearer_token', 'aws_secret_key'],
  trigger: T_KEY,
  detect(text: string, out: Span[]): void {
    STEMS.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = STEMS.exec(text)) !== null) {
      const next =
        m[0].length === 6 && m[0].toLowerCase() === 'bearer'
          ? bearerAt(text, m.index, out)
          : keyValueAt(text, m.index, out);
      STEMS.lastIndex = Math.max(next, m.index + 1);
    }
  },
};
