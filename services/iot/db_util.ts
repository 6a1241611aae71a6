/** Small helpers shared by the IoT services. */

/** The SQLSTATE of a PostgreSQL error, if it is one. */
export function pgCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" ? code : undefined;
}

/** Form fields arrive as strings; an empty one means "none". */
export function emptyToNull(v: unknown): unknown {
  return typeof v === "string" && v.trim() === "" ? null : v;
}
