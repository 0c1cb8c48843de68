import type {
  DataArtifact,
  JobBatchExecutionContext,
  JobBatchRunDefinition,
  JobMetrics,
  JobTokenUsage,
  PricingModel,
  WorkflowGraphTopology,
} from '../../../models/index.js';
import { DEFAULT_CURRENCY } from '../../../mlops/tokenUsage.js';
import { isoDate } from '../../../models/dtoFields.js';

/** MLOps rows to their JSON: timestamps as UTC ISO strings, DECIMALs as numbers. */

export function toTokenUsageDto(row: JobTokenUsage) {
  const breakdown = row.nodeBreakdown as { currency?: unknown; pricedAt?: unknown };
  return {
    jobId: row.id,
    totalInputTokens: row.totalInputTokens,
    totalOutputTokens: row.totalOutputTokens,
    totalTokens: row.totalTokens,
    estimatedCost: row.estimatedCost,
    currency: typeof breakdown.currency === 'string' && breakdown.currency ? breakdown.currency : DEFAULT_CURRENCY,
    pricedAt: typeof breakdown.pricedAt === 'string' ? breakdown.pricedAt : null,
    nodeBreakdown: row.nodeBreakdown,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toJobMetricsDto(row: JobMetrics) {
  return {
    jobId: row.id,
    packageName: row.packageName,
    totalIssues: row.totalIssues,
    predictedIssuesCount: row.predictedIssuesCount,
    predictedNonIssuesCount: row.predictedNonIssuesCount,
    actualIssuesCount: row.actualIssuesCount ?? null,
    actualNonIssuesCount: row.actualNonIssuesCount ?? null,
    hasGroundTruth: row.hasGroundTruth,
    precision: row.precision ?? null,
    recall: row.recall ?? null,
    f1Score: row.f1Score ?? null,
    accuracy: row.accuracy ?? null,
    confusionMatrix: row.confusionMatrix ?? null,
    nodeMetrics: row.nodeMetrics ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export const toExecutionContextDto = (row: JobBatchExecutionContext) => ({
  batchId: row.id,
  environment: row.environment,
  configVersion: row.configVersion,
  hwSpec: row.hwSpec,
});

export const toArtifactDto = (row: DataArtifact) => ({
  artifactId: row.artifactId,
  artifactType: row.artifactType,
  name: row.name,
  version: row.version,
  dvcPath: row.dvcPath,
  dvcHash: row.dvcHash,
  metadata: row.metadata,
  createdAt: row.createdAt.toISOString(),
});

export const toPricingModelDto = (row: PricingModel) => ({
  pricingModelId: row.pricingModelId,
  modelName: row.modelName,
  provider: row.provider,
  inputPricePer1k: row.inputPricePer1k,
  outputPricePer1k: row.outputPricePer1k,
  currency: row.currency,
  effectiveFrom: row.effectiveFrom.toISOString(),
  effectiveTo: isoDate(row.effectiveTo),
});

export const toTopologyDto = (row: WorkflowGraphTopology) => ({
  topologyId: row.topologyId,
  description: row.description ?? null,
  edges: row.edges,
});

export const toRunDefinitionDto = (row: JobBatchRunDefinition) => ({
  pipelineDefinitionId: row.pipelineDefinitionId,
  name: row.name,
  version: row.version,
  gitHash: row.gitHash,
  description: row.description ?? null,
  metadata: row.metadata,
  topology: row.topology ? toTopologyDto(row.topology) : null,
  createdAt: row.createdAt.toISOString(),
});
