import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { API_KEY } from './startBackend.js';

/**
 * A real supabase-js client for Node 20: `ws` as the realtime transport (supabase-js >= 2.105.2 refuses to start
 * without a WebSocket), no session persistence and no token refresh timer.
 */
export function createTestClient(url: string, fetch?: typeof globalThis.fetch): SupabaseClient {
  return createClient(url, API_KEY, {
    ...(fetch === undefined ? {} : { global: { fetch } }),
    realtime: { transport: WebSocket as unknown as NonNullable<NonNullable<Parameters<typeof createClient>[2]>['realtime']>['transport'] },
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}
