import { createBrowserInspector } from '@statelyai/inspect';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { QueryClient } from '@tanstack/react-query';
import type { InspectionEvent } from 'xstate';
import { createPacer, type ExecutorOptions, type Pacer } from '../../../../src/index.js';
import { createHttpClient, type CircuitRegistry, type HttpClient } from '../../../../src/ra-core/index.js';
import { persistCircuit, sharePacerAcrossTabs } from '../../../../src/sync/index.js';
import { probeEveryCircuit } from '../circuits/probeEveryCircuit.js';
import { createEventLog, type EventLog } from '../inspector/createEventLog.js';
import { createCircuitFetch } from './createCircuitFetch.js';
import { createControlClient, type ControlClient } from './createControlClient.js';
import { createDemoDataProvider, type DemoDataProvider } from './createDemoDataProvider.js';
import type { DemoConfig } from './readDemoConfig.js';

/** The Stately inspector connection, when the page was opened with `?inspect`. */
export interface StatelyInspector {
  /** Opens https://stately.ai/inspect in a new window (needs internet; call it from a click so it is not blocked). */
  start(): void;
}

/** Everything the demo's pages share. Built once per page load by {@link createDemoServices}. */
export interface DemoServices {
  readonly config: DemoConfig;
  readonly dataProvider: DemoDataProvider;
  /** The data provider's circuits, one per resource, created on a resource's first call. */
  readonly circuits: CircuitRegistry;
  readonly queryClient: QueryClient;
  readonly supabaseClient: SupabaseClient;
  /** The header-keeping http client the data provider uses (and the import). */
  readonly httpClient: HttpClient;
  /** `${apiUrl}/rest/v1` */
  readonly restUrl: string;
  readonly eventLog: EventLog;
  readonly inspector: StatelyInspector | null;
  readonly control: ControlClient;
  /** The pacer every resource of this tab goes through: what it learnt of the server's limit. */
  readonly pacer: Pacer;
}

/**
 * Wires the demo: one event log (always, offline) and, with `?inspect`, the Stately inspector, both fed by the
 * executors' `inspect` option; the data provider with a circuit per resource; supabase-js sending each request
 * through the circuit of its resource; a QueryClient that does not retry (the executors do).
 *
 * @example
 * const services = createDemoServices(readDemoConfig(import.meta.env, location.search))
 * services.dataProvider.circuits.list() // [] until the first call
 */
export function createDemoServices(config: DemoConfig): DemoServices {
  const eventLog = createEventLog({ limit: 200 });
  // Created stopped: the inspector window is opened from a click (a popup opened on load would be blocked).
  const stately = config.inspect ? createBrowserInspector({ autoStart: false, maxDeferredEvents: 1000 }) : null;
  const inspect = (event: InspectionEvent): void => {
    eventLog.inspect(event);
    stately?.inspect.next?.(event);
  };
  // One pacer for every resource (the limit is per client), telling the other tabs what it learns of the limit.
  const pacer = createPacer({ shareAcrossTabs: sharePacerAcrossTabs({ name: `demo ${config.apiUrl}` }) });
  const executorOptions: ExecutorOptions = {
    openDurationMs: config.openDurationMs,
    inspect,
    logger: eventLog.logger,
    // Each resource's circuit survives a reload and is one circuit across the demo's tabs (`<name>/<resource>`).
    persist: persistCircuit({ name: `demo ${config.apiUrl}`, shareAcrossTabs: true }),
    pacer,
  };

  const restUrl = `${config.apiUrl}/rest/v1`;
  // ra-supabase-core's own httpClient adds the apikey; ours must too, and keeps the headers of failed responses.
  const httpClient = createHttpClient({ headers: { apikey: config.anonKey } });

  // supabase-js needs its fetch now, the circuits exist once the data provider does: bind them when it is built.
  let throughCircuits: typeof fetch | undefined;
  const supabaseClient = createClient(config.apiUrl, config.anonKey, {
    global: {
      fetch: (input, init) =>
        throughCircuits === undefined ? Promise.reject(new Error('The demo data provider is not built yet.')) : throughCircuits(input, init),
    },
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  const dataProvider = createDemoDataProvider({ apiUrl: config.apiUrl, anonKey: config.anonKey, httpClient, supabaseClient, executorOptions });
  const circuits = dataProvider.circuits;
  throughCircuits = createCircuitFetch(circuits);
  // Recovery without a click: a half-open circuit with no call for `probeDelayMs` reads one row of its resource as
  // the trial, through the same http client as the data provider (inside the circuit's own execute()).
  probeEveryCircuit(circuits, {
    delayMs: config.probeDelayMs,
    probe: (resource, signal) => httpClient(`${restUrl}/${encodeURIComponent(resource)}?limit=1`, { method: 'GET', signal }),
    // The failure has already reopened the circuit (and the executor logged it); keep the detail for the console.
    onError: (resource, error) => console.debug(`Recovery probe of ${resource} failed`, error),
  });

  return {
    config,
    dataProvider,
    circuits,
    // The executors retry; TanStack Query retrying on top would multiply the attempts.
    queryClient: new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } }),
    supabaseClient,
    httpClient,
    restUrl,
    eventLog,
    inspector: stately === null ? null : { start: () => stately.start() },
    control: createControlClient(config.apiUrl),
    pacer,
  };
}
