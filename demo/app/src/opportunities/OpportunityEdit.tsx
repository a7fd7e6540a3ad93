import type { ReactNode } from 'react';
import { Edit, SimpleForm } from 'react-admin';
import { OpportunityInputs } from './OpportunityInputs.js';
import { SyncProductsPanel } from './SyncProductsPanel.js';

/** Edits an opportunity; below the form, its products, replaced at once by the `sync_opportunity_products` RPC. */
export function OpportunityEdit(): ReactNode {
  return (
    <Edit mutationMode="pessimistic" aside={<SyncProductsPanel />} transform={({ products: _products, ...data }) => data}>
      <SimpleForm>
        <OpportunityInputs />
      </SimpleForm>
    </Edit>
  );
}
