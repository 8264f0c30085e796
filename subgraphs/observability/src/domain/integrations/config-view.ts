// The observability configuration for administrators, one setting per line. A value that came from a secret
// reference is shown as that reference (env:…, keystore:…); a secret given literally is shown as set or not,
// never its value; credentials inside URLs are removed.
import type { Viewer } from '@sting/kit';
import { authorize } from '../policies.ts';
import { displayUrl } from './loki-status.ts';

export interface ConfigSetting {
  key: string;
  /** Strings as they are; numbers and booleans as text; null when unset. */
  value: string | null;
  secret: boolean;
}

/** Keys whose value is a credential, wherever they sit in the section. */
const SECRET_KEY = /(token|secret|password|apikey|key)$/i;

export function observabilityConfigView(
  viewer: Viewer | null,
  section: unknown,
  references: Readonly<Record<string, string>>,
): ConfigSetting[] {
  authorize(viewer, 'readObservabilityConfig');
  const out: ConfigSetting[] = [];
  const walk = (node: unknown, path: string) => {
    if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`);
      return;
    }
    const reference = references[path];
    const leaf = path.slice(path.lastIndexOf('.') + 1);
    if (reference !== undefined) out.push({ key: path, value: reference, secret: true });
    else if (SECRET_KEY.test(leaf)) out.push({ key: path, value: node ? '(set)' : null, secret: true });
    else if (typeof node === 'string')
      out.push({ key: path, value: /^https?:\/\//.test(node) ? displayUrl(node) : node, secret: false });
    else
      out.push({
        key: path,
        value: node === null || node === undefined ? null : String(node),
        secret: false,
      });
  };
  walk(section ?? {}, 'observability');
  return out.sort((a, b) => a.key.localeCompare(b.key));
}
