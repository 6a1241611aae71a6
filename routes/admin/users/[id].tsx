import type { Handlers, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { formatPhone, formatWhen, type Role, ROLES, type User } from "@/services/identity/mod.ts";
import { requireFreshSecondFactor, requirePermission } from "@/plugins/session.ts";
import { field, type FieldErrors, formErrors } from "@/plugins/auth_forms.ts";
import type { Context } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { AuthNotice } from "@/components/AuthCard.tsx";
import { AccountRoleChecks } from "@/components/AccountRoleChecks.tsx";

type Notice = "created" | "roles" | "status" | "totp" | "sessions";
const NOTICES: Notice[] = ["created", "roles", "status", "totp", "sessions"];

interface Data {
  csrf: string;
  user: {
    id: string;
    name: string;
    email: string | null;
    phone: string | null;
    roles: Role[];
    status: User["status"];
    totp: boolean;
    createdAt: string;
    lastSignInAt: string | null;
    lockedUntil: string | null;
  };
  sessions: number;
  self: boolean;
  notice?: Notice;
  ended?: number;
  errors: FieldErrors;
}

async function load(ctx: Context<State>): Promise<User> {
  const u = await ctx.state.deps.identity.getUser(ctx.params.id ?? "");
  if (!u) throw new HttpError(404);
  return u;
}

async function pageData(ctx: Context<State>, u: User, errors: FieldErrors = {}): Promise<Data> {
  const q = ctx.url.searchParams;
  const notice = NOTICES.find((n) => q.has(n));
  return {
    csrf: await ctx.csrfToken(),
    user: {
      id: u.id,
      name: u.displayName,
      email: u.email,
      phone: u.phone ? formatPhone(u.phone) : null,
      roles: u.roles,
      status: u.status,
      totp: u.totpEnabled,
      createdAt: u.createdAt.toISOString(),
      lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
      lockedUntil: u.lockedUntil && u.lockedUntil.getTime() > Date.now()
        ? u.lockedUntil.toISOString()
        : null,
    },
    sessions: (await ctx.state.deps.identity.sessions.listForUser(u.id)).length,
    self: u.id === ctx.state.user?.id,
    notice,
    ended: notice === "sessions" ? Number(q.get("sessions")) || 0 : undefined,
    errors,
  };
}

const back = (id: string, notice: string) =>
  new Response(null, { status: 303, headers: { location: `/admin/users/${id}?${notice}` } });

/** One account: roles, status, second factor and sessions. Every change is audited. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "users.manage");
    const u = await load(ctx);
    ctx.state.title = `${u.displayName} — ${ctx.state.t.site.name}`;
    return { data: await pageData(ctx, u) };
  },

  async POST(ctx) {
    const me = requirePermission(ctx, "users.manage");
    const u = await load(ctx);
    const identity = ctx.state.deps.identity;
    ctx.state.title = `${u.displayName} — ${ctx.state.t.site.name}`;
    // Role changes and second-factor resets: a second factor at most 5 minutes old (step-up).
    if (["roles", "reset_totp"].includes(field(ctx, "action"))) {
      await requireFreshSecondFactor(ctx);
    }
    try {
      switch (field(ctx, "action")) {
        case "roles": {
          const roles = ctx.form!.getAll("roles").map(String).filter((r): r is Role =>
            (ROLES as readonly string[]).includes(r)
          );
          // Open sessions get the new roles at once (a removed role stops working now).
          await identity.setRoles(me.id, u.id, roles);
          return back(u.id, "roles");
        }
        case "status": {
          const status = field(ctx, "status") as User["status"];
          await identity.setUserStatus(me.id, u.id, status);
          return back(u.id, "status");
        }
        case "reset_totp": {
          await identity.resetSecondFactor(me.id, u.id);
          return back(u.id, "totp");
        }
        case "end_sessions": {
          const n = await identity.endSessions(me.id, u.id);
          return back(u.id, `sessions=${n}`);
        }
      }
    } catch (e) {
      const errors = formErrors(e, ctx.state.t);
      return { status: 422, data: await pageData(ctx, await load(ctx), errors) };
    }
    throw new HttpError(400, "Unknown action");
  },
};

export default function EditUser({ data, state }: PageProps<Data, State>) {
  const m = state.t.identity;
  const a = m.admin;
  const u = data.user;
  const when = (iso: string | null) => formatWhen(state.lang, iso ? new Date(iso) : null);
  const csrf = <input type="hidden" name="_csrf" value={data.csrf} />;
  const notices: Record<Notice, string> = {
    created: a.created,
    roles: a.rolesSaved,
    status: a.statusSaved,
    totp: a.twoFactorReset,
    sessions: a.sessionsEnded(data.ended ?? 0),
  };
  const errorList = Object.values(data.errors).flat();
  const box = "bg-white border border-gray-200 rounded-lg p-4 mb-4";
  return (
    <div class="max-w-3xl">
      <p class="mb-2 text-sm">
        <a href="/admin/users" class="text-brand-700 underline">← {a.usersTitle}</a>
      </p>
      <h1 class="text-2xl font-bold mb-3">{u.name}</h1>
      {data.notice && <AuthNotice kind="ok">{notices[data.notice]}</AuthNotice>}
      {errorList.length > 0 && <AuthNotice kind="error">{errorList.join(" ")}</AuthNotice>}
      <section class={box}>
        <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt class="text-gray-600">{a.email}</dt>
          <dd class="break-all">{u.email ?? "—"}</dd>
          <dt class="text-gray-600">{a.phone}</dt>
          <dd>{u.phone ?? "—"}</dd>
          <dt class="text-gray-600">{a.status}</dt>
          <dd>{a.statuses[u.status]}</dd>
          {u.lockedUntil && (
            <>
              <dt class="text-gray-600">{a.lockedUntil}</dt>
              <dd>{when(u.lockedUntil)}</dd>
            </>
          )}
          <dt class="text-gray-600">{a.twoFactor}</dt>
          <dd>{u.totp ? m.account.twoFactorOn : m.account.twoFactorOff}</dd>
          <dt class="text-gray-600">{a.createdAt}</dt>
          <dd>{when(u.createdAt)}</dd>
          <dt class="text-gray-600">{a.lastSignIn}</dt>
          <dd>{when(u.lastSignInAt)}</dd>
        </dl>
      </section>

      <form method="post" class={box}>
        {csrf}
        <AccountRoleChecks m={m} checked={u.roles} />
        <button
          type="submit"
          name="action"
          value="roles"
          class="rounded bg-brand-600 text-white px-4 py-2"
        >
          {a.saveRoles}
        </button>
      </form>

      <form method="post" class={`${box} flex flex-wrap items-end gap-3`}>
        {csrf}
        <label class="flex flex-col text-sm">
          {a.status}
          <select name="status" class="rounded border border-gray-300 px-2 py-2 bg-white">
            {(["active", "disabled", "locked"] as const).map((s) => (
              <option value={s} selected={u.status === s}>{a.statuses[s]}</option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          name="action"
          value="status"
          class="rounded border border-brand-600 text-brand-700 bg-white px-4 py-2"
        >
          {a.setStatus}
        </button>
      </form>

      <section class={box}>
        <p class="mb-3 text-sm">{a.openSessions(data.sessions)}</p>
        <div class="flex flex-wrap gap-3">
          <form method="post">
            {csrf}
            <button
              type="submit"
              name="action"
              value="end_sessions"
              class="rounded border border-red-700 text-red-800 bg-white px-4 py-2"
            >
              {a.endSessions}
            </button>
          </form>
          {u.totp && (
            <form method="post">
              {csrf}
              <button
                type="submit"
                name="action"
                value="reset_totp"
                class="rounded border border-red-700 text-red-800 bg-white px-4 py-2"
              >
                {a.resetTwoFactor}
              </button>
              <p class="text-xs text-gray-600 mt-1 max-w-xs">{a.resetTwoFactorHint}</p>
            </form>
          )}
        </div>
      </section>
    </div>
  );
}
