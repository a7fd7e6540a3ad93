export {
  runBulk,
  type BulkFailureReason,
  type BulkOptions,
  type BulkProgress,
  type BulkReport,
  type BulkRowErrors,
  type BulkRowResult,
  type BulkTask,
  type BulkTaskContext,
} from './runBulk.js';
export { describeRowError, type RowError } from './describeRowError.js';
