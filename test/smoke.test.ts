import { describe, expect, it } from 'vitest';
import { Job, JobSettings, JobTokenUsage } from '../src/models/index.js';
import { jobWorkflowId } from '../src/temporal/workflowIds.js';
import { useSystem } from './helpers/system.js';
import { waitFor } from './helpers/wait.js';

/**
 * The foundation end to end: a job submitted through the API runs as a real workflow on the Temporal dev server,
 * its activities write rows through the Objection models, and both the rows and Temporal's history show it.
 */

const system = useSystem();

/** A history event in Temporal's JSON form (as `temporal workflow show --output json` prints it). */
interface HistoryEvent {
  eventId: string;
  eventType: string;
  markerRecordedEventAttributes?: { details?: { data?: { payloads?: { data: string }[] } } };
  activityTaskScheduledEventAttributes?: { activityType: { name: string } };
  activityTaskCompletedEventAttributes?: { scheduledEventId: string };
}

async function history(workflowId: string): Promise<HistoryEvent[]> {
  const fetched = await system.client.workflow.getHandle(workflowId).fetchHistory();
  // protobufjs messages serialise to the proto3 JSON form: enum names, 64-bit ids as strings, bytes as base64.
  return (JSON.parse(JSON.stringify(fetched)) as { events: HistoryEvent[] }).events;
}

/** Names of the local activities recorded in the history: each is a marker whose JSON data carries its type. */
function localActivities(events: HistoryEvent[]): string[] {
  return events
    .filter((e) => e.eventType === 'EVENT_TYPE_MARKER_RECORDED')
    .map((e) => e.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data)
    .filter((data): data is string => data !== undefined)
    .map((data) => (JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { activity_type: string }).activity_type);
}

/** Names of the task-queue activities that completed. */
function completedActivities(events: HistoryEvent[]): string[] {
  const scheduled = new Map(events.map((e) => [e.eventId, e.activityTaskScheduledEventAttributes?.activityType.name]));
  return events
    .filter((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED')
    .map((e) => scheduled.get(e.activityTaskCompletedEventAttributes!.scheduledEventId) ?? 'unknown');
}

describe('smoke: API → Temporal workflow → activities → PostgreSQL', () => {
  it('runs a submitted job to COMPLETED, with the rows its activities wrote and the history that shows them', async () => {
    const res = await system.request('/api/v1/jobs/simple', {
      method: 'POST',
      json: { packageNvr: 'systemd-257-9.el10', inputSourceUrl: 'https://docs.google.com/spreadsheets/d/smoke', submittedBy: 'smoke' },
    });
    expect(res.status).toBe(201);
    const { jobId } = await res.json();

    await waitFor(`job ${jobId} to end`, async () => {
      const job = await Job.query().findById(jobId);
      return job && ['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.status) ? job : undefined;
    });

    const job = await Job.query().findById(jobId).withGraphFetched('[settings, tokenUsage]');
    expect(job).toMatchObject({ id: jobId, packageNvr: 'systemd-257-9.el10', packageName: 'systemd', status: 'COMPLETED', submittedBy: 'smoke' });
    expect(job?.startedAt).toBeInstanceOf(Date);
    expect(job?.completedAt).toBeInstanceOf(Date);
    expect(job!.completedAt!.getTime()).toBeGreaterThanOrEqual(job!.startedAt!.getTime());
    // Read once more through the models themselves, not only through the graph.
    expect((await JobSettings.query().where({ job_id: jobId })).map((s) => s.secretName)).toEqual([system.config.DEFAULT_SECRET_NAME]);
    const usage = await JobTokenUsage.query().findById(jobId);
    expect(usage?.totalTokens).toBeGreaterThan(0);
    expect(usage?.totalTokens).toBe(usage!.totalInputTokens + usage!.totalOutputTokens);
    expect(job?.tokenUsage?.totalTokens).toBe(usage?.totalTokens);

    const events = await history(jobWorkflowId(system.config.TEMPORAL_WORKFLOW_ID_PREFIX, jobId));
    expect(events[events.length - 1]?.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    // scheduleJob wrote SCHEDULED and startedAt, ingestJobOutputs the token usage, finishJob COMPLETED: local activities.
    expect(localActivities(events)).toEqual(['scheduleJob', 'ingestJobOutputs', 'finishJob']);
    // The pipeline itself ran on the pipeline task queue.
    expect(completedActivities(events)).toEqual(['runPipeline']);
  });
});
