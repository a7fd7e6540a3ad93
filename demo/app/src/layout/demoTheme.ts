import type { ThemeOptions } from '@mui/material';
import { defaultTheme } from 'react-admin';

/**
 * react-admin's light theme with colours whose text meets WCAG 2.2 AA (4.5:1) where the demo shows them: the app bar
 * (white on `secondary`, 3.1:1 with react-admin's #2196f3, 5.6:1 with #0069c0), text buttons (`primary` on the page
 * background, 4.4:1 with MUI's #1976d2, 5.5:1 with #1565c0) and the warning buttons (white on `warning`, 3.8:1 with
 * MUI's #e65100, 5.9:1 with #b23c00), the Delete button on the form toolbar's grey (3.8:1 with MUI's #d32f2f,
 * 5.0:1 with #b71c1c). A progress indicator without a name of its own (react-admin's spinners, in
 * an input whose choices are loading or cannot load while a circuit is open) is named "Loading" (ARIA requires a
 * name on a progressbar). axe-core checks every page with it (test/browser/demoPagesPassAxe.test.ts).
 */
export const demoTheme: ThemeOptions = {
  ...defaultTheme,
  palette: {
    ...defaultTheme.palette,
    primary: { main: '#1565c0', contrastText: '#fff' },
    secondary: { light: '#6ec6ff', main: '#0069c0', dark: '#004c8c', contrastText: '#fff' },
    warning: { main: '#b23c00', contrastText: '#fff' },
    error: { main: '#b71c1c', contrastText: '#fff' },
  },
  components: {
    ...defaultTheme.components,
    MuiCircularProgress: { defaultProps: { 'aria-label': 'Loading' } },
    MuiLinearProgress: { defaultProps: { 'aria-label': 'Loading' } },
  },
};
