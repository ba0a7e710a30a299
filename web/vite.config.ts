import { defineConfig } from 'vitest/config';

// The bridge serves web/dist itself; during `npm run dev` point the proxy at a running bridge
// with SENSOR_BRIDGE_URL (e.g. http://127.0.0.1:8080).
const bridge = process.env['SENSOR_BRIDGE_URL'] ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': bridge,
      '/ws': { target: bridge.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
