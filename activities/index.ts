import { batchActivities } from './batchActivities.js';
import type { ActivityDeps } from './deps.js';
import { jobActivities } from './jobActivities.js';
import { mlopsActivities } from './mlopsActivities.js';
import { pipelineActivities } from './pipelineActivities.js';

export type { ActivityDeps } from './deps.js';

export function createActivities(deps: ActivityDeps) {
  return {
    ...jobActivities(deps),
    ...batchActivities(deps),
    ...pipelineActivities(deps),
    ...mlopsActivities(deps),
  };
}
