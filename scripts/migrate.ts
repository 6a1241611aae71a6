/**
 * `deno task migrate`        applies pending migrations and lists what it applied.
 * `deno task migrate:status` prints every migration's state; exits 1 if one was edited or removed
 *                            after being applied.
 * Works on the server in DATABASE_URL or, without it, on the embedded database in DATA_DIR
 * (which must not be open in another process, e.g. a running `deno task start`).
 */
import { ConfigError, loadConfig } from "@/services/platform/config.ts";
import { DatabaseError, openDatabase, redactUrl } from "@/services/platform/db.ts";
import { migrate, MigrationError, migrationStatus } from "@/services/platform/migrate.ts";
import { EmbeddedPgLockedError } from "@/services/platform/embedded_pg.ts";

const command = Deno.args[0] ?? "up";
if (command !== "up" && command !== "status") {
  console.error(`Unknown command ${JSON.stringify(command)}: use "up" (default) or "status".`);
  Deno.exit(2);
}

let exitCode = 0;
try {
  const config = loadConfig();
  const target = config.DATABASE_URL
    ? redactUrl(config.DATABASE_URL)
    : `embedded database in ${config.DATA_DIR}/pg`;
  const db = await openDatabase(config);
  try {
    if (command === "up") {
      const { applied } = await migrate(db.sql);
      if (applied.length === 0) console.log(`${target}: up to date, nothing to apply.`);
      else {
        console.log(`${target}: applied ${applied.length} migration(s):`);
        for (const file of applied) console.log(`  ${file}`);
      }
    } else {
      const states = await migrationStatus(db.sql);
      console.log(`${target}:`);
      const width = Math.max(4, ...states.map((s) => s.file.length));
      console.log(`  ${"file".padEnd(width)}  ${"state".padEnd(7)}  applied at`);
      for (const s of states) {
        console.log(
          `  ${s.file.padEnd(width)}  ${s.state.padEnd(7)}  ${s.applied_at?.toISOString() ?? ""}`,
        );
        if (s.state === "edited" || s.state === "missing") exitCode = 1;
      }
      const pending = states.filter((s) => s.state === "pending").length;
      console.log(`${states.length} migration(s), ${pending} pending.`);
    }
  } finally {
    await db.close();
  }
} catch (err) {
  if (
    err instanceof MigrationError || err instanceof ConfigError ||
    err instanceof EmbeddedPgLockedError || err instanceof DatabaseError
  ) {
    console.error((err as Error).message);
    exitCode = 1;
  } else throw err;
}
Deno.exit(exitCode);
