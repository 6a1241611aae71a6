import type { Handlers, PageProps } from "@/framework/mod.ts";
import {
  formatWhen,
  isRole,
  maskPhone,
  ROLES,
  type User,
  type UserStatus,
} from "@/services/identity/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { FilterForm, FilterSelect, FilterText, Pager } from "@/components/AdminFilters.tsx";
import { ListTable } from "@/components/ui.tsx";
import { oneOf, pageParam } from "@/routes/admin/(_admin)/list_query.ts";

const PAGE = 50;
const STATUSES: UserStatus[] = ["active", "disabled", "locked"];
type Kind = "staff" | "customers" | "all";

interface Row {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  roles: string[];
  status: UserStatus;
  totp: boolean;
  lastSignInAt: string | null;
}

interface Data {
  rows: Row[];
  total: number;
  filters: { q: string; role: string; status: string; kind: Kind; page: number };
}

function toRow(u: User): Row {
  return {
    id: u.id,
    name: u.displayName,
    email: u.email,
    phone: u.phone ? maskPhone(u.phone) : null,
    roles: u.roles,
    status: u.status,
    totp: u.totpEnabled,
    lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
  };
}

/** Accounts, staff first: search by name, email or phone; filter by role, status and kind. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "users.manage");
    const p = ctx.url.searchParams;
    const role = p.get("role") ?? "";
    const status = p.get("status") ?? "";
    const kindParam = p.get("kind");
    const kind: Kind = kindParam === "customers" || kindParam === "all" ? kindParam : "staff";
    const page = pageParam(p);
    const q = (p.get("q") ?? "").slice(0, 200);
    const { rows, total } = await ctx.state.deps.identity.listUsers({
      q,
      role: isRole(role) ? role : undefined,
      status: oneOf(STATUSES, status),
      staff: kind === "all" ? undefined : kind === "staff",
      limit: PAGE,
      offset: (page - 1) * PAGE,
    });
    ctx.state.title = `${ctx.state.t.identity.admin.usersTitle} — ${ctx.state.t.site.name}`;
    return {
      data: { rows: rows.map(toRow), total, filters: { q, role, status, kind, page } },
    };
  },
};

export default function Users({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.identity;
  const a = m.admin;
  const f = data.filters;
  const roleNames = (roles: string[]) => roles.map((x) => (isRole(x) ? m.roles[x] : x)).join(", ");
  const when = (iso: string | null) => formatWhen(state.lang, iso ? new Date(iso) : null);
  return (
    <>
      <div class="flex flex-wrap items-center justify-between gap-3 mb-4">
        <h1 class="text-2xl font-bold">{a.usersTitle}</h1>
        <a href="/admin/users/new" class="rounded bg-brand-600 text-white px-4 py-2">
          {a.newUser}
        </a>
      </div>
      <FilterForm action="/admin/users" submit={a.filter}>
        <FilterText label={a.search} name="q" value={f.q} placeholder={a.searchHint} />
        <FilterSelect
          label={a.kind}
          name="kind"
          value={f.kind}
          options={[
            ["staff", a.kindStaff],
            ["customers", a.kindCustomers],
            ["all", a.kindAll],
          ]}
        />
        <FilterSelect
          label={a.role}
          name="role"
          value={f.role}
          any={a.anyRole}
          options={ROLES.map((r) => [r, m.roles[r]])}
        />
        <FilterSelect
          label={a.status}
          name="status"
          value={f.status}
          any={a.anyStatus}
          options={STATUSES.map((s) => [s, a.statuses[s]])}
        />
      </FilterForm>
      <p class="text-sm text-gray-600 mb-2">{a.total(data.total)}</p>
      {data.rows.length === 0 && <p class="text-gray-700">{a.noUsers}</p>}
      {data.rows.length > 0 && (
        <>
          {/* Phones: one card per account. */}
          <ul class="md:hidden space-y-2">
            {data.rows.map((r) => (
              <li class="bg-white border border-gray-200 rounded-lg p-3 text-sm">
                <a href={`/admin/users/${r.id}`} class="text-brand-700 underline font-semibold">
                  {r.name}
                </a>
                {r.email && <p class="break-all">{r.email}</p>}
                {r.phone && <p>{r.phone}</p>}
                <p class="text-gray-700">{roleNames(r.roles)}</p>
                <p class="text-gray-600">
                  {a.statuses[r.status]} · {a.twoFactor}: {r.totp ? "✓" : "—"} · {a.lastSignIn}:
                  {" "}
                  {when(r.lastSignInAt)}
                </p>
              </li>
            ))}
          </ul>
          <ListTable
            heads={[
              a.name,
              <>{a.email} / {a.phone}</>,
              a.roles,
              a.status,
              a.twoFactor,
              a.lastSignIn,
            ]}
            cell="p-2"
            class="hidden md:block"
          >
            {data.rows.map((r) => (
              <tr class="border-t border-gray-200 align-top">
                <td class="p-2">
                  <a href={`/admin/users/${r.id}`} class="text-brand-700 underline">{r.name}</a>
                </td>
                <td class="p-2">
                  {r.email && <div class="break-words">{r.email}</div>}
                  {r.phone && <div class="whitespace-nowrap">{r.phone}</div>}
                </td>
                <td class="p-2">{roleNames(r.roles)}</td>
                <td class="p-2">{a.statuses[r.status]}</td>
                <td class="p-2">{r.totp ? "✓" : "—"}</td>
                <td class="p-2 whitespace-nowrap">{when(r.lastSignInAt)}</td>
              </tr>
            ))}
          </ListTable>
        </>
      )}
      <Pager url={url} page={f.page} hasNext={f.page * PAGE < data.total} labels={a} />
    </>
  );
}
