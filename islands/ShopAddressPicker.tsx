import { useSignal } from "@preact/signals";

interface Item {
  id: number;
  name: string;
}

export interface AddressPickerProps {
  divisions: Item[];
  districts: (Item & { divisionId: number })[];
  upazilas: (Item & { districtId: number; zoneIds: number[] })[];
  /** Areas with their delivery fee as shown ("" to show none). */
  zones: (Item & { fee: string })[];
  value: { divisionId: string; districtId: string; upazilaId: string; zoneId: string };
  labels: { division: string; district: string; upazila: string; zone: string; choose: string };
  errors: { divisionId?: string; districtId?: string; upazilaId?: string; zoneId?: string };
}

const cls = (bad: boolean) =>
  `w-full rounded border px-3 py-2 bg-white ${bad ? "border-red-600" : "border-gray-300"}`;

/**
 * Division → district → thana → area selects. Without JavaScript all four list every place we
 * deliver to and the server checks that they fit together; with it, each list only offers what
 * fits the choice above it.
 */
export default function ShopAddressPicker(props: AddressPickerProps) {
  const division = useSignal(props.value.divisionId);
  const district = useSignal(props.value.districtId);
  const upazila = useSignal(props.value.upazilaId);
  const zone = useSignal(props.value.zoneId);
  const districts = props.districts.filter((d) =>
    !division.value || String(d.divisionId) === division.value
  );
  const upazilas = props.upazilas.filter((u) =>
    !district.value || String(u.districtId) === district.value
  );
  const chosen = props.upazilas.find((u) => String(u.id) === upazila.value);
  const zones = props.zones.filter((z) => !chosen || chosen.zoneIds.includes(z.id));
  const select = (
    id: keyof AddressPickerProps["value"],
    label: string,
    items: Item[],
    value: { value: string },
    onPick: (v: string) => void,
    extra?: (i: Item) => string,
  ) => (
    <div class="mb-4">
      <label for={id} class="block text-sm font-medium mb-1">{label}</label>
      <select
        id={id}
        name={id}
        required
        class={cls(!!props.errors[id])}
        aria-invalid={props.errors[id] ? "true" : undefined}
        value={value.value}
        onChange={(e) => onPick((e.currentTarget as HTMLSelectElement).value)}
      >
        <option value="">{props.labels.choose}</option>
        {items.map((i) => (
          <option value={String(i.id)} selected={String(i.id) === value.value}>
            {i.name}
            {extra ? extra(i) : ""}
          </option>
        ))}
      </select>
      {props.errors[id] && <p class="text-sm text-red-700 mt-1" role="alert">{props.errors[id]}</p>}
    </div>
  );
  return (
    <div class="grid gap-x-4 sm:grid-cols-2">
      {select("divisionId", props.labels.division, props.divisions, division, (v) => {
        division.value = v;
        district.value = "";
        upazila.value = "";
      })}
      {select("districtId", props.labels.district, districts, district, (v) => {
        district.value = v;
        upazila.value = "";
      })}
      {select("upazilaId", props.labels.upazila, upazilas, upazila, (v) => {
        upazila.value = v;
        const u = props.upazilas.find((x) => String(x.id) === v);
        if (u && !u.zoneIds.includes(Number(zone.value))) {
          zone.value = u.zoneIds.length === 1 ? String(u.zoneIds[0]) : "";
        }
      })}
      {select(
        "zoneId",
        props.labels.zone,
        zones,
        zone,
        (v) => (zone.value = v),
        (i) => {
          const fee = (i as Item & { fee: string }).fee;
          return fee ? ` · ${fee}` : "";
        },
      )}
    </div>
  );
}
