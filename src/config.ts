import packageJson from '../package.json' with { type: 'json' };
import { z } from 'zod';

/** The one place that reads the environment. Everything else receives a Config. */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();

const httpUrl = z.url({ protocol: /^https?$/ });

export const configSchema = z
  .object({
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
    DATABASE_POOL_MAX: positiveInt.default(10),
    TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('sast-ai'),
    TEMPORAL_WORKFLOW_ID_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'must be 1-40 letters, digits, dots, dashes or underscores')
      .default('sast'),
    TEMPORAL_UI_URL: httpUrl.default('http://127.0.0.1:8233'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().min(1).default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    CORS_ORIGINS: z.string().default('*'),
    MAX_BODY_BYTES: positiveInt.default(1024 * 1024),
    ENVIRONMENT: z.string().min(1).max(100).default('development'),

    PIPELINE_RUNNER: z.enum(['command', 'simulated']).default('command'),
    PIPELINE_COMMAND: z.string().optional(),
    PIPELINE_CONCURRENCY: positiveInt.default(2),
    PIPELINE_OUTPUT_ROOT: z.string().min(1).default('.data/pipeline-runs'),
    PIPELINE_CANCEL_GRACE_MS: nonNegativeInt.default(10_000),
    PIPELINE_TIMEOUT_MINUTES: positiveInt.default(300),
    PIPELINE_HEARTBEAT_TIMEOUT_MS: positiveInt.default(30_000),
    SIMULATED_PIPELINE_MS: nonNegativeInt.default(2000),
    SIMULATED_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),

    BATCH_MAX_PARALLEL_JOBS: positiveInt.default(3),
    DEFAULT_SECRET_NAME: z.string().min(1).max(255).default('sast-ai-default-llm-creds'),
    KNOWN_FALSE_POSITIVES_URL_TEMPLATE: z
      .string()
      .default('https://gitlab.cee.redhat.com/osh/known-false-positives/-/raw/master/{name}/ignore.err'),
    SOURCE_RPM_URL_TEMPLATE: z
      .string()
      .default(
        'https://download.devel.redhat.com/brewroot/vol/rhel-{rhelVersion}/packages/{name}/{version}/{release}/src/{nvr}.src.rpm',
      ),
    GOOGLE_SERVICE_ACCOUNT_FILE: z.string().optional(),
    INPUT_FETCH_TIMEOUT_MS: positiveInt.default(30_000),
    INPUT_MAX_BYTES: positiveInt.default(20 * 1024 * 1024),
    ENABLE_DOCS: bool.default(true),
    MIGRATE_ON_START: bool.default(true),
  })
  .superRefine((c, ctx) => {
    if (c.PIPELINE_RUNNER === 'command' && !c.PIPELINE_COMMAND) {
      ctx.addIssue({
        code: 'custom',
        path: ['PIPELINE_COMMAND'],
        message: 'is required when PIPELINE_RUNNER=command (set it, or set PIPELINE_RUNNER=simulated)',
      });
    }
  });

export type Config = z.infer<typeof configSchema> & { APP_VERSION: string };

export class ConfigError extends Error {}

export const APP_VERSION = packageJson.version;

/** Parses the environment; an error names each wrong variable on one line. */
function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>;
  const result = schema.safeParse(blankAsUnset);
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const name = String(i.path[0] ?? 'environment');
      return blankAsUnset[name] === undefined && i.code !== 'custom' ? `${name} is required` : `${name} ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return { ...parseEnv(configSchema, env), APP_VERSION };
}

const port = z.coerce.number().int().min(1).max(65535);

/** `npm run dev` only: where it keeps its data and on which ports it starts PostgreSQL and Temporal. */
export const devConfigSchema = z.object({
  /** Relative to the project root. */
  DEV_DATA_DIR: z.string().min(1).default('.data'),
  DEV_POSTGRES_PORT: port.default(54329),
  DEV_TEMPORAL_PORT: port.default(7233),
  DEV_TEMPORAL_UI_PORT: port.default(8233),
});

export type DevConfig = z.infer<typeof devConfigSchema>;

export function loadDevConfig(env: NodeJS.ProcessEnv = process.env): DevConfig {
  return parseEnv(devConfigSchema, env);
}

/** Non-secret configuration that shapes a run's results; hashed into execution_context.config_version. */
export function effectiveRunConfig(config: Config): Record<string, unknown> {
  return {
    appVersion: config.APP_VERSION,
    pipelineRunner: config.PIPELINE_RUNNER,
    pipelineCommand: config.PIPELINE_RUNNER === 'command' ? config.PIPELINE_COMMAND : undefined,
    pipelineConcurrency: config.PIPELINE_CONCURRENCY,
    pipelineTimeoutMinutes: config.PIPELINE_TIMEOUT_MINUTES,
    simulatedPipelineMs: config.PIPELINE_RUNNER === 'simulated' ? config.SIMULATED_PIPELINE_MS : undefined,
    simulatedFailureRate: config.PIPELINE_RUNNER === 'simulated' ? config.SIMULATED_FAILURE_RATE : undefined,
    knownFalsePositivesUrlTemplate: config.KNOWN_FALSE_POSITIVES_URL_TEMPLATE,
    sourceRpmUrlTemplate: config.SOURCE_RPM_URL_TEMPLATE,
    defaultSecretName: config.DEFAULT_SECRET_NAME,
  };
}
