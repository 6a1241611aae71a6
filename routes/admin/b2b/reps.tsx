import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { b2bMoneyMessages, ValidationError } from "@/services/b2b/mod.ts";
import { buttonClass, CheckboxGrid, linkClass, PostForm } from "@/components/ui.tsx";
import { adminB2bPage, b2bStaff } from "@/routes/b2b/(_lib)/web.tsx";

interface Rep {
  id: string;
  name: string;
  outlets: number[];
}
interface Data {
  reps: Rep[];
  outlets: { id: number; label: string }[];
  csrf: string;
  error: string | null;
}

/** Staff give each sales representative their outlets (the route on the rep's /field page). */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const t = b2bMoneyMessages[ctx.state.lang];
    const { identity, b2b } = ctx.state.deps;
    const users = (await identity.listUsers({ role: "sales", status: "active", limit: 200 })).rows;
    const reps: Rep[] = [];
    for (const u of users) {
      reps.push({
        id: u.id,
        name: u.displayName,
        outlets: (await b2b.routeOf(u.id)).map((o) => o.outletId),
      });
    }
    const outlets: Data["outlets"] = [];
    for (const a of await b2b.listAccounts("active")) {
      for (const o of await b2b.outlets(a.id)) {
        outlets.push({ id: o.id, label: `${a.company} · ${o.name}` });
      }
    }
    return await adminB2bPage(ctx, t.reps, 200, {
      reps,
      outlets,
      error: ctx.url.searchParams.get("error") ? t.errors.noLines : null,
    });
  },
  async POST(ctx) {
    const actor = b2bStaff(ctx);
    const f = ctx.form!;
    const ids = f.getAll("outlet").map((v) => Number(v));
    try {
      await ctx.state.deps.b2b.setRoute(String(f.get("rep") ?? ""), ids, actor);
    } catch (e) {
      if (e instanceof ValidationError) return ctx.redirect("/admin/b2b/reps?error=1");
      throw e;
    }
    return ctx.redirect("/admin/b2b/reps?saved=1");
  },
};

export default function Reps({ data, state }: PageProps<Data, State>) {
  const t = b2bMoneyMessages[state.lang];
  return (
    <>
      <p class="mb-2 text-sm">
        <a class={linkClass} href="/admin/b2b">B2B</a>
      </p>
      <h1 class="text-2xl font-bold mb-4">{t.reps}</h1>
      {data.error && <p role="alert" class="text-red-700 mb-2">{data.error}</p>}
      {data.reps.length === 0 && <p>{t.noReps}</p>}
      {data.reps.map((r) => (
        <PostForm csrf={data.csrf} class="border rounded p-3 mb-4" data-rep={r.id}>
          <input type="hidden" name="rep" value={r.id} />
          <h2 class="font-semibold mb-1">{t.rep}: {r.name}</h2>
          <CheckboxGrid
            name="outlet"
            options={data.outlets.map((o) => [o.id, o.label])}
            checked={r.outlets}
            class="grid sm:grid-cols-2 gap-1 mb-2"
            labelClass="text-sm"
          />
          <button type="submit" class={buttonClass()}>{t.saveRoute}</button>
        </PostForm>
      ))}
    </>
  );
}
