/**
 * The farmer's phone page helpers (not a route): the access cookie (a signed token naming one
 * farmer, from intake's code sign-in), the page frame, and numbers in the page's language.
 */
import type { ComponentChildren } from "preact";
import { PostForm } from "@/components/ui.tsx";
import { type Context, deleteCookie, getCookies, redirect, setCookie } from "@/framework/mod.ts";
import { formatTaka, type Lang, toBanglaDigits } from "@/services/i18n/mod.ts";
import { TOKEN_TTL_MS } from "@/services/intake/mod.ts";
import type { State } from "@/state.ts";

const COOKIE = "sd_farmer";

const secure = (ctx: Context<State>) =>
  ctx.state.deps.config.PUBLIC_URL?.startsWith("https:") ?? false;

/** The signed-in farmer's id, or a redirect to the sign-in page. */
export async function requireFarmer(ctx: Context<State>): Promise<number> {
  const id = await ctx.state.deps.intake.farmerOfToken(getCookies(ctx.req)[COOKIE]);
  if (id === null) throw redirect("/farmer/signin");
  return id;
}

export function setFarmerCookie(ctx: Context<State>, token: string): void {
  setCookie(ctx.responseHeaders, COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: secure(ctx),
    path: "/farmer",
    maxAge: Math.floor(TOKEN_TTL_MS / 1000),
  });
}

export function clearFarmerCookie(ctx: Context<State>): void {
  deleteCookie(ctx.responseHeaders, COOKIE, { path: "/farmer", secure: secure(ctx) });
}

/** A number (fixed decimals) in the page's digits. */
export function n(lang: Lang, v: number | null, digits = 1): string {
  if (v === null) return "—";
  const s = v.toFixed(digits);
  return lang === "bn" ? toBanglaDigits(s) : s;
}
export const taka = (lang: Lang, minor: number) => formatTaka(minor, lang);
export const date = (lang: Lang, d: string) => (lang === "bn" ? toBanglaDigits(d) : d);

/** The light frame of the farmer's pages: title, language switch, sign-out. */
export function FarmerFrame(
  props: { state: State; path: string; csrf?: string; children: ComponentChildren },
) {
  const { t, lang } = props.state;
  const other = lang === "en" ? "bn" : "en";
  return (
    <div class="max-w-xl mx-auto p-3 text-gray-900">
      <header class="flex items-center gap-3 border-b pb-2 mb-3">
        <a href="/farmer" class="font-semibold text-lg text-brand-700">{t.intake.farmer.title}</a>
        <a
          class="ml-auto text-sm underline"
          hreflang={other}
          href={`/lang?to=${other}&next=${encodeURIComponent(props.path)}`}
        >
          {t.lang.switchTo}
        </a>
        {props.csrf && (
          <PostForm csrf={props.csrf} action="/farmer/signout">
            <button type="submit" class="text-sm underline">{t.intake.farmer.signOut}</button>
          </PostForm>
        )}
      </header>
      {props.children}
    </div>
  );
}
