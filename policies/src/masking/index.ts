// Masking of conditionally shared values.
export { mask, type MaskOptions } from './mask.js';
