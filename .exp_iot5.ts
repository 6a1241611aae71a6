import postgres from "postgres";
import { migrate } from "@/services/platform/migrate.ts";
import { TelemetryColumns, insertReadings, copyReadings } from "@/services/iot/telemetry.ts";
const admin = postgres("postgres://postgres@127.0.0.1:5432/postgres", { onnotice: () => {} });
const name = "iotexp_" + Math.random().toString(36).slice(2, 8);
await admin.unsafe(`create database ${name}`);
const sql = postgres(`postgres://postgres@127.0.0.1:5432/${name}`, { onnotice: () => {}, max: 4 });
try {
  await migrate(sql);
  let t0 = Date.now();
  const mk = (k: number) => { const c = new TelemetryColumns(); for (let i = 0; i < 5000; i++) c.push("dev-" + (i % 100), i % 2 ? "steps" : "temperature_c", 1.7e12 + k * 1e6 + i, Math.random() * 10, i % 3 ? null : "tag'\"\\,{}" + i, null); return c; };
  for (const mode of ["unnest", "copy", "unnest", "copy"]) {
    let n = 0; t0 = performance.now();
    for (let k = 0; k < 20; k++) { const c = mk(k + (mode === "copy" ? 1000 : 0) + Math.floor(t0)); n += await sql.begin((tx) => mode === "copy" ? copyReadings(tx, c) : insertReadings(tx, c)); }
    const dt = performance.now() - t0; console.log(mode, n, "rows", (n / dt * 1000).toFixed(0), "rows/s");
  }
  const c = mk(1); console.log("dup insert", await sql.begin((tx) => insertReadings(tx, c)), await sql.begin((tx) => insertReadings(tx, c)));
  console.log(await sql`select * from telemetry where animal_tag is not null limit 2`);
} finally { await sql.end(); await admin.unsafe(`drop database ${name}`); await admin.end(); }
