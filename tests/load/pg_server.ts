import postgres from "postgres";

/** The PostgreSQL server to measure on: TEST_DATABASE_URL, else a local one if it answers. */
export async function serverUrl(): Promise<string | null> {
  const given = Deno.env.get("TEST_DATABASE_URL");
  if (given) return given;
  const local = "postgres://postgres@127.0.0.1:5432/postgres";
  const probe = postgres(local, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await probe`select 1`;
    return local;
  } catch {
    return null;
  } finally {
    await probe.end({ timeout: 1 });
  }
}
