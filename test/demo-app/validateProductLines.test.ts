import { describe, expect, it } from 'vitest';
import { validateProductLines } from '../../demo/app/src/opportunities/validateProductLines.js';

describe('validateProductLines', () => {
  it('sends trimmed SKUs with whole positive quantities', () => {
    expect(validateProductLines([{ sku: ' ROTOR ', quantity: '12' }, { sku: 'B', quantity: '1' }])).toEqual({
      ok: true,
      products: [{ sku: 'ROTOR', quantity: 12 }, { sku: 'B', quantity: 1 }],
    });
    expect(validateProductLines([])).toEqual({ ok: true, products: [] });
  });

  it('reports an empty SKU line instead of dropping it', () => {
    expect(validateProductLines([{ sku: 'A', quantity: '1' }, { sku: '  ', quantity: '3' }])).toEqual({
      ok: false,
      errors: [null, { sku: 'Enter a SKU, or remove the line.' }],
    });
  });

  it.each(['-2', '0', '1.5', '', 'abc', '1e3'])('rejects the quantity %j with a message rather than sending 0', (quantity) => {
    expect(validateProductLines([{ sku: 'A', quantity }])).toEqual({ ok: false, errors: [{ quantity: 'A whole number, 1 or more.' }] });
  });
});
