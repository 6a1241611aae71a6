/**
 * `deno task audit:verify`: walks the audit log's hash chain. Exit 0 and a count when it is
 * intact; exit 1 and a line naming the first tampered row when it is not.
 */
import type { Sql } from "@/services/platform/db.ts";
import { createAudit } from "@/services/audit/mod.ts";

/** Verifies and reports through `print`; returns the exit code. */
export async function runAuditVerify(
  sql: Sql,
  print: (line: string) => void = console.log,
): Promise<number> {
  const r = await createAudit({ sql }).verify();
  if (r.ok) {
    print(`audit log intact: ${r.count} entries, head ${r.headHash.slice(0, 16)}…`);
    return 0;
  }
  print(`audit log TAMPERED at row ${r.firstBadId}: ${r.reason}`);
  print(`(${r.count} entries before it verified)`);
  return 1;
}

if (import.meta.main) {
  const { loadConfig } = await import("@/services/platform/config.ts");
  const { openDatabase } = await import("@/services/platform/db.ts");
  const db = await openDatabase(loadConfig());
  let code = 1;
  try {
    code = await runAuditVerify(
      db.sql,
      (line) => (line.includes("TAMPERED") ? console.error(line) : console.log(line)),
    );
  } finally {
    await db.close();
  }
  Deno.exit(code);
}
