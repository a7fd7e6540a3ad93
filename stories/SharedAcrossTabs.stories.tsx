import type { Meta, StoryObj } from '@storybook/react-vite';
import { TwoTabs } from './support/TwoTabs.js';

/**
 * `persist: persistCircuit({ name, shareAcrossTabs: true })` in one page: fail two calls in tab 1 and both badges open; once the open time
 * is over, a good call in either tab is the one trial, and its success closes both.
 */
const meta = {
  title: 'Sync/SharedAcrossTabs',
  component: TwoTabs,
  args: { openDurationMs: 5_000 },
} satisfies Meta<typeof TwoTabs>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Two tabs sharing the contacts circuit (open for 5 s). */
export const TwoTabsOneCircuit: Story = {};
