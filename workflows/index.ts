export { batchWorkflow } from './batchWorkflow.js';
export { jobWorkflow } from './jobWorkflow.js';
