import type { ReactNode } from 'react';
import { Layout } from 'react-admin';
import { DemoAppBar } from './DemoAppBar.js';
import { DemoMenu } from './DemoMenu.js';

/** react-admin's layout with the demo's app bar (circuit chips) and menu (the demo pages). */
export function DemoLayout({ children }: { readonly children?: ReactNode }): ReactNode {
  return (
    <Layout appBar={DemoAppBar} menu={DemoMenu}>
      {children}
    </Layout>
  );
}
