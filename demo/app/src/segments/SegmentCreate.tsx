import { Card, CardContent, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { required, SaveButton, SimpleForm, TextInput, Title, Toolbar, useDataProvider, useNotify, useRedirect } from 'react-admin';
import type { FieldValues } from 'react-hook-form';
import type { DemoDataProvider } from '../services/createDemoDataProvider.js';

/**
 * "Get or create" a segment by name: the custom method `getOrCreateSegment` calls the `get_or_create_segment` RPC
 * (supabase-js through the segments circuit). Sending the same name twice returns the same segment, so the call is
 * marked idempotent and may be retried after a 503.
 */
export function SegmentCreate(): ReactNode {
  const dataProvider = useDataProvider<DemoDataProvider>();
  const notify = useNotify();
  const redirect = useRedirect();
  const getOrCreate = useMutation({
    mutationFn: (name: string) => dataProvider.getOrCreateSegment({ name }),
    onSuccess: ({ data }) => {
      notify(`Segment #${data.id} "${data.name}" is ready.`, { type: 'success' });
      redirect('list', 'segments');
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  return (
    <Card sx={{ mt: 2 }}>
      <Title title="Get or create a segment" />
      <CardContent>
        <Typography variant="body2" color="text.secondary">
          Finds the segment with this name, or creates it: the get_or_create_segment RPC.
        </Typography>
      </CardContent>
      <SimpleForm
        // The SaveButton spins until this settles; a failure is shown by onError above.
        onSubmit={(values: FieldValues) => getOrCreate.mutateAsync(String(values.name).trim()).then(
          () => undefined,
          () => undefined,
        )}
        toolbar={
          <Toolbar>
            <SaveButton label="Get or create" />
          </Toolbar>
        }
      >
        <TextInput source="name" validate={required()} />
      </SimpleForm>
    </Card>
  );
}
