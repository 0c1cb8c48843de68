import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JobTokenUsage } from '../src/models/index.js';
import { useSystem } from './helpers/system.js';
import { waitFor } from './helpers/wait.js';

// The pipeline writes token_usage.json in the real workflow's format; bad-* packages write a broken one.
const tokens = JSON.stringify([
  { tool_name: 'pre_process', model: null, input_tokens: null, output_tokens: null, total_tokens: null, duration_seconds: 0.5 },
  { tool_name: 'investigate', model: 'llama-test', input_tokens: 10000, output_tokens: 2000, total_tokens: 12000, duration_seconds: 30 },
  { tool_name: 'summarize_justifications', model: 'mistral-test', input_tokens: 500, output_tokens: 100, total_tokens: 600, duration_seconds: 2 },
]);
const system = useSystem({
  PIPELINE_RUNNER: 'command',
  PIPELINE_COMMAND: [
    `case "$PACKAGE_NVR" in bad-*) printf '[{"tool_name": ' > "$TOKEN_METRICS_PATH";; *) printf '%s' '${tokens}' > "$TOKEN_METRICS_PATH";; esac`,
    // A wrapper reporting the inputs it read, with their MD5s, where the orchestrator asks for them.
    `printf '[{"type":"sast_report","url":"%s","md5":"%s","size":6}]' "$INPUT_REPORT_FILE_PATH" "$(printf 'report' | md5sum | cut -d' ' -f1)" > "$INPUT_ARTIFACTS_PATH"`,
    // A pipeline reporting the definition it runs under.
    `case "$PACKAGE_NVR" in defined-*) printf '%s' '${JSON.stringify({
      pipelineDefinitionId: 'sast-ai-workflow-v2',
      name: 'sast-ai-workflow',
      version: '2.0.0',
      gitHash: 'abcdef1',
      metadata: { promptsVersion: 'v7' },
      edges: [{ from: 'pre_process', to: 'investigate' }, { from: 'investigate', to: 'write_results' }],
    })}' > "$PIPELINE_DEFINITION_PATH";; esac`,
  ].join('; '),
});
const report = 'https://docs.google.com/spreadsheets/d/r';

async function runJob(packageNvr: string) {
  const res = await system.request('/api/v1/jobs/simple', { method: 'POST', json: { packageNvr, inputSourceUrl: report } });
  expect(res.status).toBe(201);
  const { jobId } = await res.json();
  return waitFor(`job ${jobId} to end`, async () => {
    const job = await (await system.request(`/api/v1/jobs/${jobId}`)).json();
    return ['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.status) ? job : undefined;
  });
}

describe('MLOps records written by the job workflow from real pipeline output files', () => {
  it("records a batch's inputs, with the hashes its pipeline reports, and its outputs in the batch's lineage", async () => {
    const res = await system.request('/api/v1/job-batches', {
      method: 'POST',
      json: { jobs: [{ packageNvr: 'lineage-1.0-1.el10', inputSourceUrl: 'https://reports.example/lineage.sarif' }] },
    });
    const { batchId } = await res.json();
    const batch = await waitFor('the batch to end', async () => {
      const b = await (await system.request(`/api/v1/job-batches/${batchId}`)).json();
      return b.status === 'PROCESSING' ? undefined : b;
    });
    expect(batch.status).toBe('COMPLETED');
    const lineage = await (await system.request(`/api/v1/job-batches/${batchId}/lineage`)).json();
    const entries = JSON.stringify(lineage);
    expect(entries).toContain('https://reports.example/lineage.sarif');
    const artifactId = `md5-${createHash('md5').update('report').digest('hex')}`;
    const artifact = await (await system.request(`/api/v1/data-artifacts/${artifactId}`)).json();
    expect(artifact).toMatchObject({ artifactType: 'sast_report', dvcHash: createHash('md5').update('report').digest('hex') });
    expect(artifact.metadata.hashSource).toBe('pipeline-reported');
    expect(entries).toContain('token_usage');
  });

  it('registers the definition a pipeline reports, and a batch submitted without one records it', async () => {
    const res = await system.request('/api/v1/job-batches', {
      method: 'POST',
      json: { jobs: [{ packageNvr: 'defined-1.0-1.el10', inputSourceUrl: report }] },
    });
    const { batchId } = await res.json();
    const batch = await waitFor('the batch to end', async () => {
      const b = await (await system.request(`/api/v1/job-batches/${batchId}`)).json();
      return b.status === 'PROCESSING' ? undefined : b;
    });
    const definition = await (await system.request('/api/v1/run-definitions/sast-ai-workflow-v2')).json();
    expect(definition).toMatchObject({ version: '2.0.0', gitHash: 'abcdef1' });
    expect(batch.pipelineDefinitionId).toBe('sast-ai-workflow-v2');
    expect(definition.batches).toEqual([{ batchId, status: 'COMPLETED' }]);
    const detailed = await (await system.request(`/api/v1/mlops-batch/${batchId}/detailed`)).json();
    expect(detailed.promptsVersion).toBe('v7');
  });

  it('costs a job at the prices in effect when it started, and flags the unpriced model', async () => {
    const price = await system.request('/api/v1/pricing-models', {
      method: 'POST',
      json: { modelName: 'llama-test', provider: 'local', inputPricePer1k: 0.002, outputPricePer1k: 0.01, effectiveFrom: '2020-01-01T00:00:00Z' },
    });
    expect(price.status).toBe(201);
    const job = await runJob('costed-1.0-1.el10');
    expect(job.status).toBe('COMPLETED');

    const usage = await (await system.request(`/api/v1/jobs/${job.jobId}/token-usage`)).json();
    expect(usage).toMatchObject({ totalInputTokens: 10500, totalOutputTokens: 2100, totalTokens: 12600 });
    // 10 × 0.002 + 2 × 0.01 for llama-test; mistral-test has no price and costs 0, flagged.
    expect(usage.estimatedCost).toBeCloseTo(0.04, 10);
    const nodes = usage.nodeBreakdown.nodes as { node: string; unpriced: boolean; pricingModelId: string | null }[];
    expect(nodes.find((n) => n.node === 'summarize_justifications')?.unpriced).toBe(true);
    expect(nodes.find((n) => n.node === 'investigate')?.pricingModelId).toEqual(expect.any(String));
  });

  it('a malformed output file neither fails the job nor loops: the API says what was wrong', async () => {
    const job = await runJob('bad-1.0-1.el10');
    expect(job.status).toBe('COMPLETED');
    expect(await JobTokenUsage.query().findById(job.jobId)).toBeUndefined();
    const res = await system.request(`/api/v1/jobs/${job.jobId}/token-usage`);
    expect(res.status).toBe(404);
    const problem = await res.json();
    expect(problem.detail).toMatch(/token_usage\.json: malformed/);
    const metrics = await system.request(`/api/v1/jobs/${job.jobId}/metrics`);
    expect((await metrics.json()).detail).toMatch(/sast_ai_output\.xlsx: missing/);
  });
});
