import type { Handlers, PageProps } from "@/framework/mod.ts";
import { redirect } from "@/framework/mod.ts";
import { requiresSecondFactor } from "@/services/identity/mod.ts";
import { ConflictError } from "@/services/platform/mod.ts";
import {
  assertSignedIn,
  currentSession,
  safeNext,
  updateCurrentSession,
} from "@/plugins/session.ts";
import { field, limitCodes } from "@/plugins/auth_forms.ts";
import type { Context } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { QrCode } from "@/components/QrCode.tsx";
import { AccountPage } from "@/components/AccountNav.tsx";
import { AuthNotice, AuthSubmit, SentCodeField } from "@/components/AuthCard.tsx";

interface Data {
  csrf: string;
  next: string;
  enabled: boolean;
  required: boolean;
  codesLeft: number;
  /** Enrolment in progress: the key and otpauth URI to type into the app. */
  enrolment?: { secret: string; uri: string };
  /** Shown once, right after enrolment or regeneration. */
  recoveryCodes?: string[];
  error?: string;
  notice?: string;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const me = assertSignedIn(ctx);
  const identity = ctx.state.deps.identity;
  const u = await identity.getUser(me.id);
  const enabled = u?.totpEnabled ?? false;
  const s = currentSession(ctx);
  const left = Number(ctx.url.searchParams.get("left"));
  return {
    csrf: await ctx.csrfToken(),
    next: safeNext(ctx.url.searchParams.get("next") ?? field(ctx, "next"), ""),
    enabled,
    required: requiresSecondFactor(me.roles),
    codesLeft: enabled ? await identity.recoveryCodesLeft(me.id) : 0,
    enrolment: !enabled && s?.enrolment
      ? { secret: s.enrolment.secret, uri: s.enrolment.uri }
      : undefined,
    notice: ctx.url.searchParams.has("left") && Number.isInteger(left)
      ? ctx.state.t.identity.verify.recoveryLeft(left)
      : ctx.url.searchParams.has("stepup") && !enabled
      ? ctx.state.t.identity.stepUp.enrolFirst
      : undefined,
    ...extra,
  };
}

function here(next: string): string {
  return next ? `/account/two-factor?next=${encodeURIComponent(next)}` : "/account/two-factor";
}

/**
 * TOTP enrolment (a QR code drawn on the server as inline SVG, the secret as text and the
 * otpauth URI),
 * recovery codes shown once, and new recovery codes on demand.
 */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    ctx.state.title = `${ctx.state.t.identity.twoFactor.title} — ${ctx.state.t.site.name}`;
    return { data: await pageData(ctx) };
  },

  async POST(ctx) {
    const me = assertSignedIn(ctx);
    const identity = ctx.state.deps.identity;
    const m = ctx.state.t.identity;
    ctx.state.title = `${m.twoFactor.title} — ${ctx.state.t.site.name}`;
    const next = safeNext(field(ctx, "next"), "");
    const action = field(ctx, "action");
    const now = identity.sessions.now();

    if (action === "start") {
      const u = await identity.getUser(me.id);
      if (!u?.totpEnabled) {
        const { secret, uri } = await identity.startTotpEnrollment(me.id);
        await updateCurrentSession(ctx, (s) => ({
          ...s,
          enrolment: { secret, uri, startedAt: now },
        }));
      }
      throw redirect(here(next));
    }

    if (action === "confirm") {
      if (await limitCodes(ctx, "check") !== null) {
        return { status: 429, data: await pageData(ctx, { error: m.twoFactor.notRight }) };
      }
      let r;
      try {
        r = await identity.confirmTotpEnrollment({
          userId: me.id,
          code: field(ctx, "code"),
          now: new Date(now),
        });
      } catch (e) {
        // Already on (e.g. the form was sent twice): show the current state.
        if (e instanceof ConflictError) throw redirect(here(next));
        throw e;
      }
      if (!r.ok) {
        if (r.reason === "not_started") {
          await updateCurrentSession(ctx, (s) => ({ ...s, enrolment: null }));
        }
        const error = r.reason === "not_started" ? m.twoFactor.notStarted : m.twoFactor.notRight;
        return { status: 422, data: await pageData(ctx, { error }) };
      }
      // The code just proved the second factor in this session.
      await updateCurrentSession(ctx, (s) => ({
        ...s,
        enrolment: null,
        totpEnabled: true,
        secondFactorAt: now,
        mfaAt: now,
      }));
      return {
        data: await pageData(ctx, { recoveryCodes: r.recoveryCodes, notice: m.twoFactor.done }),
      };
    }

    if (action === "regenerate") {
      // New codes only from a session that has passed the second factor itself.
      if (!currentSession(ctx)?.secondFactorAt) {
        throw redirect(`/signin/verify?next=${encodeURIComponent("/account/two-factor")}`);
      }
      const codes = await identity.regenerateRecoveryCodes(me.id);
      return { data: await pageData(ctx, { recoveryCodes: codes }) };
    }
    throw redirect(here(next));
  },
};

export default function TwoFactor({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.identity;
  const t = m.twoFactor;
  const csrf = <input type="hidden" name="_csrf" value={data.csrf} />;
  const nextField = <input type="hidden" name="next" value={data.next} />;
  return (
    <AccountPage state={state} path={url.pathname} title={m.account.title}>
      <div class="max-w-2xl bg-white border border-gray-200 rounded-lg p-4">
        <h2 class="text-xl font-semibold mb-2">{t.title}</h2>
        {data.notice && <AuthNotice kind="ok">{data.notice}</AuthNotice>}
        {data.error && <AuthNotice kind="error">{data.error}</AuthNotice>}

        {data.recoveryCodes && (
          <section class="mb-4" aria-labelledby="codes-title">
            <h3 id="codes-title" class="font-semibold mb-1">{t.recoveryTitle}</h3>
            <p class="mb-3 text-gray-700">{t.recoveryIntro}</p>
            <ul class="grid grid-cols-2 gap-2 font-mono text-base bg-gray-50 border rounded p-3 mb-3">
              {data.recoveryCodes.map((c) => <li data-recovery-code>{c}</li>)}
            </ul>
            {data.next && (
              <a href={data.next} class="inline-block rounded bg-brand-600 text-white px-4 py-2">
                {m.common.continue}
              </a>
            )}
          </section>
        )}

        {data.enabled && !data.recoveryCodes && (
          <>
            <p class="mb-2">{t.isOn}</p>
            <p class="mb-4 text-gray-700">{t.recoveryLeft(data.codesLeft)}</p>
            {data.next && (
              <p class="mb-4">
                <a href={data.next} class="inline-block rounded bg-brand-600 text-white px-4 py-2">
                  {m.common.continue}
                </a>
              </p>
            )}
            <form method="post" action="/account/two-factor">
              {csrf}
              <button
                type="submit"
                name="action"
                value="regenerate"
                class="rounded border border-gray-400 bg-white px-4 py-2"
              >
                {t.regenerate}
              </button>
              <p class="text-sm text-gray-600 mt-1">{t.regenerateHint}</p>
            </form>
          </>
        )}

        {!data.enabled && !data.enrolment && (
          <>
            {data.required && <AuthNotice kind="info">{t.required}</AuthNotice>}
            <p class="mb-2">{t.isOff}</p>
            <p class="mb-4 text-gray-700">{t.intro}</p>
            <form method="post" action="/account/two-factor">
              {csrf}
              {nextField}
              <AuthSubmit name="action" value="start">{t.start}</AuthSubmit>
            </form>
          </>
        )}

        {!data.enabled && data.enrolment && (
          <>
            {data.required && <AuthNotice kind="info">{t.required}</AuthNotice>}
            <p class="mb-2">{t.step1}</p>
            <div class="mb-3">
              <QrCode text={data.enrolment.uri} label={t.qrLabel} />
            </div>
            <p class="mb-1 text-sm text-gray-600">{t.secret}</p>
            <p
              class="font-mono text-lg bg-gray-50 border rounded p-3 mb-3 break-all select-all"
              data-totp-secret
            >
              {data.enrolment.secret.match(/.{1,4}/g)!.join(" ")}
            </p>
            <p class="mb-1 text-sm text-gray-600">{t.uriLabel}</p>
            <p class="font-mono text-xs bg-gray-50 border rounded p-2 mb-4 break-all select-all">
              {data.enrolment.uri}
            </p>
            <form method="post" action="/account/two-factor" novalidate>
              {csrf}
              {nextField}
              <SentCodeField
                label={t.step2}
                invalid={!!data.error}
                class="max-w-xs"
              />
              <AuthSubmit name="action" value="confirm">{t.confirm}</AuthSubmit>
            </form>
          </>
        )}
      </div>
    </AccountPage>
  );
}
