// Scripts of the repository started as processes, as `npm run …` starts
// them (through the launcher, scripts/launch.js), for the tests about the
// mains: hub/componentProcesses.ts, shared with `npm run soak`.
export {
  collect,
  LAUNCHER,
  runScript as run,
  waitFor,
} from '../../hub/componentProcesses.js';
