import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes, so an operator finds runs in the Temporal UI, e.g.
 * `SastPackageName = "systemd"` or `SastBatchId = 12`. Registered on the dev server at start;
 * a real cluster needs `temporal operator search-attribute create` once (docs/temporal.md).
 */
export const SastBatchId = defineSearchAttributeKey('SastBatchId', SearchAttributeType.INT);
export const SastJobId = defineSearchAttributeKey('SastJobId', SearchAttributeType.INT);
export const SastPackageName = defineSearchAttributeKey('SastPackageName', SearchAttributeType.KEYWORD);
export const SastPackageNvr = defineSearchAttributeKey('SastPackageNvr', SearchAttributeType.KEYWORD);
export const SastStatus = defineSearchAttributeKey('SastStatus', SearchAttributeType.KEYWORD);
export const SastSubmittedBy = defineSearchAttributeKey('SastSubmittedBy', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [SastBatchId, SastJobId, SastPackageName, SastPackageNvr, SastStatus, SastSubmittedBy];

const CLI_TYPE_NAMES: Record<string, string> = {
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.KEYWORD]: 'Keyword',
};

/** `--search-attribute Name=Type` flags for `temporal server start-dev`. */
export function searchAttributeFlags(): string[] {
  return ALL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`]);
}
