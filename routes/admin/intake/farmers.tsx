import type { PageProps } from "@/framework/mod.ts";
import { type Farmer, optionalId } from "@/services/intake/mod.ts";
import { Button } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import {
  done,
  Input,
  IntakeFrame,
  intakeScreen,
  one,
  type Screen,
  Table,
} from "./(_intake)/screen.tsx";

interface Page {
  farmers: Farmer[];
  editing: Farmer | null;
  search: string;
  today: string;
}

const HERE = "/admin/intake/farmers";

/** The contract-farmer register: who they are, where, and how they are paid; deductions. */
export const handler = intakeScreen<Page>(
  (t) => t.intake.farmers.title,
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

export default function Farmers({ data, state, url }: PageProps<Screen<Page>, State>) {
  const m = state.t.intake;
  const p = data.page;
  const e = p.editing;
  const posted = one(data.values.action);
  const farmerForm = posted === "deduct" ? { ...data, values: {}, errors: {} } : data;
  const deductForm = posted === "deduct" ? data : { ...data, values: {}, errors: {} };
  return (
    <IntakeFrame state={state} path={url.pathname} title={m.farmers.title} notice={data.notice}>
      <form method="get" class="flex gap-2 mb-3 max-w-md">
        <input name="q" value={p.search} class="rounded border px-2 py-1 flex-1" />
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
        <form method="post" class="bg-white border rounded p-4" novalidate>
          <h2 class="font-semibold mb-2">{e ? `${m.farmers.edit}: ${e.name}` : m.farmers.add}</h2>
          <input type="hidden" name="_csrf" value={data.csrf} />
          <input type="hidden" name="action" value="save" />
          {e && <input type="hidden" name="farmerId" value={e.id} />}
          <div class="grid sm:grid-cols-2 gap-x-3">
            <Input name="code" label={m.f.code} value={e?.code} screen={farmerForm} />
            <Input name="name" label={m.f.name} value={e?.name} screen={farmerForm} />
            <Input
              name="phone"
              label={m.f.phone}
              type="tel"
              value={e?.phone}
              screen={farmerForm}
            />
            <Input
              name="village"
              label={m.f.village}
              value={e?.village ?? ""}
              screen={farmerForm}
            />
            <Input
              name="upazilaCode"
              label={m.f.upazila}
              inputMode="numeric"
              value={e?.upazilaCode ?? ""}
              screen={farmerForm}
            />
            <Input
              name="bkash"
              label={m.f.bkash}
              type="tel"
              value={e?.bkash ?? ""}
              screen={farmerForm}
            />
            <Input
              name="bankName"
              label={m.f.bankName}
              value={e?.bankName ?? ""}
              screen={farmerForm}
            />
            <Input
              name="bankAccount"
              label={m.f.bankAccount}
              value={e?.bankAccount ?? ""}
              screen={farmerForm}
            />
          </div>
          <label class="flex items-center gap-2 mb-3">
            <input type="checkbox" name="active" checked={e ? e.active : true} />
            {m.f.active}
          </label>
          <Button>{m.farmers.save}</Button>
        </form>
        {e && (
          <form method="post" class="bg-white border rounded p-4" novalidate>
            <h2 class="font-semibold mb-2">{m.farmers.deduction}</h2>
            <input type="hidden" name="_csrf" value={data.csrf} />
            <input type="hidden" name="action" value="deduct" />
            <input type="hidden" name="farmerId" value={e.id} />
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
          </form>
        )}
      </section>
    </IntakeFrame>
  );
}
