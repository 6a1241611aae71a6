/** Who is recording: the signed-in user (or a job), for recorded_by and permission re-checks. */
import { can, type Permission, type Role } from "@/services/identity/roles.ts";
import { FarmRuleError } from "./errors.ts";

export interface Actor {
  userId: string | null;
  roles: readonly Role[];
}

/** The milk-meter import and the seed: no user, all farm permissions. */
export const SYSTEM_ACTOR: Actor = { userId: null, roles: ["farm_manager"] };

export function assertFarmCan(actor: Actor, permission: Permission): void {
  if (!can(actor.roles, permission)) {
    throw new FarmRuleError("forbidden", `This needs the "${permission}" permission`, {
      permission,
    });
  }
}
