/// <reference types="vite/client" />
import { composeStories, setProjectAnnotations } from '@storybook/react-vite';
import type { ComponentType } from 'react';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import * as previewAnnotations from '../../../../.storybook/preview.js';

// Every stories file, found by the same pattern as .storybook/main.ts: a new story is checked without editing a list.
const files = import.meta.glob<Record<string, unknown>>('../../../../stories/**/*.stories.tsx', { eager: true });

type ComposedStory = ComponentType & { load(): Promise<void> };

const annotations = setProjectAnnotations([previewAnnotations]);
const stories = new Map<string, ComposedStory>();
for (const [path, module] of Object.entries(files)) {
  const file = path.replace(/^.*\//, '').replace(/\.stories\.tsx$/, '');
  for (const [name, story] of Object.entries(composeStories(module as Parameters<typeof composeStories>[0]))) {
    stories.set(`${file}/${name}`, story as unknown as ComposedStory);
  }
}

/** What the page tells the test: every story id, and once `?story=` is rendered, `rendered` (or the error). */
const page = window as unknown as { storyIds: string[]; storyRendered?: true; storyError?: string };
page.storyIds = [...stories.keys()];

async function show(id: string): Promise<void> {
  const Story = stories.get(id);
  if (Story === undefined) throw new Error(`No story ${id}; there are ${page.storyIds.join(', ')}.`);
  await annotations.beforeAll?.();
  await Story.load();
  const root = createRoot(document.getElementById('root')!);
  await act(async () => root.render(<Story />));
}

const id = new URLSearchParams(location.search).get('story');
if (id !== null) {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
  show(id).then(
    () => {
      page.storyRendered = true;
    },
    (error: unknown) => {
      page.storyError = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    },
  );
}
