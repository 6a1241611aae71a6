import type { CollectionPoint } from "@/services/intake/mod.ts";
import { Button } from "@/components/ui.tsx";
import { ActionForm, Input, IntakeFrame, Table } from "./(_intake)/kit.tsx";
import { done, intakeScreen, type ScreenProps } from "./(_intake)/screen.ts";

/** Collection points where contract farmers deliver. */
export const handler = intakeScreen<{ points: CollectionPoint[] }>(
  "points",
  async (ctx) => ({ points: await ctx.state.deps.intake.listPoints() }),
  {
    async create(ctx, v, actor) {
      await ctx.state.deps.intake.createPoint(v, actor);
      return done("/admin/intake/points", ctx.state.t.intake.points.saved);
    },
  },
);

export default function Points(
  { data, state, url }: ScreenProps<{ points: CollectionPoint[] }>,
) {
  const m = state.t.intake;
  return (
    <IntakeFrame state={state} url={url} screen={data}>
      <Table
        empty={m.points.none}
        head={[m.f.code, m.f.name, m.f.village, m.f.upazila, m.f.active]}
        rows={data.page.points.map((x) => [
          x.code,
          x.name,
          x.village ?? "",
          x.upazilaCode ?? "",
          x.active ? "✓" : "—",
        ])}
      />
      <ActionForm screen={data} action="create" card="max-w-xl">
        <h2 class="font-semibold mb-2">{m.points.add}</h2>
        <div class="grid sm:grid-cols-2 gap-x-3">
          <Input name="code" label={m.f.code} screen={data} />
          <Input name="name" label={m.f.name} screen={data} />
          <Input name="village" label={m.f.village} screen={data} />
          <Input name="upazilaCode" label={m.f.upazila} inputMode="numeric" screen={data} />
        </div>
        <Button>{m.points.add}</Button>
      </ActionForm>
    </IntakeFrame>
  );
}
