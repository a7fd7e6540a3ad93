import type { StorybookConfig } from '@storybook/react-vite';
import react from '@vitejs/plugin-react';
import { mergeConfig } from 'vite';

// Storybook reads main.ts as a module and takes its default export or, as here, its named exports.

export const stories: StorybookConfig['stories'] = ['../stories/**/*.stories.@(ts|tsx)'];

// Storybook 10 has controls, actions, viewport, backgrounds and measure built in; no other addon is installed.
export const addons: StorybookConfig['addons'] = [];

export const framework: StorybookConfig['framework'] = { name: '@storybook/react-vite', options: {} };

// No telemetry: the machines this runs on reach only the package registry (STORYBOOK_DISABLE_TELEMETRY=1 does the same).
export const core: StorybookConfig['core'] = { disableTelemetry: true, disableWhatsNewNotifications: true };

// The automatic JSX runtime (tsconfig's `jsx: react-jsx`) and fast refresh in `storybook dev`.
export const viteFinal: StorybookConfig['viteFinal'] = (config) => mergeConfig(config, { plugins: [react()] });
