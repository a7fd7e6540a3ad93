import BusinessCenterIcon from '@mui/icons-material/BusinessCenter';
import GroupWorkIcon from '@mui/icons-material/GroupWork';
import PeopleIcon from '@mui/icons-material/People';
import type { ReactNode } from 'react';
import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import { ContactCreate } from './contacts/ContactCreate.js';
import { ContactEdit } from './contacts/ContactEdit.js';
import { ContactList } from './contacts/ContactList.js';
import { ContactShow } from './contacts/ContactShow.js';
import { ImportPage } from './import/ImportPage.js';
import { EventLogPage } from './inspector/EventLogPage.js';
import { DemoLayout } from './layout/DemoLayout.js';
import { demoTheme } from './layout/demoTheme.js';
import { OpportunityCreate } from './opportunities/OpportunityCreate.js';
import { OpportunityEdit } from './opportunities/OpportunityEdit.js';
import { OpportunityList } from './opportunities/OpportunityList.js';
import type { Contact } from './records.js';
import { SegmentCreate } from './segments/SegmentCreate.js';
import { SegmentList } from './segments/SegmentList.js';
import type { DemoServices } from './services/createDemoServices.js';
import { DemoServicesContext } from './services/DemoServicesContext.js';
import { StormPage } from './storm/StormPage.js';

function contactName(record: Contact): string {
  return [record.first_name, record.last_name].filter(Boolean).join(' ') || record.email || record.id;
}

/** The demo: react-admin on the Supabase data provider, a circuit per resource, and the Import, Storm and Event log pages. */
export function App({ services }: { readonly services: DemoServices }): ReactNode {
  return (
    <DemoServicesContext.Provider value={services}>
      <Admin
        dataProvider={services.dataProvider}
        queryClient={services.queryClient}
        layout={DemoLayout}
        theme={demoTheme}
        title="xstate-circuit-breaker demo"
        disableTelemetry
        requireAuth={false}
      >
        <Resource
          name="contacts"
          list={ContactList}
          edit={ContactEdit}
          create={ContactCreate}
          show={ContactShow}
          icon={PeopleIcon}
          recordRepresentation={contactName}
        />
        <Resource
          name="opportunities"
          list={OpportunityList}
          edit={OpportunityEdit}
          create={OpportunityCreate}
          icon={BusinessCenterIcon}
          recordRepresentation="name"
        />
        <Resource name="segments" list={SegmentList} create={SegmentCreate} icon={GroupWorkIcon} recordRepresentation="name" />
        <CustomRoutes>
          <Route path="/import" element={<ImportPage />} />
          <Route path="/storm" element={<StormPage />} />
          <Route path="/events" element={<EventLogPage />} />
        </CustomRoutes>
      </Admin>
    </DemoServicesContext.Provider>
  );
}
