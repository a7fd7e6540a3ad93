import type { ReactNode } from 'react';
import { Create, SimpleForm } from 'react-admin';
import { OpportunityInputs } from './OpportunityInputs.js';

/** Creates an opportunity (its products start empty; add them with "Sync products" on the edit page). */
export function OpportunityCreate(): ReactNode {
  return (
    <Create redirect="edit">
      <SimpleForm>
        <OpportunityInputs />
      </SimpleForm>
    </Create>
  );
}
