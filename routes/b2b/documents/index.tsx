import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import {
  ConflictError,
  DOCUMENT_KINDS,
  type DocumentInfo,
  NotFoundError,
  ValidationError,
} from "@/services/b2b/mod.ts";
import { ListTable, PostForm } from "@/components/ui.tsx";
import { B2bLayout, fieldErrors, more, PortalField, portalTitle } from "../(_lib)/web.tsx";

/** The application's papers: the account's users (or its applicant) upload and see them. */

interface Data {
  documents: DocumentInfo[];
  errors: Record<string, string>;
  kind: string;
  csrf: string;
}

/** The account whose papers the signed-in person may see: theirs, or the one they applied for. */
async function accountOf(ctx: Context<State>): Promise<number> {
  const user = assertSignedIn(ctx);
  const b2b = ctx.state.deps.b2b;
  const m = await b2b.membershipOf(user.id);
  if (m) return m.account.id;
  const app = await b2b.applicationOf(user.id);
  if (app && app.status !== "closed") return app.id;
  throw new NotFoundError("b2b account");
}

async function show(
  ctx: Context<State>,
  errors: Record<string, string> = {},
  kind = "",
  status = 200,
) {
  const id = await accountOf(ctx);
  portalTitle(ctx, more(ctx.state.lang).documentsTitle);
  return {
    status,
    data: {
      documents: await ctx.state.deps.b2b.documents(id),
      errors,
      kind,
      csrf: await ctx.csrfToken(),
    },
  };
}

export const handler: Handlers<Data, State> = {
  GET: (ctx) => show(ctx),
  async POST(ctx) {
    const user = assertSignedIn(ctx);
    const id = await accountOf(ctx);
    const kind = String(ctx.form?.get("kind") ?? "");
    const file = ctx.form?.get("file");
    try {
      const bytes = file instanceof File
        ? new Uint8Array(await file.arrayBuffer())
        : new Uint8Array();
      await ctx.state.deps.b2b.uploadDocument(user.id, id, {
        kind,
        filename: file instanceof File ? file.name : "",
        bytes,
      });
    } catch (e) {
      if (e instanceof ValidationError) return await show(ctx, e.fieldErrors, kind, 422);
      if (e instanceof ConflictError) return await show(ctx, { file: e.message }, kind, 409);
      throw e;
    }
    return ctx.redirect("/b2b/documents");
  },
};

export default function B2bDocuments({ data, state, url }: PageProps<Data, State>) {
  const m = more(state.lang);
  const err = fieldErrors(data.errors, state);
  return (
    <B2bLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-2">{m.documentsTitle}</h1>
      <p class="mb-4 text-gray-700">{m.documentsIntro}</p>
      <ListTable heads={[m.kind, m.file, m.size, m.uploaded]} empty={m.noDocuments} class="mb-4">
        {data.documents.map((d) => (
          <tr class="border-t" data-document={d.id}>
            <td class="px-3 py-2">{m.kinds[d.kind]}</td>
            <td class="px-3 py-2">
              <a href={`/b2b/documents/${d.id}`} class="text-brand-700 underline">{d.filename}</a>
            </td>
            <td class="px-3 py-2">{Math.ceil(d.sizeBytes / 1024)} KB</td>
            <td class="px-3 py-2">{d.createdAt.toISOString().slice(0, 10)}</td>
          </tr>
        ))}
      </ListTable>
      <PostForm
        csrf={data.csrf}
        enctype="multipart/form-data"
        class="bg-white border rounded p-4 flex flex-wrap gap-3 items-end"
      >
        <PortalField label={m.kind} error={err("kind")}>
          <select name="kind" class="border rounded px-2 py-1">
            {DOCUMENT_KINDS.map((k) => (
              <option value={k} selected={data.kind === k}>{m.kinds[k]}</option>
            ))}
          </select>
        </PortalField>
        <PortalField label={m.file} error={err("file")}>
          <input
            type="file"
            name="file"
            accept="application/pdf,image/jpeg,image/png"
            class="border rounded px-2 py-1"
          />
        </PortalField>
        <button type="submit" class="bg-brand-700 text-white rounded px-4 py-2">{m.upload}</button>
      </PostForm>
    </B2bLayout>
  );
}
