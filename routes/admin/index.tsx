import type { Handlers, PageProps } from "@/framework/mod.ts";
import { can } from "@/services/identity/mod.ts";
import { toBanglaDigits } from "@/services/i18n/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";

interface Card {
  label: string;
  value: number;
  href: string;
}

interface Data {
  cards: Card[];
}

/** The back office's start page: a few counts and links, each only for those who may open it. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const me = requirePermission(ctx, "admin.access");
    const m = ctx.state.t.identity.admin;
    ctx.state.title = `${m.dashboard} — ${ctx.state.t.site.name}`;
    const { identity, notify, audit } = ctx.state.deps;
    const cards: Promise<Card>[] = [];
    if (can(me.roles, "users.manage")) {
      cards.push(
        identity.listUsers({ staff: true, limit: 1 }).then((r) => ({
          label: m.staff,
          value: r.total,
          href: "/admin/users?kind=staff",
        })),
        identity.listUsers({ staff: false, limit: 1 }).then((r) => ({
          label: m.customers,
          value: r.total,
          href: "/admin/users?kind=customers",
        })),
      );
    }
    if (can(me.roles, "outbox.view")) {
      cards.push(
        notify.list({ status: "queued", limit: 1 }).then((r) => ({
          label: m.outboxQueued,
          value: r.total,
          href: "/admin/outbox?status=queued",
        })),
      );
    }
    if (can(me.roles, "audit.view")) {
      cards.push(
        audit.list({ limit: 1 }).then((r) => ({
          label: m.auditEntries,
          value: r.total,
          href: "/admin/audit",
        })),
      );
    }
    return { data: { cards: await Promise.all(cards) } };
  },
};

export default function Dashboard({ data, state }: PageProps<Data, State>) {
  const m = state.t.identity.admin;
  const n = (v: number) => (state.lang === "bn" ? toBanglaDigits(String(v)) : String(v));
  return (
    <>
      <h1 class="text-2xl font-bold mb-1">{m.dashboard}</h1>
      <p class="mb-4 text-gray-700">{m.welcome(state.user?.displayName ?? "")}</p>
      <ul class="grid gap-3 grid-cols-2 lg:grid-cols-4">
        {data.cards.map((c) => (
          <li>
            <a
              href={c.href}
              class="block bg-white border border-gray-200 rounded-lg p-4 hover:border-brand-600"
            >
              <span class="block text-3xl font-bold text-brand-700" data-count>{n(c.value)}</span>
              <span class="block text-sm text-gray-700">{c.label}</span>
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
