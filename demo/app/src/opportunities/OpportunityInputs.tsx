import type { ReactNode } from 'react';
import { AutocompleteInput, NumberInput, ReferenceInput, required, SelectInput, TextInput } from 'react-admin';
import { opportunityStageChoices } from './opportunityStageChoices.js';

/** The fields of an opportunity form, shared by create and edit. Products are changed with "Sync products". */
export function OpportunityInputs(): ReactNode {
  return (
    <>
      <TextInput source="name" validate={required()} />
      {/* In euros with cents (numeric(12, 2)): step 0.01 so the browser accepts 4500.50. */}
      <NumberInput source="amount" min={0} step={0.01} />
      <SelectInput source="stage" choices={opportunityStageChoices} emptyText="(none)" />
      <ReferenceInput source="contact_id" reference="contacts" sort={{ field: 'email', order: 'ASC' }}>
        <AutocompleteInput optionText="email" filterToQuery={(search) => (search ? { 'email@ilike': search } : {})} label="Contact" />
      </ReferenceInput>
    </>
  );
}
