// Scripts of the repository started as processes, as `npm run …` starts
// them (through tsx's CLI, which passes signals on), for the tests about
// the mains: hub/componentProcesses.ts, shared with `npm run soak`.
export {
  collect,
  runScript as run,
  waitFor,
} from '../../hub/componentProcesses.js';
