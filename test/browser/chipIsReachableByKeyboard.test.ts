import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStories, type StoryPages } from './support/openStories.js';

let stories: StoryPages;

beforeAll(async () => {
  stories = await openStories();
});

afterAll(async () => {
  await stories?.close();
});

describe('CircuitStatusChip with the keyboard, in Chromium', () => {
  it('is reached with Tab, opens its explanation tooltip on focus, and is named by its visible text', async () => {
    await stories.open('CircuitStatusChip/Open');
    const { page } = stories;
    await expect(page.getByRole('tooltip').count()).resolves.toBe(0);

    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      return { state: element?.dataset.state ?? null, visibleText: element?.innerText.replace(/\s+/g, ' ').trim() ?? '' };
    });
    expect(focused.state).toBe('open');

    const tooltip = page.getByRole('tooltip');
    await tooltip.waitFor({ state: 'visible', timeout: 5000 });
    await expect(tooltip.textContent()).resolves.toMatch(/calls are refused/);

    // The accessible name (as Chromium's accessibility tree computes it) contains the visible label (WCAG 2.5.3).
    const chip = page.getByRole('group', { name: 'contacts: Open · next trial in 42 s' });
    await expect(chip.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    expect(focused.visibleText.replace(/^✕\s*/, '')).toBe('contacts: Open · next trial in 42 s');
    // The tooltip describes the chip; it does not replace its name.
    await expect(chip.getAttribute('aria-describedby')).resolves.toBe(await tooltip.getAttribute('id'));

    await page.keyboard.press('Tab');
    await tooltip.waitFor({ state: 'hidden', timeout: 5000 });
  });
});
