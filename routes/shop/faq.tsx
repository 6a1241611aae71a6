import type { Handlers, PageProps, RouteConfig } from "@/framework/mod.ts";
import { Head, renderNonce } from "@/framework/mod.ts";
import { ShopLayout } from "@/components/ShopLayout.tsx";
import { msgs, type ShopState } from "./(_lib)/web.ts";

/** Depends only on the language: rendered once per language and cached. */
export const config: RouteConfig = { cache: true };

export const handler: Handlers<unknown, ShopState> = {
  GET(ctx) {
    const t = msgs(ctx);
    ctx.state.title = `${t.faq.title} — ${ctx.state.t.site.name}`;
    ctx.state.description = t.faq.description;
    // The cart count would make the page depend on the visitor: not shown here.
    ctx.state.cartCount = 0;
    return { data: null };
  },
};

export default function Faq({ state, url }: PageProps<unknown, ShopState>) {
  const t = msgs({ state });
  const ld = {
    "@context": "https://schema.org",
    "@type": "FAQPage",
    mainEntity: t.faq.items.map(([q, a]) => ({
      "@type": "Question",
      name: q,
      acceptedAnswer: { "@type": "Answer", text: a },
    })),
  };
  return (
    <ShopLayout state={state} path={url.pathname}>
      <Head>
        <script
          type="application/ld+json"
          nonce={renderNonce()}
          dangerouslySetInnerHTML={{ __html: JSON.stringify(ld).replace(/</g, "\\u003c") }}
        />
      </Head>
      <h1 class="text-2xl font-bold mb-4">{t.faq.title}</h1>
      <div class="space-y-3">
        {t.faq.items.map(([q, a]) => (
          <details class="bg-white border border-gray-200 rounded-lg p-4" open>
            <summary class="font-semibold cursor-pointer">{q}</summary>
            <p class="mt-2 text-gray-800">{a}</p>
          </details>
        ))}
      </div>
    </ShopLayout>
  );
}
