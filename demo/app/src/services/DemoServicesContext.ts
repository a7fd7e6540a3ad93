import { createContext, useContext } from 'react';
import type { DemoServices } from './createDemoServices.js';

/** Gives the demo's pages its services; see {@link useDemoServices}. */
export const DemoServicesContext = createContext<DemoServices | null>(null);

/**
 * The demo's services (data provider, circuits, event log, control client). Throws outside `<App>`.
 *
 * @example
 * const { circuits } = useDemoServices()
 */
export function useDemoServices(): DemoServices {
  const services = useContext(DemoServicesContext);
  if (services === null) {
    throw new Error('useDemoServices() must be used inside <DemoServicesContext.Provider value={createDemoServices(config)}> (see App.tsx).');
  }
  return services;
}
