// Set-up shared by runBulk's feature tests (test/bulk/*).

export { noPacing } from './executorHelpers.js';

/** A task that never settles: its row stays in flight until the run is aborted or its executor stopped. */
export const hang = (): Promise<never> => new Promise(() => {});
