import { MenuItem, TextField } from '@mui/material';
import type { ReactNode } from 'react';

/** A small labelled drop-down of fixed choices, as the Storm page's cards use for their settings. */
export function SelectField<V extends string | number>(props: {
  label: string;
  value: V;
  choices: readonly V[];
  onChange: (value: V) => void;
  width: number;
}): ReactNode {
  const { label, value, choices, onChange, width } = props;
  return (
    <TextField
      select
      size="small"
      label={label}
      value={value}
      onChange={(e) => onChange((typeof value === 'number' ? Number(e.target.value) : e.target.value) as V)}
      sx={{ width }}
    >
      {choices.map((choice) => (
        <MenuItem key={choice} value={choice}>
          {choice}
        </MenuItem>
      ))}
    </TextField>
  );
}
