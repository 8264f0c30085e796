// Builds the SPA into web/dist (served by the gateway at /), and in `npm run dev:web` serves it with hot reload,
// passing GraphQL (HTTP and graphql-ws) and the REST routes to a running gateway.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { inlineDocuments } from './scripts/inline-documents.ts';

const gateway = process.env.STING_GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  // Each graphql() call becomes its generated document, so an on-demand screen's documents stay in its chunk.
  plugins: [inlineDocuments(fileURLToPath(new URL('src', import.meta.url))), react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The bundle budget is checked by the build test (initial JavaScript ≤ 250 KB gzipped); the warning is noise.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: {
      '/graphql': { target: gateway, ws: true, changeOrigin: false },
      '/api': { target: gateway },
      '/playground': { target: gateway },
    },
  },
});
