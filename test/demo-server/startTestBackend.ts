import { createBackend, type Backend, type BackendOptions } from '../../demo/server/createBackend.js';

/**
 * A backend on 127.0.0.1, random port, in memory. It loads the database image the first start left in the
 * default snapshot directory, so only the first test file of a run pays for initdb.
 */
export function startTestBackend(options: BackendOptions = {}): Promise<Backend> {
  return createBackend({ host: '127.0.0.1', port: 0, ...options });
}
