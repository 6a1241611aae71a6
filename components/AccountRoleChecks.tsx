import { type Role, ROLES } from "@/services/identity/roles.ts";
import type { IdentityMessages } from "@/services/identity/messages.ts";

/** Role checkboxes for the admin user forms (customer last: staff accounts are the usual case). */
export function AccountRoleChecks(
  props: { m: IdentityMessages; checked: readonly string[]; errors?: string[] },
) {
  const order: Role[] = [...ROLES.filter((r) => r !== "customer"), "customer"];
  return (
    <fieldset class="mb-4">
      <legend class="block text-sm font-medium mb-1">{props.m.admin.roles}</legend>
      <div class="grid grid-cols-1 sm:grid-cols-2 gap-1">
        {order.map((r) => (
          <label class="flex items-center gap-2 py-1">
            <input
              type="checkbox"
              name="roles"
              value={r}
              checked={props.checked.includes(r)}
              class="h-4 w-4"
            />
            {props.m.roles[r]}
          </label>
        ))}
      </div>
      {(props.errors ?? []).map((e) => <p class="text-sm text-red-700 mt-1" role="alert">{e}</p>)}
    </fieldset>
  );
}
