import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStories, type StoryPages } from './support/openStories.js';

let stories: StoryPages;

beforeAll(async () => {
  stories = await openStories();
});

afterAll(async () => {
  await stories?.close();
});

/**
 * The contrast ratio (WCAG 2.x) of each text of each `[data-state]` indicator on the page, computed in the page from
 * the rendered computed styles: the text colour over the background made by compositing every ancestor's
 * `background-color` (with its alpha) over white.
 */
function measureContrast(page: StoryPages['page']): Promise<Array<{ state: string; text: string; ratio: number }>> {
  return page.$$eval('[data-state]', (indicators) => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba => {
      const parts = css.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
      return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => [
      top[0] * top[3] + bottom[0] * (1 - top[3]),
      top[1] * top[3] + bottom[1] * (1 - top[3]),
      top[2] * top[3] + bottom[2] * (1 - top[3]),
      1,
    ];
    const luminance = ([r, g, b]: Rgba): number => {
      const channel = (c: number): number => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const backgroundOf = (element: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let e: Element | null = element; e !== null; e = e.parentElement) layers.push(parse(getComputedStyle(e).backgroundColor));
      return layers.reduceRight<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
    };
    const results: Array<{ state: string; text: string; ratio: number }> = [];
    for (const indicator of indicators) {
      const texts = [...indicator.querySelectorAll('span')].filter((span) =>
        [...span.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== ''),
      );
      for (const span of texts) {
        const background = backgroundOf(span);
        const color = over(parse(getComputedStyle(span).color), background);
        const [lighter, darker] = [luminance(color), luminance(background)].sort((a, b) => b - a) as [number, number];
        results.push({
          state: (indicator as HTMLElement).dataset.state ?? '',
          text: (span.textContent ?? '').trim(),
          ratio: Math.round(((lighter + 0.05) / (darker + 0.05)) * 100) / 100,
        });
      }
    }
    return results;
  });
}

describe('badge and chip colours in the default light themes, in Chromium', () => {
  it('give every text of every state at least 4.5:1 against its rendered background', async () => {
    const ids = stories.storyIds.filter((id) => /^(CircuitStatusBadge|CircuitStatusChip)\//.test(id) && !id.endsWith('/Themed'));
    const low: string[] = [];
    const statesMeasured = new Set<string>();
    for (const id of ids) {
      await stories.open(id);
      for (const { state, text, ratio } of await measureContrast(stories.page)) {
        statesMeasured.add(`${id.split('/')[0]} ${state}`);
        if (ratio < 4.5) low.push(`${id} ${state} "${text}": ${ratio}:1`);
      }
    }
    expect(low).toEqual([]);
    for (const component of ['CircuitStatusBadge', 'CircuitStatusChip']) {
      for (const state of ['closed', 'open', 'halfOpen', 'isolated']) expect(statesMeasured).toContain(`${component} ${state}`);
    }
  });
});
