import BoltIcon from '@mui/icons-material/Bolt';
import ListAltIcon from '@mui/icons-material/ListAlt';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import type { ReactNode } from 'react';
import { Menu } from 'react-admin';

/** The resources, then the demo's own pages: Import, Storm & faults, Event log. */
export function DemoMenu(): ReactNode {
  return (
    <Menu>
      <Menu.ResourceItems />
      <Menu.Item to="/import" primaryText="Import contacts" leftIcon={<UploadFileIcon />} data-testid="menu-import" />
      <Menu.Item to="/storm" primaryText="Storm & faults" leftIcon={<BoltIcon />} data-testid="menu-storm" />
      <Menu.Item to="/events" primaryText="Event log" leftIcon={<ListAltIcon />} data-testid="menu-events" />
    </Menu>
  );
}
