import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { ListTable } from "@/components/ui.tsx";
import { more, msgs } from "@/routes/b2b/(_lib)/web.tsx";

/** Staff: the contact form's wholesale enquiries and the applications made from them. */

type Enquiries = Awaited<ReturnType<State["deps"]["b2b"]["enquiries"]>>;

export const handler: Handlers<{ enquiries: Enquiries }, State> = {
  async GET(ctx) {
    ctx.state.title = `${more(ctx.state.lang).enquiriesTitle} — Smart Dairy admin`;
    return { data: { enquiries: await ctx.state.deps.b2b.enquiries() } };
  },
};

export default function Enquiries({ data, state }: PageProps<{ enquiries: Enquiries }, State>) {
  const m = more(state.lang);
  const t = msgs(state);
  return (
    <>
      <h1 class="text-2xl font-bold mb-2">{m.enquiriesTitle}</h1>
      <p class="mb-4 text-gray-700">{m.enquiriesIntro}</p>
      <ListTable
        heads={[t.contactName, t.phone, m.day, "", m.applicationMade]}
        empty={m.noEnquiries}
      >
        {data.enquiries.map((e) => (
          <tr class="border-t align-top" data-enquiry={e.id}>
            <td class="px-3 py-2">{e.name}</td>
            <td class="px-3 py-2">{e.phone}</td>
            <td class="px-3 py-2">{e.createdAt.toISOString().slice(0, 10)}</td>
            <td class="px-3 py-2 max-w-md">{e.message}</td>
            <td class="px-3 py-2">
              {e.application
                ? (
                  <a
                    href={`/admin/b2b/accounts/${e.application.id}`}
                    class="text-brand-700 underline"
                  >
                    {e.application.company}{" "}
                    ({t.statuses[e.application.status as "applied"] ?? e.application.status})
                  </a>
                )
                : (
                  <a href={`/admin/b2b/enquiries/${e.id}`} class="text-brand-700 underline">
                    {m.makeApplication}
                  </a>
                )}
            </td>
          </tr>
        ))}
      </ListTable>
    </>
  );
}
