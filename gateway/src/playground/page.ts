// The playground's HTML shell: references only this gateway's own assets, under a policy that forbids others.
export const PLAYGROUND_PATH = '/playground';
export const ASSETS_PATH = `${PLAYGROUND_PATH}/assets/`;

/** Monaco sets inline styles, hence 'unsafe-inline' for styles only; scripts, workers and sockets stay 'self'. */
export const PLAYGROUND_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function playgroundHtml(endpoint: string, version: string): string {
  const asset = (file: string) => `${ASSETS_PATH}${file}?v=${encodeURIComponent(version)}`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>STING GraphQL playground</title>
    <link rel="stylesheet" href="${asset('playground.css')}" />
    <link rel="stylesheet" href="${asset('graphiql.css')}" />
    <style>
      html, body, #playground { height: 100%; margin: 0; }
    </style>
  </head>
  <body>
    <div id="playground" data-endpoint="${escapeAttribute(endpoint)}"></div>
    <script type="module" src="${asset('playground.js')}"></script>
  </body>
</html>
`;
}
