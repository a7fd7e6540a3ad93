import { Box, Button, Tooltip } from '@mui/material';
import type { ReactNode } from 'react';
import { AppBar, TitlePortal } from 'react-admin';
import { CircuitChips } from '../circuits/CircuitChips.js';
import { useDemoServices } from '../services/DemoServicesContext.js';

/** The app bar: the page title, a chip per resource circuit, and with `?inspect` the button that opens the Stately inspector. */
export function DemoAppBar(): ReactNode {
  const { inspector } = useDemoServices();
  return (
    <AppBar>
      <TitlePortal />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mr: 1 }}>
        <CircuitChips />
        {inspector === null ? null : (
          // describeChild: the tooltip describes the button (aria-describedby) instead of naming it, so its accessible
          // name stays its visible label (WCAG 2.5.3, Label in Name) and a voice user can say "click Stately inspector".
          <Tooltip describeChild title="Opens stately.ai/inspect in a new window, which needs internet. The event log works offline.">
            <Button color="inherit" variant="outlined" size="small" onClick={() => inspector.start()} data-testid="open-inspector">
              Stately inspector
            </Button>
          </Tooltip>
        )}
      </Box>
    </AppBar>
  );
}
