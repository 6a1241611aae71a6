/**
 * What must never run in production: the development message transport (delivers nothing, shows
 * codes) and the local fake providers (payments, SMS, email, WhatsApp, push). Production is an
 * https PUBLIC_URL, or NODE_ENV / APP_ENV=production; ALLOW_FAKES_IN_PRODUCTION=1 forces them.
 */
export function isProduction(env: Record<string, string | undefined>): boolean {
  const named = [env.NODE_ENV, env.APP_ENV].some((v) =>
    (v ?? "").trim().toLowerCase() === "production"
  );
  return named || (env.PUBLIC_URL ?? "").trim().toLowerCase().startsWith("https://");
}

export class ProductionGuardError extends Error {
  constructor(what: string) {
    super(
      `${what} refused to start: this looks like production (PUBLIC_URL is https or ` +
        `NODE_ENV/APP_ENV=production). Configure the real providers, or set ` +
        `ALLOW_FAKES_IN_PRODUCTION=1 to force it.`,
    );
    this.name = "ProductionGuardError";
  }
}

/** Throws unless `env` is not production, or the operator forced it. */
export function assertNotProduction(
  what: string,
  env: Record<string, string | undefined> = Deno.env.toObject(),
): void {
  if (isProduction(env) && (env.ALLOW_FAKES_IN_PRODUCTION ?? "").trim() !== "1") {
    throw new ProductionGuardError(what);
  }
}
