import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API runs separately in development (`funnel serve`, default port 3000); the dev server
// proxies /api to it. In production the API serves apps/web/dist itself.
const apiTarget = process.env.FUNNEL_API ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  server: { port: 5173, proxy: { '/api': { target: apiTarget, changeOrigin: false } } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
});
