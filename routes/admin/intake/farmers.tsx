import { type Farmer, optionalId } from "@/services/intake/mod.ts";
import { Button } from "@/components/ui.tsx";
import { ActionForm, Check, Input, IntakeFrame, Table } from "./(_intake)/kit.tsx";
import { done, intakeScreen, one, type ScreenProps } from "./(_intake)/screen.ts";

interface Page {
  farmers: Farmer[];
  editing: Farmer | null;
  search: string;
  today: string;
}

const HERE = "/admin/intake/farmers";

/** The contract-farmer register: who they are, where, and how they are paid; deductions. */
export const handler = intakeScreen<Page>(
  "farmers",
  async (ctx) => {
    const intake = ctx.state.deps.intake;
    const q = ctx.url.searchParams;
    const search = (q.get("q") ?? "").slice(0, 60);
    const id = optionalId(q.get("farmer"));
    return {
      farmers: await intake.listFarmers({ search: search || undefined }),
      editing: id ? await intake.getFarmer(id) : null,
      search,
      today: intake.today(),
    };
  },
  {
    async save(ctx, v, actor) {
      const id = optionalId(one(v.farmerId));
      const f = await ctx.state.deps.intake.saveFarmer(v, actor, id ?? undefined);
      return done(`${HERE}?farmer=${f.id}`, ctx.state.t.intake.farmers.saved);
    },
    async deduct(ctx, v, actor) {
      await ctx.state.deps.intake.addDeduction(v, actor);
      return done(`${HERE}?farmer=${one(v.farmerId)}`, ctx.state.t.intake.farmers.deductionSaved);
    },
  },
);

export default function Farmers({ data, state, url }: ScreenProps<Page>) {
  const m = state.t.intake;
  const p = data.page;
  const e = p.editing;
  const posted = one(data.values.action);
  const farmerForm = posted === "deduct" ? { ...data, values: {}, errors: {} } : data;
  const deductForm = posted === "deduct" ? data : { ...data, values: {}, errors: {} };
  const fields: [string, string, string, string?][] = [
    ["code", m.f.code, e?.code ?? ""],
    ["name", m.f.name, e?.name ?? ""],
    ["phone", m.f.phone, e?.phone ?? "", "tel"],
    ["village", m.f.village, e?.village ?? ""],
    ["upazilaCode", m.f.upazila, e?.upazilaCode ?? ""],
    ["bkash", m.f.bkash, e?.bkash ?? "", "tel"],
    ["bankName", m.f.bankName, e?.bankName ?? ""],
    ["bankAccount", m.f.bankAccount, e?.bankAccount ?? ""],
  ];
  return (
    <IntakeFrame state={state} url={url} screen={data}>
      <form method="get" class="flex gap-2 mb-3 max-w-md">
        <input
          name="q"
          value={p.search}
          placeholder={m.farmers.searchHint}
          aria-label={m.farmers.searchHint}
          class="rounded border px-2 py-1 flex-1"
        />
        <Button kind="small">{m.farmers.search}</Button>
      </form>
      <Table
        empty={m.farmers.none}
        head={[m.f.code, m.f.name, m.f.phone, m.f.village, m.f.bkash, m.f.bankAccount, m.f.active]}
        rows={p.farmers.map((f) => [
          <a class="underline" href={`${HERE}?farmer=${f.id}`}>{f.code}</a>,
          f.name,
          f.phone,
          f.village ?? "",
          f.bkash ?? "",
          f.bankAccount ? `${f.bankName ?? ""} ${f.bankAccount}` : "",
          f.active ? "✓" : "—",
        ])}
      />
      <section class="grid lg:grid-cols-2 gap-6">
        <ActionForm
          screen={data}
          action="save"
          card
          hidden={e ? { farmerId: e.id } : {}}
        >
          <h2 class="font-semibold mb-2">{e ? `${m.farmers.edit}: ${e.name}` : m.farmers.add}</h2>
          <div class="grid sm:grid-cols-2 gap-x-3">
            {fields.map(([name, label, value, type]) => (
              <Input name={name} label={label} type={type} value={value} screen={farmerForm} />
            ))}
          </div>
          <Check
            name="active"
            label={m.f.active}
            screen={farmerForm}
            on={e ? e.active : true}
            class="flex items-center gap-2 mb-3"
          />
          <Button>{m.farmers.save}</Button>
        </ActionForm>
        {e && (
          <ActionForm
            screen={data}
            action="deduct"
            card
            hidden={{ farmerId: e.id }}
          >
            <h2 class="font-semibold mb-2">{m.farmers.deduction}</h2>
            <Input
              name="onDate"
              label={m.f.day}
              type="date"
              value={p.today}
              screen={deductForm}
            />
            <Input
              name="amountMinor"
              label={m.f.amountPoisha}
              inputMode="numeric"
              screen={deductForm}
            />
            <Input name="reason" label={m.f.reason} screen={deductForm} />
            <Button kind="secondary">{m.farmers.deduction}</Button>
          </ActionForm>
        )}
      </section>
    </IntakeFrame>
  );
}
