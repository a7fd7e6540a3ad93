import type { Preview } from '@storybook/react-vite';

// Storybook reads preview.tsx as a module and takes its named exports (or a default export) as project annotations;
// the stories tests pass this module to setProjectAnnotations, so they render stories as Storybook does.

export const parameters: Preview['parameters'] = {
  layout: 'padded',
  controls: { matchers: { color: /(background|color)$/i } },
};

export const decorators: Preview['decorators'] = [
  (Story) => <div style={{ fontFamily: 'system-ui, sans-serif', fontSize: 16 }}>{Story()}</div>,
];
