import type { Handlers, PageProps } from "@/framework/mod.ts";
import { type AuditVerification, canonicalJson } from "@/services/audit/mod.ts";
import { formatWhen } from "@/services/identity/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { AuthNotice } from "@/components/AuthCard.tsx";
import { FilterForm, FilterText, Pager } from "@/components/AdminFilters.tsx";
import { pageParam } from "@/routes/admin/(_admin)/list_query.ts";

const PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Row {
  id: string;
  at: string;
  actor: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  data: string;
}

interface Data {
  rows: Row[];
  total: number;
  filters: { action: string; entity: string; entityId: string; actor: string; page: number };
  verification?: AuditVerification;
}

/** The audit log, newest first, with filters and an on-demand check of the hash chain. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "audit.view");
    const { audit, identity } = ctx.state.deps;
    const p = ctx.url.searchParams;
    const text = (k: string) => (p.get(k) ?? "").trim().slice(0, 200);
    const filters = {
      action: text("action"),
      entity: text("entity"),
      entityId: text("entityId"),
      actor: text("actor"),
      page: pageParam(p),
    };
    const { rows, total } = await audit.list({
      action: filters.action || undefined,
      entity: filters.entity || undefined,
      entityId: filters.entityId || undefined,
      actorId: UUID.test(filters.actor) ? filters.actor : undefined,
      limit: PAGE,
      offset: (filters.page - 1) * PAGE,
    });
    // Walks the whole log: only when asked for.
    const verification = p.has("verify") ? await audit.verify() : undefined;
    // Who did it, by name: one query for the distinct actors on the page.
    const actorIds = rows.map((r) => r.actorId).filter((x): x is string => !!x);
    const names = await identity.displayNames(actorIds);
    ctx.state.title = `${ctx.state.t.identity.admin.auditTitle} — ${ctx.state.t.site.name}`;
    return {
      data: {
        rows: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actor: r.actorId ? names.get(r.actorId) ?? r.actorId : null,
          action: r.action,
          entity: r.entity,
          entityId: r.entityId,
          data: canonicalJson(r.data),
        })),
        total,
        filters,
        verification,
      },
    };
  },
};

export default function Audit({ data, state, url }: PageProps<Data, State>) {
  const a = state.t.identity.admin;
  const f = data.filters;
  const v = data.verification;
  const withParam = (k: string, val: string) => {
    const u = new URL(url);
    u.searchParams.set(k, val);
    return u.pathname + u.search;
  };
  return (
    <>
      <div class="flex flex-wrap items-center justify-between gap-3 mb-4">
        <h1 class="text-2xl font-bold">{a.auditTitle}</h1>
        <a href={withParam("verify", "1")} class="rounded bg-brand-600 text-white px-4 py-2">
          {a.verify}
        </a>
      </div>
      {v && (
        <AuthNotice kind={v.ok ? "ok" : "error"}>
          <span data-chain={v.ok ? "ok" : "broken"}>
            {v.ok
              ? a.chainOk(v.count, v.headHash.slice(0, 16))
              : a.chainBad(v.firstBadId, v.reason)}
          </span>
        </AuthNotice>
      )}
      <FilterForm action="/admin/audit" submit={a.filter}>
        <FilterText label={a.action} name="action" value={f.action} placeholder="user.signed_in" />
        <FilterText label={a.entity} name="entity" value={f.entity} placeholder="user" />
        <FilterText label="ID" name="entityId" value={f.entityId} />
      </FilterForm>
      <p class="text-sm text-gray-600 mb-2">{a.entries(data.total)}</p>
      {data.rows.length === 0 ? <p class="text-gray-700">{a.noEntries}</p> : (
        <ol class="space-y-2">
          {data.rows.map((r) => (
            <li class="bg-white border border-gray-200 rounded-lg p-3 text-sm" data-entry={r.id}>
              <div class="flex flex-wrap gap-x-3 gap-y-1 items-baseline">
                <span class="text-gray-600">#{r.id}</span>
                <span class="font-mono font-semibold break-all">{r.action}</span>
                <span class="text-gray-700">{a.actor}: {r.actor ?? a.system}</span>
                <span class="text-gray-600 md:ml-auto whitespace-nowrap">
                  {formatWhen(state.lang, new Date(r.at))}
                </span>
              </div>
              <p class="text-gray-700 break-all">
                {a.entity}: {r.entity}
                {r.entityId && <span class="font-mono ml-1">{r.entityId}</span>}
              </p>
              {r.data !== "{}" && (
                <p class="font-mono text-xs text-gray-700 break-all mt-1">{r.data}</p>
              )}
            </li>
          ))}
        </ol>
      )}
      <Pager url={url} page={f.page} hasNext={f.page * PAGE < data.total} labels={a} />
    </>
  );
}
