import type { PageProps } from "@/framework/mod.ts";
import { CheckboxGrid, PostForm } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { type ZoneAdmin, zoneInputSchema } from "@/services/shop/mod.ts";
import { adminButton, adminInput, ShopAdminHeader } from "@/components/ShopAdmin.tsx";
import { type AdminCtx, formScreen, staffScreen } from "./(_lib)/admin.ts";

/** Dhaka district in the geography tables (0300_bangladesh_geo.sql). */
const DHAKA_DISTRICT = 47;

interface Data {
  zones: ZoneAdmin[];
  upazilas: { id: number; nameEn: string; kind: string }[];
  editing: number | null;
  csrf: string;
  error: string | null;
  saved: boolean;
}

async function render(ctx: AdminCtx, error: string | null, status = 200) {
  const shop = ctx.state.deps.shop;
  return await formScreen(
    ctx,
    "Delivery zones",
    {
      zones: await shop.adminZones(),
      upazilas: await shop.upazilasOfDistrict(DHAKA_DISTRICT),
      editing: Number(ctx.url.searchParams.get("zone")) || null,
    },
    error,
    status,
  );
}

export const handler = staffScreen<Data>(
  "catalog.manage",
  (ctx) => render(ctx, null),
  async (ctx, user) => {
    const f = ctx.form!;
    const zoneId = Number(f.get("zoneId"));
    const parsed = zoneInputSchema.safeParse({
      fee: f.get("fee") ?? "",
      minOrder: f.get("minOrder") ?? "",
      active: f.get("active") === "on",
      upazilaIds: f.getAll("upazila").map(String),
    });
    if (!parsed.success || !zoneId) {
      return await render(ctx, parsed.error?.issues[0].message ?? "Choose a zone", 422);
    }
    await ctx.state.deps.shop.updateZone(zoneId, parsed.data, user.id);
    return ctx.redirect(`/admin/shop/zones?saved=1&zone=${zoneId}`);
  },
);

export default function Zones({ data, url }: PageProps<Data, State>) {
  const names = new Map(data.upazilas.map((u) => [u.id, u.nameEn]));
  const z = data.zones.find((x) => x.id === data.editing);
  return (
    <>
      <ShopAdminHeader title="Delivery zones" path={url.pathname} screen={data} />
      <table class="w-full bg-white border text-sm text-left mb-4">
        <thead class="bg-gray-100">
          <tr>
            <th class="p-2">Zone</th>
            <th class="p-2">Fee</th>
            <th class="p-2">Minimum</th>
            <th class="p-2">Thanas</th>
            <th class="p-2">Active</th>
          </tr>
        </thead>
        <tbody>
          {data.zones.map((x) => (
            <tr class="border-t">
              <td class="p-2">
                <a class="text-brand-700 underline" href={`?zone=${x.id}`}>{x.nameEn}</a>
              </td>
              <td class="p-2">{formatTaka(x.feeMinor, "en")}</td>
              <td class="p-2">{formatTaka(x.minOrderMinor, "en")}</td>
              <td class="p-2">{x.upazilaIds.map((i) => names.get(i) ?? i).join(", ")}</td>
              <td class="p-2">{x.active ? "yes" : "no"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {z && (
        <PostForm csrf={data.csrf} class="bg-white border rounded p-4 text-sm">
          <input type="hidden" name="zoneId" value={z.id} />
          <h2 class="font-semibold mb-2">{z.nameEn}</h2>
          <div class="flex flex-wrap gap-3 mb-3">
            <label class="flex flex-col">
              Delivery fee ৳<input
                name="fee"
                value={(z.feeMinor / 100).toFixed(2)}
                class={`${adminInput} w-24`}
              />
            </label>
            <label class="flex flex-col">
              Minimum order ৳<input
                name="minOrder"
                value={(z.minOrderMinor / 100).toFixed(2)}
                class={`${adminInput} w-24`}
              />
            </label>
            <label class="flex gap-2 items-center">
              <input type="checkbox" name="active" checked={z.active} /> Delivering
            </label>
          </div>
          <fieldset>
            <legend class="font-medium mb-1">Thanas covered (Dhaka district)</legend>
            <CheckboxGrid
              name="upazila"
              options={data.upazilas.map((u) => [u.id, u.nameEn])}
              checked={z.upazilaIds}
              class="grid grid-cols-2 sm:grid-cols-3 lg:grid-cols-5 gap-1"
              labelClass="flex gap-1 items-center"
            />
          </fieldset>
          <button type="submit" class={`${adminButton} mt-3`}>Save zone</button>
        </PostForm>
      )}
    </>
  );
}
