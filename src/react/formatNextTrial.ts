/**
 * The default countdown text of the status components: `"next trial in 42 s"`, `"next trial in 2 min 5 s"`, and
 * `"next trial now"` at 0. Pass your own `formatCountdown` to the components to translate it.
 *
 * @example
 * formatNextTrial(41_200) // "next trial in 42 s"
 */
export function formatNextTrial(remainingMs: number): string {
  const seconds = Math.ceil(remainingMs / 1000);
  if (seconds <= 0) return 'next trial now';
  if (seconds < 60) return `next trial in ${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `next trial in ${minutes} min` : `next trial in ${minutes} min ${rest} s`;
}
