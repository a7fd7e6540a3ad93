import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { createDemoServices } from './services/createDemoServices.js';
import { readDemoConfig } from './services/readDemoConfig.js';

// Vite replaces import.meta.env; read through a cast so the root type check needs no vite/client types.
const env = (import.meta as ImportMeta & { env?: Record<string, unknown> }).env ?? {};
const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no <div id="root">.');

const root = createRoot(container);
try {
  const services = createDemoServices(readDemoConfig(env, window.location.search));
  root.render(
    <StrictMode>
      <App services={services} />
    </StrictMode>,
  );
} catch (error) {
  // A bad ?openMs or VITE_SUPABASE_URL: say which, instead of a blank page.
  root.render(<pre style={{ padding: 24, whiteSpace: 'pre-wrap' }}>{error instanceof Error ? error.message : String(error)}</pre>);
  throw error;
}
