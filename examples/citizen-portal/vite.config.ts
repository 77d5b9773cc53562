// Two pages (the citizen portal and the agent console), one bundle each, nothing from a CDN.
// `vite` (dev) proxies /graphql to the gateway, so the browser talks to one origin: no CORS.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: Number(process.env.PORTAL_PORT ?? 5173),
    strictPort: true,
    proxy: { '/graphql': { target: gateway, changeOrigin: false } },
  },
  preview: { proxy: { '/graphql': { target: gateway } } },
  // Relative asset URLs: the build can be served from any path.
  base: './',
  build: {
    rollupOptions: {
      input: { portal: 'index.html', agent: 'agent.html' },
    },
  },
});
