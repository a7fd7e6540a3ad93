import type { ReactNode } from 'react';
import { Layout } from 'react-admin';
import { useRefreshOnCircuitClose } from '../../../../src/react-admin/index.js';
import { useDemoServices } from '../services/DemoServicesContext.js';
import { DemoAppBar } from './DemoAppBar.js';
import { DemoMenu } from './DemoMenu.js';

/** react-admin's layout with the demo's app bar (circuit chips) and menu (the demo pages); it refreshes on recovery. */
export function DemoLayout({ children }: { readonly children?: ReactNode }): ReactNode {
  // A page whose reads failed in an outage reads again once its circuit closes (the probe closes it without a click).
  useRefreshOnCircuitClose(useDemoServices().circuits);
  return (
    <Layout appBar={DemoAppBar} menu={DemoMenu}>
      {children}
    </Layout>
  );
}
