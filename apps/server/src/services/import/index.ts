/**
 * The import domain (issue 14): reading archives safely, reading the files, classifying them
 * against the catalog, the report, the proposed topology and the read-only inventory of other
 * layouts. Pure: no store, no SSH, no HTTP; the imports service stores what these return.
 */
export { DEFAULT_ARCHIVE_LIMITS, ImportRefusal, entryPath, readArchive, stripCommonTop, type ArchiveLimits, type ImportEntry } from './archive.ts';
export { buildImportReport, detectLayout } from './report.ts';
export { proposeTopology, type Proposal } from './propose.ts';
export { KUBEADM_CERTIFICATES } from './inventory.ts';
