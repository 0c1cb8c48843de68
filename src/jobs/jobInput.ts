import { fillNvrTemplate, nvrProjectFields, parseNvr } from './nvr.js';

/** JobCreationDto of the existing API; every optional field may be null. */
export interface JobRequest {
  packageNvr?: string | null;
  inputSourceUrl?: string | null;
  useKnownFalsePositiveFile?: boolean | null;
  submittedBy?: string | null;
  oshScanId?: string | null;
  gitRevision?: string | null;
  sarifUri?: string | null;
  sourceCodeUrl?: string | null;
  commitId?: string | null;
  aggregateResultsGSheet?: string | null;
  forceRescan?: boolean | null;
  jiraLink?: string | null;
  hostname?: string | null;
}

/** From Config KNOWN_FALSE_POSITIVES_URL_TEMPLATE / SOURCE_RPM_URL_TEMPLATE. */
export interface JobInputSettings {
  knownFalsePositivesUrlTemplate: string;
  sourceRpmUrlTemplate: string;
}

/** The job table columns filled from a request (each fits VARCHAR(255)), plus the revision of a repository scan. */
export interface ResolvedJobInput {
  packageNvr: string;
  packageName: string;
  projectName: string;
  projectVersion: string;
  packageSourceCodeUrl: string | null;
  knownFalsePositivesUrl: string | null;
  inputSourceType: 'SARIF' | 'GOOGLE_SHEET';
  /** The input report URL of any kind (the seed schema has only this column for it). */
  googleSheetUrl: string | null;
  useKnownFalsePositiveFile: boolean;
  submittedBy: string;
  oshScanId: string | null;
  jiraLink: string | null;
  hostname: string | null;
  gitRevision: string | null;
  isRepositoryScan: boolean;
}

export class JobInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'JobInputError';
  }
}

const MAX_COLUMN_LENGTH = 255;
const COMMIT_PATTERN = /^[0-9a-fA-F]{7,64}$/;
const SHORT_COMMIT_LENGTH = 7;

type TextField = Exclude<keyof JobRequest, 'useKnownFalsePositiveFile' | 'forceRescan'>;

/** '' / whitespace / null / undefined all mean "not given". */
function text(req: JobRequest, field: TextField): string | null {
  const value = req[field]?.trim();
  return value ? value : null;
}

function fitColumn<T extends string | null>(field: string, value: T): T {
  if (value !== null && value.length > MAX_COLUMN_LENGTH) {
    throw new JobInputError(field, `${field} must be at most ${MAX_COLUMN_LENGTH} characters (got ${value.length})`);
  }
  return value;
}

function httpUrl(field: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new JobInputError(field, `${field} must be an http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new JobInputError(field, `${field} must be an http(s) URL`);
  }
  return url;
}

/** What is analysed: an RPM package named by its NVR, or a git repository at a commit. */
type Subject = Pick<
  ResolvedJobInput,
  | 'packageNvr'
  | 'packageName'
  | 'projectName'
  | 'projectVersion'
  | 'packageSourceCodeUrl'
  | 'knownFalsePositivesUrl'
  | 'useKnownFalsePositiveFile'
  | 'gitRevision'
  | 'isRepositoryScan'
>;

/** `owner/repo` of a repository URL; GitLab's `/-/` route separator and a `.git` suffix are cut off. */
function repositoryPath(url: URL): { owner: string; repo: string } | null {
  const segments = url.pathname.split('/').filter(Boolean);
  const dash = segments.indexOf('-');
  let path = dash >= 0 ? segments.slice(0, dash) : segments;
  // GitHub has no nested groups, so anything after owner/repo is a deep link (/tree/main, /commit/…).
  if (url.hostname === 'github.com') path = path.slice(0, 2);
  const repo = path.at(-1)?.replace(/\.git$/, '');
  if (path.length < 2 || !repo) return null;
  return { owner: path.slice(0, -1).join('/'), repo };
}

function repositorySubject(
  urlField: string,
  rawUrl: string,
  revisionField: string,
  revision: string | null,
  givenNvr: string | null,
): Subject {
  if (!revision) {
    throw new JobInputError(revisionField, `${revisionField} is required when ${urlField} names a repository to scan`);
  }
  if (!COMMIT_PATTERN.test(revision)) {
    throw new JobInputError(revisionField, `${revisionField} must be a git commit hash (7 to 64 hex characters)`);
  }
  const url = httpUrl(urlField, rawUrl);
  const path = repositoryPath(url);
  if (!path) {
    throw new JobInputError(urlField, `${urlField} must be a repository URL like https://github.com/<owner>/<repo>`);
  }
  const shortCommit = revision.slice(0, SHORT_COMMIT_LENGTH);
  return {
    packageNvr: fitColumn('packageNvr', givenNvr ?? `${path.owner}/${path.repo}-${shortCommit}`),
    packageName: fitColumn('packageName', path.repo),
    projectName: path.repo,
    projectVersion: shortCommit,
    packageSourceCodeUrl: fitColumn(urlField, rawUrl),
    // The known-false-positives list is kept per RPM package name, so it cannot apply to a repository.
    knownFalsePositivesUrl: null,
    useKnownFalsePositiveFile: false,
    gitRevision: revision,
    isRepositoryScan: true,
  };
}

function rpmSubject(nvr: string | null, useKnownFalsePositiveFile: boolean, settings: JobInputSettings): Subject {
  if (!nvr) {
    throw new JobInputError('packageNvr', 'packageNvr is required (or sourceCodeUrl + commitId for a repository scan)');
  }
  fitColumn('packageNvr', nvr);
  const parsed = parseNvr(nvr);
  if (!parsed) {
    throw new JobInputError(
      'packageNvr',
      `packageNvr "${nvr}" is not a valid RHEL NVR: expected name-version-release with .elN in the release, e.g. systemd-257-9.el10`,
    );
  }
  const derived = (field: string, template: string) => {
    const url = fillNvrTemplate(template, parsed);
    if (url !== null && url.length > MAX_COLUMN_LENGTH) {
      throw new JobInputError(
        'packageNvr',
        `packageNvr is too long: the ${field} derived from it would exceed ${MAX_COLUMN_LENGTH} characters`,
      );
    }
    return url;
  };
  return {
    ...nvrProjectFields(parsed),
    packageNvr: nvr,
    packageSourceCodeUrl: derived('packageSourceCodeUrl', settings.sourceRpmUrlTemplate),
    knownFalsePositivesUrl: useKnownFalsePositiveFile
      ? derived('knownFalsePositivesUrl', settings.knownFalsePositivesUrlTemplate)
      : null,
    useKnownFalsePositiveFile,
    gitRevision: null,
    isRepositoryScan: false,
  };
}

const SARIF_PATH = /\.sarif(\.json)?$/i;

function inputReport(
  field: 'sarifUri' | 'inputSourceUrl',
  value: string,
): Pick<ResolvedJobInput, 'inputSourceType' | 'googleSheetUrl'> {
  const url = httpUrl(field, value);
  const isSarif = field === 'sarifUri' || SARIF_PATH.test(url.pathname);
  return { inputSourceType: isSarif ? 'SARIF' : 'GOOGLE_SHEET', googleSheetUrl: fitColumn(field, value) };
}

/**
 * Validates a job request and derives every column of the job row.
 * Throws JobInputError naming the offending field.
 */
export function resolveJobInput(req: JobRequest, settings: JobInputSettings): ResolvedJobInput {
  const packageNvr = text(req, 'packageNvr');
  const sourceCodeUrl = text(req, 'sourceCodeUrl');
  const inputSourceUrl = text(req, 'inputSourceUrl');
  const gitRevision = text(req, 'gitRevision');
  const sarifUri = text(req, 'sarifUri');

  // The old API's second repository form (Konflux): with gitRevision and no NVR, inputSourceUrl is the git
  // repository rather than the report, so the report can only come from sarifUri.
  const inputSourceUrlIsRepository = !sourceCodeUrl && !packageNvr && inputSourceUrl !== null && gitRevision !== null;

  let subject: Subject;
  if (sourceCodeUrl) {
    subject = repositorySubject('sourceCodeUrl', sourceCodeUrl, 'commitId', text(req, 'commitId'), packageNvr);
  } else if (inputSourceUrlIsRepository) {
    subject = repositorySubject('inputSourceUrl', inputSourceUrl, 'gitRevision', gitRevision, null);
  } else {
    subject = rpmSubject(packageNvr, req.useKnownFalsePositiveFile !== false, settings);
  }

  let report: Pick<ResolvedJobInput, 'inputSourceType' | 'googleSheetUrl'>;
  if (sarifUri) {
    report = inputReport('sarifUri', sarifUri);
  } else if (inputSourceUrl && !inputSourceUrlIsRepository) {
    report = inputReport('inputSourceUrl', inputSourceUrl);
  } else if (inputSourceUrlIsRepository) {
    throw new JobInputError('sarifUri', 'sarifUri is required when inputSourceUrl + gitRevision name the repository');
  } else {
    throw new JobInputError('inputSourceUrl', 'inputSourceUrl or sarifUri is required (the URL of the scan report)');
  }

  return {
    ...subject,
    ...report,
    submittedBy: fitColumn('submittedBy', text(req, 'submittedBy') ?? 'unknown'),
    oshScanId: fitColumn('oshScanId', text(req, 'oshScanId')),
    jiraLink: fitColumn('jiraLink', text(req, 'jiraLink')),
    hostname: fitColumn('hostname', text(req, 'hostname')),
  };
}
