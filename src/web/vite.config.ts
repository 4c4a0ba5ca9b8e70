/**
 * Vite build of the dashboard: src/web → src/web/dist, served by the API role at `/`. Hashed file
 * names under assets/ let the server cache them for a year; index.html is revalidated.
 * Checked by the root tsconfig (it runs in Node), not by src/web/tsconfig.json (browser code).
 */
import { defineConfig } from 'vite'

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 400,
    rollupOptions: {
      output: {
        // The chart library in a chunk of its own: only the chart views load it, and it is cached
        // across dashboard releases that do not upgrade it.
        manualChunks: (id: string) =>
          id.includes('node_modules/lightweight-charts') ? 'lightweight-charts' : undefined
      }
    }
  },
  server: {
    // `vite --config src/web/vite.config.ts` for hot reload against a running API on :8080.
    proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true } }
  }
})
