// Builds the SPA into web/dist (served by the gateway at /), and in `npm run dev:web` serves it with hot reload,
// passing GraphQL (HTTP and graphql-ws) and the REST routes to a running gateway.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const gateway = process.env.STING_GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [react()],
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
