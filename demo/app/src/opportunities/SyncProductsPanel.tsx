import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/Delete';
import SyncIcon from '@mui/icons-material/Sync';
import { Button, Card, CardContent, IconButton, Stack, TextField, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import type { Opportunity, Product } from '../records.js';
import type { DemoDataProvider } from '../services/createDemoDataProvider.js';
import { validateProductLines, type ProductLine, type ProductLineError } from './validateProductLines.js';

function toLines(products: readonly Product[] | undefined): ProductLine[] {
  return (products ?? []).map((p) => ({ sku: p.sku, quantity: String(p.quantity) }));
}

/**
 * The products of the opportunity being edited, and "Sync products": it sends the whole list to the
 * `sync_opportunity_products` RPC through the custom data provider method `syncOpportunityProducts`, which runs
 * under the opportunities circuit (supabase-js with `createResilientFetch`).
 */
export function SyncProductsPanel(): ReactNode {
  const record = useRecordContext<Opportunity>();
  const dataProvider = useDataProvider<DemoDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [lines, setLines] = useState<ProductLine[]>(() => toLines(record?.products));
  useEffect(() => setLines(toLines(record?.products)), [record?.products]);

  // Shown once "Sync products" was pressed with bad lines, and kept in step as the lines are corrected.
  const [errors, setErrors] = useState<readonly (ProductLineError | null)[] | null>(null);
  const sync = useMutation({
    mutationFn: (products: readonly Product[]) => dataProvider.syncOpportunityProducts({ id: record!.id, products }),
    onSuccess: ({ data }) => {
      notify(`Synced ${data.products.length} product line(s) of "${data.name}".`, { type: 'success' });
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });

  if (record === undefined) return null;
  const change = (next: ProductLine[]): void => {
    setLines(next);
    if (errors !== null) {
      const check = validateProductLines(next);
      setErrors(check.ok ? null : check.errors);
    }
  };
  const update = (index: number, patch: Partial<ProductLine>): void =>
    change(lines.map((line, i) => (i === index ? { ...line, ...patch } : line)));
  const submit = (): void => {
    const check = validateProductLines(lines);
    if (!check.ok) {
      setErrors(check.errors);
      notify('Fix the product lines marked in red, then sync again.', { type: 'error' });
      return;
    }
    setErrors(null);
    sync.mutate(check.products);
  };

  return (
    <Card sx={{ ml: 2, width: 400, alignSelf: 'flex-start' }}>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Products
        </Typography>
        <Stack spacing={1}>
          {lines.map((line, index) => (
            <Stack key={index} direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
              <TextField
                size="small"
                label="SKU"
                value={line.sku}
                onChange={(e) => update(index, { sku: e.target.value })}
                error={errors?.[index]?.sku !== undefined}
                helperText={errors?.[index]?.sku}
              />
              <TextField
                size="small"
                label="Qty"
                type="number"
                value={line.quantity}
                onChange={(e) => update(index, { quantity: e.target.value })}
                error={errors?.[index]?.quantity !== undefined}
                helperText={errors?.[index]?.quantity}
                slotProps={{ htmlInput: { min: 1, step: 1, inputMode: 'numeric' } }}
                sx={{ width: 110, flexShrink: 0 }}
              />
              <IconButton aria-label="Remove line" onClick={() => change(lines.filter((_, i) => i !== index))}>
                <DeleteIcon fontSize="small" />
              </IconButton>
            </Stack>
          ))}
          <Button startIcon={<AddIcon />} onClick={() => change([...lines, { sku: '', quantity: '1' }])}>
            Add a line
          </Button>
          <Button variant="contained" startIcon={<SyncIcon />} disabled={sync.isPending} onClick={submit} data-testid="sync-products">
            Sync products
          </Button>
          <Typography variant="caption" color="text.secondary">
            Replaces every product of this opportunity in one call to the sync_opportunity_products RPC.
          </Typography>
        </Stack>
      </CardContent>
    </Card>
  );
}
