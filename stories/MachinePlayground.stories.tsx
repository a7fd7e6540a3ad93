import type { Meta, StoryObj } from '@storybook/react-vite';
import { loadedValue } from './support/loadedValue.js';
import { createPlayground, MachinePlayground, type Playground } from './support/MachinePlayground.js';

// CSF requires the `meta` as the default export (see CircuitStatusBadge.stories.tsx).
const meta = {
  title: 'Playground/Circuit machine',
  component: MachinePlayground,
  parameters: { layout: 'fullscreen' },
  decorators: [(Story) => <div style={{ padding: '1rem' }}>{Story()}</div>],
} satisfies Meta<typeof MachinePlayground>;

export default meta;
// The playground comes from the loader, not from args.
type Story = StoryObj<typeof MachinePlayground>;

/**
 * A real executor (`failureThreshold: 2`, `openDurationMs: 30_000`) on a `SimulatedClock`, driven with buttons. Two
 * failures open the circuit; three clicks on "Advance 10 s" make it half-open; a success then closes it. The 429 waits
 * for its Retry-After on the simulated clock: advance it to let the retry through. A success on a healthy circuit sends
 * the circuit no event at all (the fast path), so it adds no inspection line.
 */
export const Interactive: Story = {
  loaders: [() => ({ playground: createPlayground() })],
  render: (_args, { loaded }) => <MachinePlayground playground={loadedValue<Playground>(loaded, 'playground')} />,
};
