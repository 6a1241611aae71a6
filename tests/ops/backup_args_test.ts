/**
 * The backup tasks' input: restore targets in the forms an operator types (Dhaka time when no
 * offset is given), bad arguments refused with exit code 2 and a message before anything runs,
 * and the encrypted archive refusing a wrong passphrase or a damaged file.
 */
import { equal, match, rejects, throws } from "node:assert/strict";
import { parseTarget } from "@/services/ops/mod.ts";
import { BackupPassphraseError, openArchive, sealArchive } from "@/services/ops/archive.ts";
import { runTask } from "./_helpers.ts";

Deno.test("restore targets: offsets, Dhaka time by default, fractions; nonsense refused", () => {
  equal(parseTarget("2026-12-01 10:15+06").toISOString(), "2026-12-01T04:15:00.000Z");
  equal(parseTarget("2026-12-01 10:15").toISOString(), "2026-12-01T04:15:00.000Z");
  equal(parseTarget("2026-12-01T10:15:30Z").toISOString(), "2026-12-01T10:15:30.000Z");
  equal(parseTarget("2026-12-07T12:09:56.684Z").toISOString(), "2026-12-07T12:09:56.684Z");
  equal(parseTarget("2026-12-01 10:15:30+0530").toISOString(), "2026-12-01T04:45:30.000Z");
  throws(() => parseTarget("yesterday"), /expected a time such as "2026-12-01 10:15\+06"/);
  throws(() => parseTarget("2026-13-45 10:15"), /not a valid time/);
});

Deno.test("the tasks refuse bad arguments with exit code 2 before doing anything", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "sd_ops_args_" });
  try {
    const type = await runTask(["backup", "--type", "weekly"], { DATA_DIR: dataDir });
    equal(type.code, 2);
    match(type.output, /--type weekly: expected full, diff or incr/);
    const to = await runTask(["restore", "--to", "last tuesday"], { DATA_DIR: dataDir });
    equal(to.code, 2);
    match(to.output, /--to "last tuesday"/);
    const config = await runTask(["list"], { DATA_DIR: dataDir, BACKUP_KEEP: "0" });
    equal(config.code, 2);
    match(config.output, /BACKUP_KEEP="0"/);
    const unknown = await runTask(["rewind"], { DATA_DIR: dataDir });
    equal(unknown.code, 2);
    match(unknown.output, /usage:/);
    // Nothing was created by the refused commands.
    equal([...Deno.readDirSync(dataDir)].filter((e) => e.name === "backups").length, 0);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("archive: round trip; a wrong passphrase or a flipped byte is refused", async () => {
  const files = new Map([["kv.bin", new Uint8Array([1, 2, 3])], [
    "secrets/app_secret",
    new TextEncoder().encode("s3cret"),
  ]]);
  const sealed = await sealArchive("a passphrase of some length", "server", files, { label: "x" });
  const back = await openArchive("a passphrase of some length", sealed);
  equal(back.header.meta.label, "x");
  equal(new TextDecoder().decode(back.files.get("secrets/app_secret")), "s3cret");
  equal([...back.files.get("kv.bin")!].join(","), "1,2,3");
  await rejects(openArchive("another passphrase entirely", sealed), BackupPassphraseError);
  const damaged = sealed.slice();
  damaged[damaged.length - 5] ^= 1;
  await rejects(openArchive("a passphrase of some length", damaged), BackupPassphraseError);
  await rejects(
    openArchive("x", new TextEncoder().encode("not an archive at all, no")),
    /not a Smart Dairy backup archive/,
  );
});
