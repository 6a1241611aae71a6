/** Shared bits of the B2B portal's pages: the frame, the words, money and errors. */
import type { ComponentChildren } from "preact";
import { SiteLayout } from "@/components/SiteLayout.tsx";
import type { Context } from "@/framework/mod.ts";
import { assertSignedIn, requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import {
  type B2bMessages,
  b2bMessages,
  b2bMoneyMessages,
  type B2bMoreMessages,
  b2bMoreMessages,
  ConflictError,
  fill,
  NotFoundError,
  ValidationError,
} from "@/services/b2b/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { apiMessages } from "@/services/api/mod.ts";

/** The signed-in person and their B2B membership; someone of no account gets 404. */
export async function portalMember(ctx: Context<State>) {
  const user = assertSignedIn(ctx);
  const m = await ctx.state.deps.b2b.membershipOf(user.id);
  if (!m) throw new NotFoundError("b2b account");
  return { user, m };
}

/** Sets the page's title: "<words> — <site name>". */
export function portalTitle(ctx: Context<State>, words: string): void {
  ctx.state.title = `${words} — ${ctx.state.t.site.name}`;
}

/** A portal form's posted values and the refusals by field (both empty before a post). */
export interface PortalForm {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export const blankPortalForm = (): PortalForm => ({ values: {}, errors: {} });

type Membership = Awaited<ReturnType<typeof portalMember>>["m"];

/**
 * A member's portal page: its title, what `load` reads for the member, a CSRF token for its
 * forms and the status (a refused post shows the page again with 4xx).
 */
export async function memberPage<D>(
  ctx: Context<State>,
  title: string,
  status: number,
  load: (m: Membership) => Promise<D>,
) {
  const { m } = await portalMember(ctx);
  portalTitle(ctx, title);
  return { status, data: { ...(await load(m)), csrf: await ctx.csrfToken() } };
}

/** The staff member posting on a B2B admin page (who must manage B2B accounts), as the actor. */
export function b2bStaff(ctx: Context<State>): { id: string; name: string } {
  const user = requirePermission(ctx, "b2b.accounts.manage");
  return { id: user.id, name: user.displayName };
}

/** A staff B2B page (/admin/b2b): its title ("… — Smart Dairy admin"), data, CSRF token, status. */
export async function adminB2bPage<D>(ctx: Context<State>, title: string, status: number, data: D) {
  ctx.state.title = `${title} — Smart Dairy admin`;
  return { status, data: { ...data, csrf: await ctx.csrfToken() } };
}

/**
 * A refused post as the form to show again and its status: a validation's field errors (422),
 * or a conflict's message on `conflict.field` with `conflict.status`; anything else is thrown on.
 */
export function refusedForm(
  e: unknown,
  values: Record<string, string>,
  conflict: { field: string; status: number },
): { form: PortalForm; status: number } {
  if (e instanceof ValidationError) return { form: { values, errors: e.fieldErrors }, status: 422 };
  if (e instanceof ConflictError) {
    return { form: { values, errors: { [conflict.field]: e.message } }, status: conflict.status };
  }
  throw e;
}

export function msgs(state: State): B2bMessages {
  return b2bMessages(state.lang);
}

/** Field error codes → the words; "code:arg" codes fill their placeholder. */
export function errorText(t: B2bMessages, code: string, lang: "en" | "bn"): string {
  const [c, arg] = code.split(":");
  const e = t.errors as Record<string, string>;
  if (c === "minOrder") return fill(e.minOrder, { amount: formatTaka(Number(arg), lang) });
  if (c === "short") return fill(e.short, { n: arg });
  return e[c] ?? (more(lang).errors as Record<string, string>)[c] ?? code;
}

/** The words of outlets, standing orders, papers and the staff's calendar and dashboard. */
export function more(lang: string): B2bMoreMessages {
  return b2bMoreMessages(lang);
}

/** Taka as typed ("1,234.50") → poisha, or null. */
export function takaToMinor(s: string): number | null {
  const v = s.replace(/[,\s৳]/g, "");
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(v)) return null;
  const [w, f = ""] = v.split(".");
  return Number(w) * 100 + Number(f.padEnd(2, "0"));
}

export function B2bLayout(props: { state: State; path: string; children: ComponentChildren }) {
  const t = msgs(props.state);
  return (
    <SiteLayout
      state={props.state}
      path={props.path}
      links={[
        ["/b2b", t.account],
        ["/b2b/order", t.quickOrder],
        ["/b2b/users", t.users],
        ["/b2b/money", b2bMoneyMessages[props.state.lang].money],
        ["/b2b/outlets", more(props.state.lang).outletsTitle],
        ["/b2b/standing", more(props.state.lang).standingTitle],
        ["/b2b/documents", more(props.state.lang).documentsTitle],
        // The account's own API keys (services/api).
        ["/b2b/api", apiMessages(props.state.lang).title],
      ]}
    >
      <div class="max-w-5xl mx-auto px-4 py-6">{props.children}</div>
    </SiteLayout>
  );
}

export function FieldError(props: { msg?: string }) {
  return props.msg ? <span class="text-red-700 text-sm" role="alert">{props.msg}</span> : null;
}

/** `err(field)`: the words of a refused form's code for that field, or nothing. */
export function fieldErrors(errors: Record<string, string>, state: State) {
  return (k: string) => (errors[k] ? errorText(msgs(state), errors[k], state.lang) : undefined);
}

/** A portal form's field: its label over the control, the field's refusal under it. */
export function PortalField(
  props: { label: ComponentChildren; error?: string; children: ComponentChildren },
) {
  return (
    <label class="flex flex-col text-sm">
      {props.label}
      {props.children}
      <FieldError msg={props.error} />
    </label>
  );
}

/** `input(name, label, type)`: a text field filled from the posted values, with its refusal. */
export function formInput(form: PortalForm, state: State) {
  const err = fieldErrors(form.errors, state);
  return (k: string, label: string, type = "text") => (
    <PortalField label={label} error={err(k)}>
      <input name={k} type={type} value={form.values[k] ?? ""} class="border rounded px-2 py-1" />
    </PortalField>
  );
}

/** The company's papers on an application: name, trade licence, BIN, TIN and owner's NID. */
export const COMPANY_FIELDS = [
  "company",
  "tradeLicenceNo",
  "tradeLicenceExpires",
  "bin",
  "tin",
  "ownerNid",
] as const;

/** The inputs of `COMPANY_FIELDS`, each under its label (the licence's expiry a date). */
export function CompanyFields(props: { input: ReturnType<typeof formInput>; t: B2bMessages }) {
  const { input, t } = props;
  return (
    <>
      {COMPANY_FIELDS.map((k) => input(k, t[k], k === "tradeLicenceExpires" ? "date" : "text"))}
    </>
  );
}

/** Colours of account and order statuses. */
export const STATUS_COLORS: Readonly<Record<string, string>> = {
  applied: "bg-blue-100 text-blue-900",
  active: "bg-green-100 text-green-900",
  on_hold: "bg-amber-100 text-amber-900",
  closed: "bg-gray-200 text-gray-800",
  pending_approval: "bg-blue-100 text-blue-900",
  credit_hold: "bg-red-100 text-red-900",
  confirmed: "bg-green-100 text-green-900",
  delivered: "bg-gray-200 text-gray-800",
  cancelled: "bg-gray-200 text-gray-800",
};

/** A paper sent back as an attachment that the browser never runs or sniffs. */
export function documentResponse(f: { filename: string; contentType: string; bytes: Uint8Array }) {
  return new Response(f.bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      "content-type": f.contentType,
      "content-disposition": `attachment; filename="${f.filename}"`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
}
