import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The React Admin demo. `npm start` (demo/start.ts) runs it with the embedded backend; `npx vite demo/app` runs it
 * alone against VITE_SUPABASE_URL (default http://127.0.0.1:54321, the backend of `npx tsx demo/server/main.ts`).
 * Vite demands a default export here.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  server: { port: 5173 },
  preview: { port: 5173 },
  build: { outDir: fileURLToPath(new URL('../dist', import.meta.url)), emptyOutDir: true, chunkSizeWarningLimit: 4096 },
});
