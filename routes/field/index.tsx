/**
 * The field sales representative's phone page (installable, kept by the service worker for
 * offline use like /farm and /rider): their outlets with balances and overdue invoices; orders,
 * visits and cash collections wait on the phone and go to /field/sync (islands/FieldSales.tsx).
 */
import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { requirePermission } from "@/plugins/session.ts";
import { ServiceWorker } from "@/components/ServiceWorker.tsx";
import { StaffAppLayout } from "@/components/StaffAppLayout.tsx";
import { b2bMoneyMessages } from "@/services/b2b/mod.ts";
import FieldSales, { type FieldProps } from "@/islands/FieldSales.tsx";

interface Data {
  field: FieldProps;
  title: string;
  intro: string;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const user = requirePermission(ctx, "b2b.field");
    const t = b2bMoneyMessages[ctx.state.lang];
    ctx.state.title = t.field;
    return {
      data: {
        title: t.field,
        intro: t.fieldIntro,
        field: {
          csrf: await ctx.csrfToken(),
          userId: user.id,
          lang: ctx.state.lang,
          outlets: await ctx.state.deps.b2b.routeOf(user.id),
          t: {
            balance: t.balance,
            overdue: t.overdue,
            visit: t.visit,
            recordVisit: t.recordVisit,
            collect: t.collect,
            recordCollection: t.recordCollection,
            takeOrder: t.takeOrder,
            waiting: t.waiting,
            sync: t.sync,
            synced: t.synced,
            offline: t.offline,
            sku: t.sku,
            qty: t.qty,
            reason: t.reason,
          },
        },
      },
      headers: { "cache-control": "private, no-cache" },
    };
  },
};

export default function Field({ data, state, url }: PageProps<Data, State>) {
  return (
    <StaffAppLayout
      state={state}
      path={url.pathname}
      csrf={data.field.csrf}
      app={{ href: "/field", label: data.title }}
    >
      <h1 class="text-2xl font-bold mb-1">{data.title}</h1>
      <p class="text-sm mb-3">{data.intro}</p>
      <FieldSales {...data.field} />
      <ServiceWorker />
    </StaffAppLayout>
  );
}
