// A graphql-ws client following alertRaised with a person's token: the titles it received and the code its socket
// closed with (4401 signed out, 4403 changed viewer).
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

export function followAlerts(url: string, token: string) {
  const titles: string[] = [];
  let closed: number | undefined;
  const client = createClient({
    url: url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    on: { closed: (event) => void (closed = (event as { code: number }).code) },
  });
  client.subscribe(
    { query: 'subscription { alertRaised { title } }' },
    {
      next: (value) => void titles.push((value.data as { alertRaised: { title: string } }).alertRaised.title),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return { client, titles, closedWith: () => closed };
}
