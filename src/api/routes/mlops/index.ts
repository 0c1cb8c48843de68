import type { ApiDeps } from '../../deps.js';
import { createRouter } from '../../router.js';
import { artifactRoutes } from './artifacts.js';
import { batchRecordRoutes } from './batchRecords.js';
import { compareRoutes } from './compare.js';
import { jobRecordRoutes } from './jobRecords.js';
import { mlopsBatchRoutes } from './mlopsBatch.js';
import { pricingRoutes } from './pricing.js';
import { runDefinitionRoutes } from './runDefinitions.js';
import { topologyRoutes } from './topologies.js';

/** Every MLOps route; the order matters only where a fixed path shares a prefix with a parameter. */
export function mlopsRoutes(deps: ApiDeps) {
  return createRouter()
    .route('/', jobRecordRoutes(deps))
    .route('/', batchRecordRoutes(deps))
    .route('/', pricingRoutes(deps))
    .route('/', compareRoutes(deps))
    .route('/', runDefinitionRoutes(deps))
    .route('/', topologyRoutes(deps))
    .route('/', artifactRoutes(deps))
    .route('/', mlopsBatchRoutes(deps));
}
