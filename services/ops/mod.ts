/**
 * The operations context's door (docs/operations.md): backups (pgBackRest in server mode,
 * encrypted PGlite + KV snapshots in embedded mode), restores, the restore drill, and the
 * scrape-time gauges of the queues and backups. It owns no tables: it works on whole databases
 * and reads other contexts only through their doors.
 */
export {
  backupEmbeddedNow,
  backupPassphrase,
  drillEmbedded,
  listSnapshots,
  registerEmbeddedBackupMetrics,
  restoreEmbedded,
  startEmbeddedBackups,
  takeSnapshot,
} from "./embedded.ts";
export {
  BackupError,
  backupServerNow,
  drillServer,
  listServerBackups,
  parseTarget,
  registerServerBackupMetrics,
  repoInfo,
  restoreServer,
  setupServerBackups,
} from "./pgbackrest.ts";
export { registerDatabaseMetrics, registerOutboxMetrics } from "./queue_metrics.ts";
export { BackupPassphraseError, openArchive } from "./archive.ts";
