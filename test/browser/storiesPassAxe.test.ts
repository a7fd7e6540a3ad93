import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './support/axe.js';
import { openStories, type StoryPages } from './support/openStories.js';

let stories: StoryPages;

beforeAll(async () => {
  stories = await openStories();
});

afterAll(async () => {
  await stories?.close();
});

describe('every story in stories/, in Chromium', () => {
  it('finds the stories in the stories files, the badge and chip in every circuit state among them', () => {
    // Not a fixed list: the page enumerates the exports of stories/**/*.stories.tsx. These must be among them.
    expect(stories.storyIds).toEqual(
      expect.arrayContaining([
        'CircuitStatusBadge/Closed',
        'CircuitStatusBadge/ClosedWithFailures',
        'CircuitStatusBadge/Open',
        'CircuitStatusBadge/HalfOpen',
        'CircuitStatusBadge/Isolated',
        'CircuitStatusChip/ClosedWithFailures',
        'MachinePlayground/Interactive',
      ]),
    );
  });

  it('has no WCAG 2.2 AA violation (axe-core) in any story, and the stories show every circuit state', async () => {
    const failures: string[] = [];
    const statesSeen = new Set<string>();
    for (const id of stories.storyIds) {
      await stories.open(id);
      const shown = await stories.page.$$eval('[data-state]', (elements) =>
        elements.map((element) => {
          const state = (element as HTMLElement).dataset.state ?? '';
          return state === 'closed' && / of \d+ failed/.test(element.textContent ?? '') ? 'closed with failures' : state;
        }),
      );
      for (const state of shown) statesSeen.add(state);
      const violations = await axeViolations(stories.page);
      if (violations.length > 0) failures.push(`${id}:\n${describeViolations(violations)}`);
      if (stories.pageErrors.length > 0) failures.push(`${id}: page errors ${stories.pageErrors.join('; ')}`);
    }
    console.log(`axe-core checked ${stories.storyIds.length} stories; states shown: ${[...statesSeen].sort().join(', ')}`);
    expect(failures.join('\n\n')).toBe('');
    expect([...statesSeen].sort()).toEqual(expect.arrayContaining(['closed', 'closed with failures', 'halfOpen', 'isolated', 'open']));
  });
});
