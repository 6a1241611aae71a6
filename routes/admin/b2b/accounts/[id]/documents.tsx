import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { type DocumentInfo, NotFoundError } from "@/services/b2b/mod.ts";
import { ListTable } from "@/components/ui.tsx";
import { more } from "@/routes/b2b/(_lib)/web.tsx";

/** Staff: the papers an account sent with its application. */

interface Data {
  company: string;
  accountId: number;
  documents: DocumentInfo[];
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const b2b = ctx.state.deps.b2b;
    const id = Number(ctx.params.id);
    const a = Number.isSafeInteger(id) ? await b2b.account(id) : null;
    if (!a) throw new NotFoundError("b2b account");
    ctx.state.title = `${a.company} — ${more(ctx.state.lang).documentsTitle}`;
    return { data: { company: a.company, accountId: id, documents: await b2b.documents(id) } };
  },
};

export default function AccountDocuments({ data, state }: PageProps<Data, State>) {
  const m = more(state.lang);
  return (
    <>
      <h1 class="text-2xl font-bold mb-4">
        <a href={`/admin/b2b/accounts/${data.accountId}`} class="underline">{data.company}</a>
        {" — "}
        {m.documentsTitle}
      </h1>
      <ListTable heads={[m.kind, m.file, m.size, m.uploaded]} empty={m.noDocuments}>
        {data.documents.map((d) => (
          <tr class="border-t" data-document={d.id}>
            <td class="px-3 py-2">{m.kinds[d.kind]}</td>
            <td class="px-3 py-2">
              <a href={`/admin/b2b/documents/${d.id}`} class="text-brand-700 underline">
                {d.filename}
              </a>
            </td>
            <td class="px-3 py-2">{Math.ceil(d.sizeBytes / 1024)} KB</td>
            <td class="px-3 py-2">{d.createdAt.toISOString().slice(0, 10)}</td>
          </tr>
        ))}
      </ListTable>
    </>
  );
}
