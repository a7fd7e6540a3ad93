import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    machines: 'machines/index.ts',
    react: 'src/react/index.ts',
    'react-admin': 'src/react-admin/index.ts',
    'ra-core': 'src/ra-core/index.ts',
    supabase: 'src/supabase/index.ts',
    persist: 'src/sync/index.ts',
    redis: 'src/redis/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  // No source maps: the tarball ships neither maps nor src/, so a map would point at files that are not there.
  sourcemap: false,
  clean: true,
  target: 'es2022',
  splitting: true,
  treeshake: true,
  // Frameworks are optional peers: never bundled, only imported by their own subpath.
  external: [/^react($|\/)/, /^react-dom($|\/)/, /^@xstate\//, /^ra-core/, /^@mui\//, /^@supabase\//, 'xstate', /^redis$/, /^@redis\//],
});
