// The playground page's script: GraphiQL against this gateway, queries over HTTP and subscriptions over
// graphql-ws at the same address. Bundled by gateway/scripts/build-playground.ts.
import './monaco-workers.ts';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { exampleTabs } from './examples.ts';

const root = document.getElementById('playground');
if (!root) throw new Error('The playground page has no #playground element');

// The endpoint comes from the page (it may be mounted elsewhere); the socket URL follows the page's own origin.
const url = new URL(root.dataset.endpoint ?? '/graphql', window.location.href);
const subscriptionUrl = new URL(url);
subscriptionUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';

const fetcher = createGraphiQLFetcher({
  url: url.href,
  subscriptionUrl: subscriptionUrl.href,
  // The session cookie travels with same-origin requests; nothing else is needed to act as the signed-in user.
  fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }),
});

createRoot(root).render(
  createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true, defaultTabs: exampleTabs }),
);
