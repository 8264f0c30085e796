// Reading the platform's /metrics as Prometheus would: the gateway's, and in the distributed topology each
// subgraph service's, after a little traffic of every kind (sign-ins good and bad, queries across subgraphs, a
// refusal, REST and an unknown path).
import { randomUUID } from 'node:crypto';
import { ADMIN, graphql, postGraphQL, signIn, type IntegrationPlatform } from './platform.ts';

export function metricsUrls(it_: IntegrationPlatform, topology: 'embedded' | 'distributed'): string[] {
  const gateway = new URL('/metrics', it_.url).toString();
  if (topology === 'embedded') return [gateway];
  return [gateway, ...Object.values(it_.subgraphs).map((url) => new URL('/metrics', url).toString())];
}

export async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}

/** Every series name a query may use: sample names, and for each declared family what it exposes. */
export function metricNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      const [, name, kind] = type;
      if (kind === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
      else if (kind === 'summary') for (const s of ['', '_sum', '_count']) names.add(name + s);
      else names.add(name);
    } else if (line && !line.startsWith('#')) names.add(/^[^{ ]+/.exec(line)![0]);
  }
  return names;
}

/** Each sample's labels, by series name. */
export function samples(text: string): { name: string; labels: Record<string, string> }[] {
  const out: { name: string; labels: Record<string, string> }[] = [];
  for (const line of text.split('\n')) {
    const match = /^([^{ #]+)(?:\{(.*)\})? /.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    out.push({ name: match[1], labels });
  }
  return out;
}

/**
 * Traffic touching every front door and carrying `marker` wherever a caller can put text (operation names,
 * aliases, paths, user agents): none of it may become a label value.
 */
export async function driveTraffic(it_: IntegrationPlatform, marker: string): Promise<string> {
  const token = await signIn(it_.url, ADMIN.email, ADMIN.password);
  const wrong = await graphql(
    it_.url,
    `mutation ${marker} ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
    { e: `${marker}@example.com`, p: 'not the password' },
  );
  if (!wrong.errors) throw new Error('a wrong password signed in');
  const created = await graphql(
    it_.url,
    'mutation ($n: String!) { createHoneyJar(input: { name: $n }) { id } }',
    { n: `jar ${marker}` },
    token,
  );
  const jar = created.data.createHoneyJar.id as string;
  await postGraphQL(
    it_.url,
    `query ${marker} { ${marker}: honeyJars { nodes { id name owner { displayName } } } }`,
    { authorization: `Bearer ${token}`, 'user-agent': marker },
  );
  await graphql(it_.url, `{ honeyJar(id: "${jar}") { id } }`, undefined, token);
  await graphql(it_.url, `{ honeyJar(id: "${randomUUID()}") { id } }`, undefined, token);
  await graphql(it_.url, `{ ${marker} }`, undefined, token);
  await graphql(it_.url, '{ honeyJars { nodes { id } } }');
  await fetch(new URL(`/api/v1/honey-pots/${jar}`, it_.url), {
    headers: { authorization: `Bearer ${token}` },
  });
  await fetch(new URL(`/${marker}/${randomUUID()}`, it_.url));
  return token;
}
