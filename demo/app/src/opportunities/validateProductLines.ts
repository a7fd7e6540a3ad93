import type { Product } from '../records.js';

/** A product line as typed in the form: both fields are the raw text of their boxes. */
export interface ProductLine {
  readonly sku: string;
  readonly quantity: string;
}

/** The lines are valid (the products to send), or not (a message per line, `null` for a line that is fine). */
export type ProductLinesCheck =
  | { readonly ok: true; readonly products: readonly Product[] }
  | { readonly ok: false; readonly errors: readonly (ProductLineError | null)[] };

/** What is wrong with one line; each field names the box it belongs under. */
export interface ProductLineError {
  readonly sku?: string;
  readonly quantity?: string;
}

/**
 * Checks the product lines before "Sync products": every line needs a SKU (an empty line is reported, not dropped)
 * and a whole quantity of at least 1 (`-2`, `0`, `1.5` or an empty box are reported, never sent as 0).
 *
 * @example
 * validateProductLines([{ sku: 'A', quantity: '2' }]) // { ok: true, products: [{ sku: 'A', quantity: 2 }] }
 * validateProductLines([{ sku: '', quantity: '-2' }]).ok // false
 */
export function validateProductLines(lines: readonly ProductLine[]): ProductLinesCheck {
  let valid = true;
  const products: Product[] = [];
  const errors = lines.map((line): ProductLineError | null => {
    const sku = line.sku.trim();
    const text = line.quantity.trim();
    const quantity = Number(text);
    const error: { sku?: string; quantity?: string } = {};
    if (sku === '') error.sku = 'Enter a SKU, or remove the line.';
    if (text === '' || !/^[+]?\d+$/.test(text) || !Number.isSafeInteger(quantity) || quantity < 1) {
      error.quantity = 'A whole number, 1 or more.';
    }
    if (error.sku !== undefined || error.quantity !== undefined) {
      valid = false;
      return error;
    }
    products.push({ sku, quantity });
    return null;
  });
  return valid ? { ok: true, products } : { ok: false, errors };
}
