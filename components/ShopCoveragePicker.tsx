import type { Lang } from "@/services/i18n/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import type { Coverage } from "@/services/shop/mod.ts";
import ShopAddressPicker from "@/islands/ShopAddressPicker.tsx";

type PlaceField = "divisionId" | "districtId" | "upazilaId" | "zoneId";

/**
 * The address picker island fed from the delivery coverage in the page's language; only the
 * names, ids and (with `showFees`) fees it needs go to the browser.
 */
export function ShopCoveragePicker(props: {
  coverage: Coverage;
  lang: Lang;
  showFees: boolean;
  value: Partial<Record<PlaceField, string>>;
  errors: Partial<Record<PlaceField, string>>;
  labels: Record<"division" | "district" | "upazila" | "zone" | "choose", string>;
}) {
  const { coverage, lang, value: v, errors: e, labels: l } = props;
  const name = (x: { nameEn: string; nameBn: string }) => (lang === "bn" ? x.nameBn : x.nameEn);
  return (
    <ShopAddressPicker
      divisions={coverage.divisions.map((d) => ({ id: d.id, name: name(d) }))}
      districts={coverage.districts.map((d) => ({
        id: d.id,
        name: name(d),
        divisionId: d.divisionId,
      }))}
      upazilas={coverage.upazilas.map((u) => ({
        id: u.id,
        name: name(u),
        districtId: u.districtId,
        zoneIds: u.zoneIds,
      }))}
      zones={coverage.zones.map((z) => ({
        id: z.id,
        name: name(z),
        fee: props.showFees ? formatTaka(z.feeMinor, lang) : "",
      }))}
      value={{
        divisionId: v.divisionId ?? "",
        districtId: v.districtId ?? "",
        upazilaId: v.upazilaId ?? "",
        zoneId: v.zoneId ?? "",
      }}
      labels={{
        division: l.division,
        district: l.district,
        upazila: l.upazila,
        zone: l.zone,
        choose: l.choose,
      }}
      errors={{
        divisionId: e.divisionId,
        districtId: e.districtId,
        upazilaId: e.upazilaId,
        zoneId: e.zoneId,
      }}
    />
  );
}
