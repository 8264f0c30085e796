// The request target as every handler reads it: a path starting with one `/` (origin-form), with its query. A
// target in absolute-form (`GET http://host/path`, as sent to a proxy) is read as its path and query. Everything
// else is refused before any handler parses it:
// - a path starting with `//`: `new URL('//evil.example/api/v1/x', base)` reads it as another host's
//   `/api/v1/x`, so a proxy in front that guards `/api/...` by prefix would pass it and STING would serve it;
// - a target that is no URL at all (`http://[::1/x`), which every handler's URL parse would throw on (a 500).
// `OPTIONS *` (asterisk-form) is left as it is.

/** The target in origin-form, or undefined when it is to be refused. */
export function originForm(target: string | undefined): string | undefined {
  if (target === undefined || target === '*') return target;
  let form = target;
  if (!target.startsWith('/')) {
    try {
      const url = new URL(target);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
      form = url.pathname + url.search;
    } catch {
      return undefined;
    }
  }
  if (form.startsWith('//')) return undefined;
  try {
    new URL(form, 'http://gateway.invalid');
  } catch {
    return undefined;
  }
  return form;
}
