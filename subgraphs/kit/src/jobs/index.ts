// Job queues: the contract and its two implementations (BullMQ over Redis,
// in-process).
export type {
  DeadLetter,
  JobInfo,
  JobOptions,
  JobProcessor,
  JobQueue,
} from './JobQueue.js';
export {
  assertJobId,
  DEFAULT_JOB_OPTIONS,
  isUnrecoverable,
} from './AwaitableJobQueue.js';
export type { AwaitableJobQueue } from './AwaitableJobQueue.js';
export { createBullJobQueue } from './createBullJobQueue.js';
export type { BullJobQueueOptions } from './createBullJobQueue.js';
export { createInProcessJobQueue } from './createInProcessJobQueue.js';
export type { InProcessJobQueueOptions } from './createInProcessJobQueue.js';
export { runMarkerKey, watchRedisLoss } from './watchRedisLoss.js';
export type {
  RedisLossWatch,
  RedisLossWatchOptions,
} from './watchRedisLoss.js';
