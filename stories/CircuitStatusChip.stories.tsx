import { AppBar, Toolbar, Typography } from '@mui/material';
import type { Meta, StoryObj } from '@storybook/react-vite';
import type { CircuitStateName } from '../src/index.js';
import { CircuitStatusChip } from '../src/react-admin/index.js';
import { executorInState, type CircuitInState, type ExecutorInStateOptions } from './support/executorInState.js';
import { loadedValue } from './support/loadedValue.js';

/** A loader that hands the story a real executor put into `state` (see `executorInState`). */
function circuitIn(state: CircuitStateName, options?: ExecutorInStateOptions): () => Promise<{ circuit: CircuitInState }> {
  return async () => ({ circuit: await executorInState(state, options) });
}

// CSF requires the `meta` as the default export (see CircuitStatusBadge.stories.tsx).
const meta = {
  title: 'React-admin/CircuitStatusChip',
  component: CircuitStatusChip,
  args: { label: 'contacts' },
  render: (args, { loaded }) => <CircuitStatusChip {...args} executor={loadedValue<CircuitInState>(loaded, 'circuit').executor} />,
} satisfies Meta<typeof CircuitStatusChip>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Success colour from the MUI theme. */
export const Closed: Story = { loaders: [circuitIn('closed')] };

/** Still closed, with 2 of the 5 consecutive failures that would open it (`failureThreshold: 5`). */
export const ClosedWithFailures: Story = { loaders: [circuitIn('closed', { failedCalls: 2, executor: { failureThreshold: 5 } })] };

/** Error colour, with the countdown to the trial. */
export const Open: Story = { loaders: [circuitIn('open')] };

/** Warning colour: the next call is a trial. */
export const HalfOpen: Story = { loaders: [circuitIn('halfOpen')] };

/** Default colour: held open by hand. */
export const Isolated: Story = { loaders: [circuitIn('isolated')] };

/** Outlined, medium: the `variant` and `size` of MUI's `Chip`. */
export const OutlinedMedium: Story = {
  args: { variant: 'outlined', size: 'medium' },
  loaders: [circuitIn('open')],
};

/** Where it lives in a react-admin app: in the app bar, shown only while something is wrong. */
export const InAppBar: Story = {
  args: { hideWhenClosed: true, sx: { bgcolor: 'background.paper' }, variant: 'outlined' },
  loaders: [circuitIn('open')],
  render: (args, { loaded }) => (
    <AppBar position="static">
      <Toolbar sx={{ gap: 2 }}>
        <Typography variant="h6" component="h1" sx={{ flexGrow: 1 }}>
          Contacts
        </Typography>
        <CircuitStatusChip {...args} executor={loadedValue<CircuitInState>(loaded, 'circuit').executor} />
      </Toolbar>
    </AppBar>
  ),
};
