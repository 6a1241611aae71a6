import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { userCan } from "@/plugins/session.ts";
import { farmGuard, type Permission, title } from "@/routes/farm/(_farm)/farm.ts";

/** Screens of the manage menu, with the permission each needs (vets keep the medicines). */
const SCREENS: [string, "groups" | "feeds" | "rations" | "medicines" | "vaccines", Permission][] = [
  ["/farm/manage/groups", "groups", "farm.manage"],
  ["/farm/manage/feeds", "feeds", "farm.manage"],
  ["/farm/manage/rations", "rations", "farm.manage"],
  ["/farm/manage/medicines", "medicines", "farm.health"],
  ["/farm/manage/vaccines", "vaccines", "farm.manage"],
];

export const handler: Handlers<null, State> = {
  GET(ctx) {
    const f = farmGuard(ctx, "farm.health");
    title(ctx, f.m.manage.title);
    return { data: null };
  },
};

export default function ManageIndex({ state }: PageProps<null, State>) {
  const m = state.t.farm;
  return (
    <>
      <h1 class="text-xl font-bold mb-1">{m.manage.title}</h1>
      <p class="text-sm text-gray-600 mb-3">{m.manage.intro}</p>
      <ul class="grid gap-2">
        {SCREENS.filter(([, , p]) => userCan({ state }, p)).map(([href, key]) => (
          <li>
            <a
              href={href}
              class="block bg-white rounded-lg border border-gray-200 px-3 py-3 font-semibold text-brand-700"
            >
              {m.manage[key]} →
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
