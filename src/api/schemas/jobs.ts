import { z } from '@hono/zod-openapi';
import { JOB_STATUSES } from '../../models/statuses.js';
import { PageQuery } from './common.js';

/** Java clients send absent optional fields as explicit null: every optional field accepts it. */
const optionalText = (description: string, example?: string) => z.string().nullish().openapi({ description, example });

export const JobCreationSchema = z
  .object({
    packageNvr: optionalText('RHEL package NVR (name-version-release with .elN)', 'systemd-257-9.el10'),
    inputSourceUrl: optionalText('URL of the SAST report: a Google Sheet, or a SARIF file', 'https://docs.google.com/spreadsheets/d/abc'),
    useKnownFalsePositiveFile: z.boolean().nullish().openapi({ description: 'Filter findings with the known-false-positives file (default true)' }),
    submittedBy: optionalText('Who submits (free text; default "unknown")'),
    oshScanId: optionalText('OpenScanHub scan id'),
    gitRevision: optionalText('Git revision of a repository scan given by inputSourceUrl'),
    sarifUri: optionalText('URL of a SARIF report; makes the input type SARIF'),
    sourceCodeUrl: optionalText('Repository URL of a repository scan (requires commitId)'),
    commitId: optionalText('Commit of a repository scan'),
    aggregateResultsGSheet: optionalText('Accepted for compatibility; passed to the pipeline as AGGREGATE_RESULTS_G_SHEET'),
    forceRescan: z.boolean().nullish().openapi({ description: 'Run even when a finished or running analysis exists' }),
    jiraLink: optionalText('Jira issue of this analysis'),
    hostname: optionalText('Host the scan came from'),
    secretName: optionalText('Name of the Kubernetes Secret with the LLM credentials (the value is never sent here)'),
  })
  .openapi('JobCreationDto');

export const Links = z.record(z.string(), z.string()).openapi('Links', { description: 'Related resources and the run in the Temporal UI' });

export const JobResponseSchema = z
  .object({
    jobId: z.number().int(),
    projectName: z.string().nullable(),
    projectVersion: z.string().nullable(),
    packageName: z.string().nullable(),
    packageNvr: z.string().nullable(),
    oshScanId: z.string().nullable(),
    jiraLink: z.string().nullable(),
    hostname: z.string().nullable(),
    status: z.enum(JOB_STATUSES),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    lastUpdatedAt: z.string().nullable(),
    tektonUrl: z.string().nullable().openapi({ description: 'Link to the pipeline run' }),
    sourceCodeUrl: z.string().nullable(),
    knownFalsePositivesUrl: z.string().nullable(),
    inputSourceType: z.string().nullable(),
    inputSourceUrl: z.string().nullable(),
    batchId: z.number().int().nullable(),
    submittedBy: z.string().nullable(),
    isCachedResult: z.boolean(),
    isExistingRun: z.boolean(),
    originalScanDate: z.string().nullable(),
    resultGoogleSheetUrl: z.string().nullable(),
    failureReason: z.string().nullable().optional().openapi({ description: 'Tail of the pipeline error output, on GET of one failed job' }),
    links: Links,
  })
  .openapi('JobResponseDto');

export const JobListQuery = z.object({
  packageName: z.string().optional(),
  status: z.enum(JOB_STATUSES).optional(),
  batchId: z.coerce.number().int().positive().optional(),
  submittedBy: z.string().optional(),
  ...PageQuery,
});

export const CancelRequestSchema = z
  .object({
    operator: z.string().max(255).nullish().openapi({ description: 'Who cancels (default "api")' }),
    reason: z.string().max(1000).nullish(),
  })
  .openapi('CancelRequest');
