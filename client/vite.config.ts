import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { compression } from 'vite-plugin-compression2';
import { roomtonePwa } from './build/pwa-plugin.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const target = process.env.ROOMTONE_URL ?? 'https://127.0.0.1:8443';

/**
 * The browser client. `npm run build` writes client/dist, which the server serves with an
 * SPA fallback. `vite --config client/vite.config.ts` runs a dev server that proxies the
 * API, socket.io and y-websocket to a running Roomtone (ROOMTONE_URL).
 */
export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      '/api': { target, secure: false, changeOrigin: false },
      '/healthz': { target, secure: false },
      '/socket.io': { target, secure: false, ws: true },
      '/yjs': { target, secure: false, ws: true },
    },
  },
  // Brotli and gzip copies beside each text asset, made once at build: the server hands
  // them out as they are (express-static-gzip), so a page load costs the studio machine
  // no compression work while Live owns its CPU.
  plugins: [roomtonePwa(), compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024, exclude: [/\.map$/, /\.png$/], logLevel: 'silent' })],
});
