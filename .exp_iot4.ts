import postgres from "postgres";
import { migrate } from "@/services/platform/migrate.ts";
const admin = postgres("postgres://postgres@127.0.0.1:5432/postgres", { onnotice: () => {} });
const name = "iotexp_" + Math.random().toString(36).slice(2, 8);
await admin.unsafe(`create database ${name}`);
const sql = postgres(`postgres://postgres@127.0.0.1:5432/${name}`, { onnotice: () => {} });
try {
  console.log(await migrate(sql));
  console.log(await sql`select * from iot_storage`);
  console.log(await sql`select iot_storage_plan(false, null) a, iot_storage_plan(true,'apache') b, iot_storage_plan(true,'timescale') c, iot_storage_plan(true, null) d`);
} finally { await sql.end(); await admin.unsafe(`drop database ${name}`); await admin.end(); }
