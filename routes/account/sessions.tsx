import type { Handlers, PageProps } from "@/framework/mod.ts";
import { PostForm } from "@/components/ui.tsx";
import { formatWhen, type RememberedDevice, type Session } from "@/services/identity/mod.ts";
import { assertSignedIn, currentSession, endSession } from "@/plugins/session.ts";
import { field } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { AccountPage } from "@/components/AccountNav.tsx";
import { AuthNotice } from "@/components/AuthCard.tsx";
import { AccountDetail, AccountItem, RemoveForm } from "@/components/AccountList.tsx";

interface Row {
  id: string;
  device: string;
  ip: string;
  createdAt: number;
  lastSeenAt: number;
  current: boolean;
}

interface DeviceRow {
  id: string;
  device: string;
  rememberedAt: number;
  expiresAt: number;
  lastUsedAt: number | null;
}

function toDeviceRow(d: RememberedDevice): DeviceRow {
  return {
    id: d.id,
    device: describeAgent(d.userAgent) ?? "",
    rememberedAt: d.rememberedAt,
    expiresAt: d.expiresAt,
    lastUsedAt: d.lastUsedAt,
  };
}

interface Data {
  csrf: string;
  rows: Row[];
  /** Devices that keep the person signed in ("keep me signed in on this device"). */
  devices: DeviceRow[];
  notice?: string;
}

/** "Firefox on Android" from a user agent string — enough to recognise one's own devices. */
export function describeAgent(ua: string): string | null {
  if (!ua) return null;
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /OPR\/|Opera/.test(ua)
    ? "Opera"
    : /SamsungBrowser/.test(ua)
    ? "Samsung Internet"
    : /Firefox\//.test(ua)
    ? "Firefox"
    : /Chrome\/|CriOS/.test(ua)
    ? "Chrome"
    : /Safari\//.test(ua)
    ? "Safari"
    : null;
  const os = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad|iOS/.test(ua)
    ? "iOS"
    : /Windows/.test(ua)
    ? "Windows"
    : /Mac OS X|Macintosh/.test(ua)
    ? "macOS"
    : /Linux/.test(ua)
    ? "Linux"
    : null;
  if (browser && os) return `${browser} · ${os}`;
  return browser ?? os ?? ua.slice(0, 60);
}

function toRow(s: Session, currentId: string | undefined): Row {
  return {
    id: s.id,
    device: describeAgent(s.userAgent) ?? "",
    ip: s.ip,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    current: s.id === currentId,
  };
}

/** The person's own sessions: see them, end one, or end all the others. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const me = assertSignedIn(ctx);
    const m = ctx.state.t.identity;
    ctx.state.title = `${m.account.sessions} — ${ctx.state.t.site.name}`;
    const store = ctx.state.deps.identity.sessions;
    const sessions = (await store.listForUser(me.id)).filter((s) => s.stage === "signed_in");
    const q = ctx.url.searchParams;
    const others = Number(q.get("others"));
    return {
      data: {
        csrf: await ctx.csrfToken(),
        rows: sessions.map((s) => toRow(s, ctx.state.sessionId)),
        devices: (await ctx.state.deps.identity.devices.listForUser(me.id)).map(toDeviceRow),
        notice: q.has("forgotten")
          ? m.devices.forgotten
          : q.has("ended")
          ? m.sessions.ended
          : q.has("others") && Number.isInteger(others) && others >= 0
          ? m.sessions.endedOthers(others)
          : undefined,
      },
    };
  },

  async POST(ctx) {
    const me = assertSignedIn(ctx);
    const store = ctx.state.deps.identity.sessions;
    const current = currentSession(ctx);
    if (field(ctx, "action") === "forget_device") {
      // Someone else's (or an unknown) id: nothing is forgotten, and nothing to tell.
      await ctx.state.deps.identity.devices.forget(me.id, field(ctx, "device"));
      return seeOther("/account/sessions?forgotten=1");
    }
    if (field(ctx, "action") === "end_others") {
      const n = await store.destroyAllForUser(me.id, { except: current?.id });
      return seeOther(`/account/sessions?others=${n}`);
    }
    const id = field(ctx, "id");
    const mine = (await store.listForUser(me.id)).find((s) => s.id === id);
    // Someone else's (or an unknown) id: nothing to end, and nothing to tell.
    if (mine && mine.id === current?.id) {
      await endSession(ctx);
      return seeOther("/signin?signedout=1");
    }
    if (mine) await store.destroy(mine.id, me.id);
    return seeOther("/account/sessions?ended=1");
  },
};

function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

export default function Sessions({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.identity;
  const lang = state.lang;
  return (
    <AccountPage state={state} path={url.pathname} title={m.account.title}>
      <h2 class="text-xl font-semibold mb-2">{m.account.sessions}</h2>
      <p class="mb-4 text-gray-700">{m.account.sessionsIntro}</p>
      {data.notice && <AuthNotice kind="ok">{data.notice}</AuthNotice>}
      <ul class="space-y-3 max-w-2xl">
        {data.rows.map((r) => (
          <AccountItem>
            <div class="min-w-0">
              <p class="font-semibold">
                {r.device || m.sessions.unknownDevice}
                {r.current && (
                  <span class="ml-2 text-xs rounded-full bg-green-100 text-green-900 px-2 py-0.5 align-middle">
                    {m.sessions.thisOne}
                  </span>
                )}
              </p>
              <AccountDetail label={m.sessions.created}>
                {formatWhen(lang, r.createdAt)}
              </AccountDetail>
              <AccountDetail label={m.sessions.lastSeen}>
                {formatWhen(lang, r.lastSeenAt)}
              </AccountDetail>
              <p class="text-sm text-gray-700 break-all">{m.sessions.address}: {r.ip || "—"}</p>
            </div>
            <RemoveForm action="/account/sessions" csrf={data.csrf} fields={{ id: r.id }}>
              {r.current ? m.common.signOut : m.sessions.end}
            </RemoveForm>
          </AccountItem>
        ))}
      </ul>
      {data.rows.length > 1
        ? (
          <PostForm csrf={data.csrf} action="/account/sessions" class="mt-4">
            <button
              type="submit"
              name="action"
              value="end_others"
              class="rounded bg-red-700 text-white px-4 py-2"
            >
              {m.sessions.endOthers}
            </button>
          </PostForm>
        )
        : <p class="mt-4 text-gray-600">{m.sessions.none}</p>}
      <h2 class="text-xl font-semibold mt-8 mb-2">{m.devices.title}</h2>
      <p class="mb-4 text-gray-700">{m.devices.intro}</p>
      {data.devices.length === 0 && <p class="text-gray-600" data-no-devices>{m.devices.none}</p>}
      <ul class="space-y-3 max-w-2xl">
        {data.devices.map((d) => (
          <AccountItem data-device>
            <div class="min-w-0">
              <p class="font-semibold">{d.device || m.sessions.unknownDevice}</p>
              <AccountDetail label={m.devices.remembered}>
                {formatWhen(lang, d.rememberedAt)}
              </AccountDetail>
              <AccountDetail label={m.devices.lastUsed}>
                {d.lastUsedAt ? formatWhen(lang, d.lastUsedAt) : m.devices.never}
              </AccountDetail>
              <AccountDetail label={m.devices.until}>{formatWhen(lang, d.expiresAt)}</AccountDetail>
            </div>
            <RemoveForm
              action="/account/sessions"
              csrf={data.csrf}
              fields={{ device: d.id }}
              name="action"
              value="forget_device"
            >
              {m.devices.forget}
            </RemoveForm>
          </AccountItem>
        ))}
      </ul>
    </AccountPage>
  );
}
