export { freePort } from '../../hub/componentProcesses.js';
