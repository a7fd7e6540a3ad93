import type { Meta, StoryObj } from '@storybook/react-vite';
import type { CSSProperties } from 'react';
import type { CircuitStateName } from '../src/index.js';
import { CircuitStatusBadge } from '../src/react/index.js';
import { executorInState, type CircuitInState, type ExecutorInStateOptions } from './support/executorInState.js';
import { loadedValue } from './support/loadedValue.js';

/** A loader that hands the story a real executor put into `state` (see `executorInState`). */
function circuitIn(state: CircuitStateName, options?: ExecutorInStateOptions): () => Promise<{ circuit: CircuitInState }> {
  return async () => ({ circuit: await executorInState(state, options) });
}

const allStates: readonly CircuitStateName[] = ['closed', 'open', 'halfOpen', 'isolated'];

/**
 * Each story's `meta` is the default export: Storybook's Component Story Format (CSF) requires it, and it is the only
 * default export in the project's own code.
 */
const meta = {
  title: 'React/CircuitStatusBadge',
  component: CircuitStatusBadge,
  args: { label: 'contacts' },
  render: (args, { loaded }) => <CircuitStatusBadge {...args} executor={loadedValue<CircuitInState>(loaded, 'circuit').executor} />,
} satisfies Meta<typeof CircuitStatusBadge>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Calls go through. */
export const Closed: Story = { loaders: [circuitIn('closed')] };

/** Still closed, with 2 of the 5 consecutive failures that would open it (`failureThreshold: 5`). */
export const ClosedWithFailures: Story = { loaders: [circuitIn('closed', { failedCalls: 2, executor: { failureThreshold: 5 } })] };

/** One call failed 18 s ago (`failureThreshold: 1`): calls are refused until the trial, 42 s from now. */
export const Open: Story = { loaders: [circuitIn('open')] };

/** The open minute has passed on the simulated clock: the next call is a trial. */
export const HalfOpen: Story = { loaders: [circuitIn('halfOpen')] };

/** Held open by hand with `executor.isolate()`. */
export const Isolated: Story = { loaders: [circuitIn('isolated')] };

/** `hideWhenClosed`: the badge renders only while something is wrong (here the circuit is open). */
export const HiddenWhileClosed: Story = {
  args: { hideWhenClosed: true },
  loaders: [circuitIn('open')],
};

/** Words of your own, for another language, with `labels` and `formatCountdown`. */
export const Translated: Story = {
  args: {
    label: 'contacts',
    labels: { closed: 'fermé', open: 'ouvert', halfOpen: 'semi-ouvert', isolated: 'isolé' },
    formatCountdown: (ms) => `nouvel essai dans ${Math.ceil(ms / 1000)} s`,
  },
  loaders: [circuitIn('open')],
};

/** A dark theme made only of the badge's CSS custom properties, set on an ancestor. */
const darkTheme = {
  '--xcb-closed': '#7ee2a8',
  '--xcb-open': '#ff8a80',
  '--xcb-half-open': '#ffd180',
  '--xcb-isolated': '#b0bec5',
  '--xcb-background': 'rgba(255, 255, 255, 0.06)',
  '--xcb-radius': '4px',
  '--xcb-padding': '0.25em 0.75em',
  '--xcb-font-size': '1rem',
  background: '#1d232a',
  color: '#e8eaed',
  padding: '1.5em',
  display: 'flex',
  gap: '1em',
  flexWrap: 'wrap',
} as CSSProperties;

/** Every state at once on a dark background, themed with `--xcb-*` custom properties only. */
export const Themed: Story = {
  loaders: [
    async () => ({
      circuits: Object.fromEntries(await Promise.all(allStates.map(async (state) => [state, await executorInState(state)] as const))),
    }),
  ],
  render: (args, { loaded }) => {
    const circuits = loadedValue<Record<CircuitStateName, CircuitInState>>(loaded, 'circuits');
    return (
      <div style={darkTheme} data-testid="themed">
        {allStates.map((state) => (
          <CircuitStatusBadge key={state} {...args} executor={circuits[state].executor} />
        ))}
      </div>
    );
  },
};
