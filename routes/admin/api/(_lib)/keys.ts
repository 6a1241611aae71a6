/**
 * The key forms of one client (new, revoke, rotate), for the back office and the B2B portal:
 * what they posted → one call of the API context's door → the new key to show once, or errors.
 */
import type { Actor, Api } from "@/services/api/mod.ts";
import { dhakaInstant, isDate, NotFoundError, ValidationError } from "@/services/api/mod.ts";

export interface KeyOutcome {
  newKey: string | null;
  errors: Record<string, string>;
  values: Record<string, string>;
}

export async function keyAction(
  api: Api,
  clientId: number,
  v: Record<string, string>,
  actor: Actor,
): Promise<KeyOutcome> {
  const none = { newKey: null, errors: {}, values: {} };
  const keyId = Number(v.keyId);
  // Only this client's keys (a key id of another client is "not found").
  const scoped = clientId;
  switch (v.action) {
    case "revoke":
      if (!Number.isSafeInteger(keyId)) throw new NotFoundError("No such API key");
      await api.revokeKey(keyId, actor, scoped);
      return none;
    case "rotate": {
      if (!Number.isSafeInteger(keyId)) throw new NotFoundError("No such API key");
      const r = await api.rotateKey(keyId, actor, { clientId: scoped });
      return { ...none, newKey: r.key };
    }
    case "key": {
      const expires = (v.expiresOn ?? "").trim();
      if (expires && !isDate(expires)) {
        return { newKey: null, errors: { expiresAt: "expiresAt" }, values: v };
      }
      try {
        const r = await api.createKey(clientId, {
          name: v.name ?? "",
          // The end of that day in Dhaka.
          expiresAt: expires ? dhakaInstant(expires, "23:59") : null,
        }, actor);
        return { ...none, newKey: r.key };
      } catch (e) {
        if (e instanceof ValidationError) {
          const errors: Record<string, string> = {};
          for (const k of Object.keys(e.fieldErrors)) {
            errors[k] = k in { name: 1, expiresAt: 1 } ? k : "other";
          }
          return { newKey: null, errors, values: v };
        }
        throw e;
      }
    }
    default:
      return none;
  }
}
