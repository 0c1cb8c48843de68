import { describe, expect, it } from 'vitest';
import { JobInputError, resolveJobInput, type JobRequest } from '../src/jobs/jobInput.js';
import { fillNvrTemplate, nvrProjectFields, parseNvr } from '../src/jobs/nvr.js';

const settings = {
  knownFalsePositivesUrlTemplate: 'https://gitlab.cee.redhat.com/osh/known-false-positives/-/raw/master/{name}/ignore.err',
  sourceRpmUrlTemplate:
    'https://download.devel.redhat.com/brewroot/vol/rhel-{rhelVersion}/packages/{name}/{version}/{release}/src/{nvr}.src.rpm',
};
const SHEET = 'https://docs.google.com/spreadsheets/d/1AbC-d_E/edit#gid=0';

function errorOf(req: JobRequest): JobInputError {
  try {
    resolveJobInput(req, settings);
  } catch (error) {
    expect(error).toBeInstanceOf(JobInputError);
    return error as JobInputError;
  }
  throw new Error('expected a JobInputError');
}

describe('parseNvr', () => {
  it.each([
    ['systemd-257-9.el10', 'systemd', '257', '9.el10', '10'],
    ['openssl-3.0.7-27.el9_4', 'openssl', '3.0.7', '27.el9_4', '9'],
    ['python3.11-requests-2.28.1-1.el8', 'python3.11-requests', '2.28.1', '1.el8', '8'],
    ['kernel-5.14.0-427.13.1.el9_4.x86_64', 'kernel', '5.14.0', '427.13.1.el9_4.x86_64', '9'],
    ['glibc-2.34-100.el9+1', 'glibc', '2.34', '100.el9+1', '9'],
    ['foreman-3.9.1-1.el8sat', 'foreman', '3.9.1', '1.el8sat', null],
  ])('parses %s', (nvr, name, version, release, rhelVersion) => {
    expect(parseNvr(nvr)).toEqual({ nvr, name, version, release, rhelVersion });
  });

  it.each([
    ['no .elN release', 'systemd-257-9.fc40'],
    ['no release', 'systemd-257'],
    ['name ending in a dash', 'systemd--257-9.el10'],
    ['name starting with a digit', '1systemd-257-9.el10'],
    ['version not starting with a digit', 'systemd-v257-9.el10'],
    ['empty', ''],
    ['a repository NVR', 'NVIDIA/OpenShell-f418404'],
    ['surrounding space', ' systemd-257-9.el10'],
  ])('rejects %s', (_, nvr) => {
    expect(parseNvr(nvr)).toBeNull();
  });

  it('derives the project fields, dropping the dist tag from the release', () => {
    expect(nvrProjectFields(parseNvr('systemd-257-9.el10')!)).toEqual({
      projectName: 'systemd',
      packageName: 'systemd',
      projectVersion: '257-9',
    });
    expect(nvrProjectFields(parseNvr('kernel-5.14.0-427.13.1.el9_4')!).projectVersion).toBe('5.14.0-427.13.1');
  });

  it('fills every placeholder of a URL template, and gives null when the RHEL version is unknown', () => {
    const parsed = parseNvr('openssl-3.0.7-27.el9_4')!;
    expect(fillNvrTemplate('{nvr}|{name}|{version}|{release}|{rhelVersion}|{other}', parsed)).toBe(
      'openssl-3.0.7-27.el9_4|openssl|3.0.7|27.el9_4|9|{other}',
    );
    expect(fillNvrTemplate('x/{rhelVersion}', parseNvr('foreman-3.9.1-1.el8sat')!)).toBeNull();
    expect(fillNvrTemplate('x/{name}', parseNvr('foreman-3.9.1-1.el8sat')!)).toBe('x/foreman');
  });
});

describe('resolveJobInput for an RPM package', () => {
  it('derives project fields and URLs from the NVR', () => {
    expect(resolveJobInput({ packageNvr: 'systemd-257-9.el10', inputSourceUrl: SHEET }, settings)).toEqual({
      packageNvr: 'systemd-257-9.el10',
      packageName: 'systemd',
      projectName: 'systemd',
      projectVersion: '257-9',
      packageSourceCodeUrl:
        'https://download.devel.redhat.com/brewroot/vol/rhel-10/packages/systemd/257/9.el10/src/systemd-257-9.el10.src.rpm',
      knownFalsePositivesUrl: 'https://gitlab.cee.redhat.com/osh/known-false-positives/-/raw/master/systemd/ignore.err',
      inputSourceType: 'GOOGLE_SHEET',
      googleSheetUrl: SHEET,
      useKnownFalsePositiveFile: true,
      submittedBy: 'unknown',
      oshScanId: null,
      jiraLink: null,
      hostname: null,
      gitRevision: null,
      isRepositoryScan: false,
    });
  });

  it('trims values and keeps the optional columns', () => {
    const resolved = resolveJobInput(
      {
        packageNvr: '  systemd-257-9.el10 ',
        inputSourceUrl: ` ${SHEET} `,
        submittedBy: ' alice ',
        oshScanId: ' 12345 ',
        jiraLink: 'https://issues.redhat.com/browse/RHEL-1',
        hostname: 'builder-1',
        forceRescan: true,
        aggregateResultsGSheet: 'https://docs.google.com/spreadsheets/d/agg',
      },
      settings,
    );
    expect(resolved).toMatchObject({
      packageNvr: 'systemd-257-9.el10',
      googleSheetUrl: SHEET,
      submittedBy: 'alice',
      oshScanId: '12345',
      jiraLink: 'https://issues.redhat.com/browse/RHEL-1',
      hostname: 'builder-1',
    });
  });

  it('treats empty strings and nulls as not given', () => {
    const resolved = resolveJobInput(
      { packageNvr: 'systemd-257-9.el10', inputSourceUrl: SHEET, submittedBy: '   ', oshScanId: '', jiraLink: null },
      settings,
    );
    expect(resolved).toMatchObject({ submittedBy: 'unknown', oshScanId: null, jiraLink: null, hostname: null });
  });

  it('uses the known-false-positives file unless it is explicitly turned off', () => {
    const base = { packageNvr: 'systemd-257-9.el10', inputSourceUrl: SHEET };
    expect(resolveJobInput({ ...base, useKnownFalsePositiveFile: null }, settings).useKnownFalsePositiveFile).toBe(true);
    const off = resolveJobInput({ ...base, useKnownFalsePositiveFile: false }, settings);
    expect(off.useKnownFalsePositiveFile).toBe(false);
    expect(off.knownFalsePositivesUrl).toBeNull();
    expect(off.packageSourceCodeUrl).toContain('/systemd-257-9.el10.src.rpm');
  });

  it('leaves the source URL empty when the template needs a RHEL version the NVR lacks', () => {
    const resolved = resolveJobInput({ packageNvr: 'foreman-3.9.1-1.el8sat', inputSourceUrl: SHEET }, settings);
    expect(resolved.packageSourceCodeUrl).toBeNull();
    expect(resolved.knownFalsePositivesUrl).toContain('/foreman/ignore.err');
  });

  it('requires an NVR when no repository is given', () => {
    const error = errorOf({ inputSourceUrl: SHEET });
    expect(error.field).toBe('packageNvr');
    expect(error.message).toMatch(/packageNvr is required/);
  });

  it.each(['systemd-257-9.fc40', 'systemd', 'NVIDIA/OpenShell-f418404'])('rejects the invalid NVR %s', (nvr) => {
    const error = errorOf({ packageNvr: nvr, inputSourceUrl: SHEET });
    expect(error.field).toBe('packageNvr');
    expect(error.message).toContain('not a valid RHEL NVR');
    expect(error.message).toContain('.elN');
  });

  it('names the field when a derived URL would not fit its column', () => {
    const longTemplate = { ...settings, sourceRpmUrlTemplate: `https://example.com/${'x'.repeat(230)}/{nvr}` };
    expect(() =>
      resolveJobInput({ packageNvr: 'systemd-257-9.el10', inputSourceUrl: SHEET }, longTemplate),
    ).toThrowError(expect.objectContaining({ field: 'packageNvr', message: expect.stringContaining('packageSourceCodeUrl') }));
  });
});

describe('resolveJobInput for the input report', () => {
  const nvr = 'systemd-257-9.el10';

  it('requires inputSourceUrl or sarifUri', () => {
    const error = errorOf({ packageNvr: nvr });
    expect(error.field).toBe('inputSourceUrl');
    expect(error.message).toContain('sarifUri');
  });

  it('prefers sarifUri and types the job SARIF', () => {
    const resolved = resolveJobInput(
      { packageNvr: nvr, sarifUri: 'https://example.com/report', inputSourceUrl: SHEET },
      settings,
    );
    expect(resolved).toMatchObject({ inputSourceType: 'SARIF', googleSheetUrl: 'https://example.com/report' });
  });

  it.each([
    ['https://example.com/scan/systemd.sarif', 'SARIF'],
    ['https://example.com/scan/systemd.SARIF.json?token=x', 'SARIF'],
    ['https://example.com/scan/systemd.json', 'GOOGLE_SHEET'],
    ['http://example.com/report.csv', 'GOOGLE_SHEET'],
  ])('types %s as %s', (url, type) => {
    expect(resolveJobInput({ packageNvr: nvr, inputSourceUrl: url }, settings).inputSourceType).toBe(type);
  });

  it.each([
    ['inputSourceUrl', 'ftp://example.com/report.sarif'],
    ['inputSourceUrl', 'not a url'],
    ['sarifUri', 'file:///tmp/report.sarif'],
  ] as const)('rejects a non-http(s) %s', (field, url) => {
    const error = errorOf({ packageNvr: nvr, [field]: url });
    expect(error.field).toBe(field);
    expect(error.message).toContain('http(s) URL');
  });

  it('rejects an input URL longer than its column', () => {
    const url = `https://example.com/${'a'.repeat(240)}`;
    const error = errorOf({ packageNvr: nvr, inputSourceUrl: url });
    expect(error.field).toBe('inputSourceUrl');
    expect(error.message).toContain('at most 255 characters');
  });

  it.each(['submittedBy', 'oshScanId', 'jiraLink', 'hostname'] as const)('rejects a %s longer than 255', (field) => {
    expect(errorOf({ packageNvr: nvr, inputSourceUrl: SHEET, [field]: 'x'.repeat(256) }).field).toBe(field);
    expect(resolveJobInput({ packageNvr: nvr, inputSourceUrl: SHEET, [field]: 'x'.repeat(255) }, settings)[field]).toHaveLength(255);
  });
});

describe('resolveJobInput for a repository scan', () => {
  const sarifUri = 'https://example.com/scan.sarif';

  it('names the job after the repository and the short commit', () => {
    expect(
      resolveJobInput(
        {
          sourceCodeUrl: 'https://github.com/NVIDIA/OpenShell',
          commitId: 'f418404abcdef0123456789',
          sarifUri,
          useKnownFalsePositiveFile: true,
        },
        settings,
      ),
    ).toEqual({
      packageNvr: 'NVIDIA/OpenShell-f418404',
      packageName: 'OpenShell',
      projectName: 'OpenShell',
      projectVersion: 'f418404',
      packageSourceCodeUrl: 'https://github.com/NVIDIA/OpenShell',
      knownFalsePositivesUrl: null,
      inputSourceType: 'SARIF',
      googleSheetUrl: sarifUri,
      useKnownFalsePositiveFile: false,
      submittedBy: 'unknown',
      oshScanId: null,
      jiraLink: null,
      hostname: null,
      gitRevision: 'f418404abcdef0123456789',
      isRepositoryScan: true,
    });
  });

  it.each([
    ['https://github.com/NVIDIA/OpenShell.git', 'NVIDIA/OpenShell-f418404', 'OpenShell'],
    ['https://github.com/NVIDIA/OpenShell/tree/main', 'NVIDIA/OpenShell-f418404', 'OpenShell'],
    ['https://gitlab.com/redhat/sub/tool/-/tree/main', 'redhat/sub/tool-f418404', 'tool'],
  ])('reads owner/repo from %s', (sourceCodeUrl, packageNvr, packageName) => {
    expect(resolveJobInput({ sourceCodeUrl, commitId: 'f418404', sarifUri }, settings)).toMatchObject({
      packageNvr,
      packageName,
    });
  });

  it('keeps a given NVR as the label', () => {
    const resolved = resolveJobInput(
      { packageNvr: 'openshell-main', sourceCodeUrl: 'https://github.com/NVIDIA/OpenShell', commitId: 'f418404', sarifUri },
      settings,
    );
    expect(resolved).toMatchObject({ packageNvr: 'openshell-main', packageName: 'OpenShell', isRepositoryScan: true });
  });

  it('takes the report from inputSourceUrl when there is no sarifUri', () => {
    const resolved = resolveJobInput(
      { sourceCodeUrl: 'https://github.com/NVIDIA/OpenShell', commitId: 'f418404', inputSourceUrl: SHEET },
      settings,
    );
    expect(resolved).toMatchObject({ inputSourceType: 'GOOGLE_SHEET', googleSheetUrl: SHEET });
  });

  it('requires a commitId with a sourceCodeUrl', () => {
    const error = errorOf({ sourceCodeUrl: 'https://github.com/NVIDIA/OpenShell', sarifUri });
    expect(error.field).toBe('commitId');
  });

  it.each(['main', 'f41840', 'f418404-dirty'])('rejects the commitId %s', (commitId) => {
    expect(errorOf({ sourceCodeUrl: 'https://github.com/NVIDIA/OpenShell', commitId, sarifUri }).field).toBe('commitId');
  });

  it.each(['https://github.com/NVIDIA', 'git@github.com:NVIDIA/OpenShell.git'])(
    'rejects the repository URL %s',
    (sourceCodeUrl) => {
      expect(errorOf({ sourceCodeUrl, commitId: 'f418404', sarifUri }).field).toBe('sourceCodeUrl');
    },
  );

  it('treats inputSourceUrl + gitRevision without an NVR as the repository, the report coming from sarifUri', () => {
    const resolved = resolveJobInput(
      { inputSourceUrl: 'https://github.com/NVIDIA/OpenShell', gitRevision: 'f418404abc', sarifUri },
      settings,
    );
    expect(resolved).toMatchObject({
      packageNvr: 'NVIDIA/OpenShell-f418404',
      packageSourceCodeUrl: 'https://github.com/NVIDIA/OpenShell',
      gitRevision: 'f418404abc',
      inputSourceType: 'SARIF',
      googleSheetUrl: sarifUri,
      isRepositoryScan: true,
    });
  });

  it('needs sarifUri when inputSourceUrl names the repository', () => {
    const error = errorOf({ inputSourceUrl: 'https://github.com/NVIDIA/OpenShell', gitRevision: 'f418404abc' });
    expect(error.field).toBe('sarifUri');
  });

  it('ignores gitRevision for an NVR job', () => {
    const resolved = resolveJobInput(
      { packageNvr: 'systemd-257-9.el10', inputSourceUrl: SHEET, gitRevision: 'f418404' },
      settings,
    );
    expect(resolved).toMatchObject({ isRepositoryScan: false, gitRevision: null, googleSheetUrl: SHEET });
  });

  it('rejects a generated NVR longer than its column', () => {
    const owner = 'o'.repeat(250);
    const error = errorOf({ sourceCodeUrl: `https://gitlab.com/${owner}/repo`, commitId: 'f418404', sarifUri });
    expect(error.field).toBe('packageNvr');
  });
});
