import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, startDemo, waitForText, type Demo } from './support/startDemo.js';

/** The opportunity edit page in real Chromium: an amount with cents, and product lines checked before they are sent. */
describe('demo: the opportunity form', () => {
  let demo: Demo;
  let id: number;

  beforeAll(async () => {
    demo = await startDemo({ rateLimit: false });
    const { rows } = await demo.backend.db.query<{ id: number }>("select id from opportunities where name = 'Enigma audit'");
    id = rows[0]!.id;
  });

  afterAll(async () => {
    await demo?.close();
  });

  it('saves an amount with cents', async () => {
    const { page, backend } = demo;
    await openApp(demo, `#/opportunities/${id}`);
    const amount = page.getByLabel('Amount');
    await amount.waitFor();
    await amount.fill('4500.50');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await backend.db.query<{ amount: string }>(`select amount::text as amount from opportunities where id = ${id}`)).rows[0]?.amount, {
        timeout: 15_000,
      })
      .toBe('4500.50');
  });

  it('rejects an empty SKU line and a negative quantity with messages, sends nothing, and fits a two-digit quantity', async () => {
    const { page, backend } = demo;
    await openApp(demo, `#/opportunities/${id}`);
    const before = (await backend.db.query<{ products: unknown }>(`select products from opportunities where id = ${id}`)).rows[0]?.products;
    await page.getByRole('button', { name: 'Add a line' }).click();
    await page.getByRole('button', { name: 'Add a line' }).click();
    const skus = page.getByLabel('SKU');
    const quantities = page.getByLabel('Qty');
    await skus.nth(0).fill('ROTOR');
    await quantities.nth(0).fill('-2');
    // the second line keeps an empty SKU
    await page.getByTestId('sync-products').click();
    await waitForText(page, '.MuiSnackbar-root', 'Fix the product lines marked in red');
    expect(await page.getByText('A whole number, 1 or more.').count()).toBe(1);
    expect(await page.getByText('Enter a SKU, or remove the line.').count()).toBe(1);
    expect((await backend.db.query<{ products: unknown }>(`select products from opportunities where id = ${id}`)).rows[0]?.products).toEqual(before);

    // "12" fits its box: the input is wider than the text it shows.
    await quantities.nth(0).fill('12');
    const fits = await quantities.nth(0).evaluate((input: HTMLInputElement) => input.scrollWidth <= input.clientWidth && input.clientWidth >= 24);
    expect(fits).toBe(true);
    await skus.nth(1).fill('PLUGBOARD');
    await page.getByTestId('sync-products').click();
    await expect
      .poll(async () => (await backend.db.query<{ products: unknown }>(`select products from opportunities where id = ${id}`)).rows[0]?.products, {
        timeout: 15_000,
      })
      .toEqual([{ sku: 'ROTOR', quantity: 12 }, { sku: 'PLUGBOARD', quantity: 1 }]);
    expect(demo.pageErrors).toEqual([]);
  });
});
