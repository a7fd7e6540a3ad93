import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/Delete';
import SyncIcon from '@mui/icons-material/Sync';
import { Button, Card, CardContent, IconButton, Stack, TextField, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import type { Opportunity, Product } from '../records.js';
import type { DemoDataProvider } from '../services/createDemoDataProvider.js';

interface ProductLine {
  sku: string;
  quantity: string;
}

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

  const products = lines
    .filter((line) => line.sku.trim() !== '')
    .map((line) => ({ sku: line.sku.trim(), quantity: Math.max(0, Math.round(Number(line.quantity) || 0)) }));
  const sync = useMutation({
    mutationFn: () => dataProvider.syncOpportunityProducts({ id: record!.id, products }),
    onSuccess: ({ data }) => {
      notify(`Synced ${data.products.length} product line(s) of "${data.name}".`, { type: 'success' });
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });

  if (record === undefined) return null;
  const update = (index: number, patch: Partial<ProductLine>): void =>
    setLines((current) => current.map((line, i) => (i === index ? { ...line, ...patch } : line)));

  return (
    <Card sx={{ ml: 2, width: 360, alignSelf: 'flex-start' }}>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Products
        </Typography>
        <Stack spacing={1}>
          {lines.map((line, index) => (
            <Stack key={index} direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <TextField size="small" label="SKU" value={line.sku} onChange={(e) => update(index, { sku: e.target.value })} />
              <TextField
                size="small"
                label="Qty"
                type="number"
                value={line.quantity}
                onChange={(e) => update(index, { quantity: e.target.value })}
                sx={{ width: 80 }}
              />
              <IconButton aria-label="Remove line" onClick={() => setLines((current) => current.filter((_, i) => i !== index))}>
                <DeleteIcon fontSize="small" />
              </IconButton>
            </Stack>
          ))}
          <Button startIcon={<AddIcon />} onClick={() => setLines((current) => [...current, { sku: '', quantity: '1' }])}>
            Add a line
          </Button>
          <Button variant="contained" startIcon={<SyncIcon />} disabled={sync.isPending} onClick={() => sync.mutate()} data-testid="sync-products">
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
