// A stand-in Grafana following its published HTTP API, enough for Beeacon's status: GET /api/health
// (`{ commit, database, version }`) and GET /api/search?type=dash-db (the dashboards it holds). Tests set the
// version and dashboards, read the Authorization headers it received, and can make it fail (`down`: 503).
import { createServer } from 'node:http';
import { listenLocally } from './listen.ts';

export interface StandInGrafana {
  url: string;
  version: string;
  dashboards: { uid: string; title: string }[];
  down: boolean;
  /** The Authorization header of each request, in order. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

export async function startStandInGrafana(): Promise<StandInGrafana> {
  const state = {
    version: '11.3.0',
    dashboards: [] as { uid: string; title: string }[],
    down: false,
    authorizations: [] as (string | undefined)[],
  };
  const server = createServer((req, res) => {
    state.authorizations.push(req.headers.authorization);
    const url = new URL(req.url ?? '/', 'http://grafana');
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (state.down) return json(503, { message: 'Service unavailable' });
    if (req.method === 'GET' && url.pathname === '/api/health') {
      return json(200, { commit: 'standin', database: 'ok', version: state.version });
    }
    if (req.method === 'GET' && url.pathname === '/api/search') {
      const type = url.searchParams.get('type');
      const hits = type && type !== 'dash-db' ? [] : state.dashboards;
      return json(
        200,
        hits.map((d, i) => ({ id: i + 1, uid: d.uid, title: d.title, type: 'dash-db', url: `/d/${d.uid}` })),
      );
    }
    return json(404, { message: 'Not found' });
  });
  return Object.assign(state, await listenLocally(server));
}
