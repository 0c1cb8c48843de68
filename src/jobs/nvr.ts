/**
 * RHEL package NVRs (name-version-release), e.g. `systemd-257-9.el10`.
 * The pattern is the existing orchestrator's: the release must carry `.elN`, so only RHEL builds are accepted.
 */
const NVR_PATTERN =
  /^([a-zA-Z][a-zA-Z\d._-]{0,80}(?<!-))-([\d][a-zA-Z\d.~+]{0,40})-([\d][a-zA-Z\d.+_]{0,30}\.el\d{1,2}.{0,20})$/;
const RHEL_VERSION_PATTERN = /\.el(\d+)(?:[._+]|$)/;

export interface ParsedNvr {
  nvr: string;
  name: string;
  version: string;
  release: string;
  /** null when the `.elN` tag runs into other letters (e.g. `.el8sat`), so no RHEL major can be read. */
  rhelVersion: string | null;
}

export function parseNvr(nvr: string): ParsedNvr | null {
  const match = NVR_PATTERN.exec(nvr);
  if (!match) return null;
  const [, name = '', version = '', release = ''] = match;
  return { nvr, name, version, release, rhelVersion: RHEL_VERSION_PATTERN.exec(release)?.[1] ?? null };
}

export interface NvrProjectFields {
  projectName: string;
  packageName: string;
  projectVersion: string;
}

/** projectVersion drops the dist tag: `257-9.el10` → `257-9`. */
export function nvrProjectFields(parsed: ParsedNvr): NvrProjectFields {
  // A literal split on ".el" (the Java original split on the regex ".el", which also cut at e.g. "xel").
  const releaseWithoutDist = parsed.release.split('.el')[0] ?? parsed.release;
  return {
    projectName: parsed.name,
    packageName: parsed.name,
    projectVersion: `${parsed.version}-${releaseWithoutDist}`,
  };
}

const PLACEHOLDER = /\{(name|version|release|nvr|rhelVersion)\}/g;

/**
 * Fills {name} {version} {release} {nvr} {rhelVersion} in a URL template.
 * Returns null when the template needs a value the NVR does not have (only rhelVersion can be missing),
 * because a URL with a hole in it would point at the wrong thing.
 */
export function fillNvrTemplate(template: string, parsed: ParsedNvr): string | null {
  let missing = false;
  const filled = template.replace(PLACEHOLDER, (_, key: keyof ParsedNvr) => {
    const value = parsed[key];
    if (value === null) missing = true;
    return value ?? '';
  });
  return missing ? null : filled;
}
