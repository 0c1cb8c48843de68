import { join } from 'node:path';
import type { PipelineOutputs } from './runner.js';

/** File names the sast-ai-workflow writes into a run's output directory (anchors §2.4, §2.6). */
export const OUTPUT_FILES = {
  excelReport: 'sast_ai_output.xlsx',
  tokenUsage: 'token_usage.json',
  workflowMetrics: 'workflow_metrics.json',
  /** Our convention, not the workflow's: the inputs a run read, with their MD5s (docs/mlops.md). */
  inputArtifacts: 'input_artifacts.json',
  /** Our convention too: the pipeline definition the run ran under. */
  pipelineDefinition: 'pipeline_definition.json',
  stdoutLog: 'stdout.log',
  stderrLog: 'stderr.log',
} as const;

export function outputPaths(dir: string): PipelineOutputs {
  return {
    dir,
    excelReportPath: join(dir, OUTPUT_FILES.excelReport),
    tokenUsagePath: join(dir, OUTPUT_FILES.tokenUsage),
    workflowMetricsPath: join(dir, OUTPUT_FILES.workflowMetrics),
    inputArtifactsPath: join(dir, OUTPUT_FILES.inputArtifacts),
    pipelineDefinitionPath: join(dir, OUTPUT_FILES.pipelineDefinition),
  };
}
