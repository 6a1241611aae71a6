import { HttpError, type PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import {
  type AdminPhoto,
  MAX_PHOTO_BYTES,
  pathId,
  photoCatalogs,
  PhotoError,
  type Product,
} from "@/services/shop/mod.ts";
import {
  adminButton,
  adminButtonQuiet,
  adminInput,
  ShopAdminHeader,
} from "@/components/ShopAdmin.tsx";
import { type AdminCtx, staffScreen } from "../../(_lib)/admin.ts";
import { PostForm } from "@/components/ui.tsx";

/** A product's photos in the back office: upload (any phone photo), show first, remove. */

interface Data {
  product: Product;
  photos: AdminPhoto[];
  csrf: string;
  notice: string | null;
  error: string | null;
}

const NOTICES = { uploaded: "uploaded", deleted: "deleted", main: "madeMain" } as const;

function productIdOf(ctx: AdminCtx): number {
  const id = pathId(ctx.params.id);
  if (!Number.isInteger(id)) throw new HttpError(404);
  return id;
}

async function render(ctx: AdminCtx, error: string | null = null, status = 200) {
  const shop = ctx.state.deps.shop;
  const id = productIdOf(ctx);
  const product = await shop.productById(id);
  if (!product) throw new HttpError(404);
  const t = photoCatalogs[ctx.state.lang];
  const done = ctx.url.searchParams.get("done") as keyof typeof NOTICES | null;
  ctx.state.title = `${
    t.title(ctx.state.lang === "bn" ? product.nameBn : product.nameEn)
  } — Smart Dairy admin`;
  return {
    status,
    data: {
      product,
      photos: await shop.productPhotos(id),
      csrf: await ctx.csrfToken(),
      notice: done && done in NOTICES ? t[NOTICES[done]] : null,
      error,
    } satisfies Data,
  };
}

export const handler = staffScreen<Data>(
  "catalog.manage",
  (ctx) => render(ctx),
  async (ctx, user) => {
    const shop = ctx.state.deps.shop;
    const id = productIdOf(ctx);
    const form = ctx.form!;
    const t = photoCatalogs[ctx.state.lang];
    const action = form.get("action")?.toString() ?? "upload";
    const photoId = Number(form.get("photo_id"));
    try {
      if (action === "delete" || action === "main") {
        if (!Number.isSafeInteger(photoId)) throw new PhotoError("photo_not_found");
        if (action === "delete") await shop.deletePhoto(id, photoId);
        else await shop.makeMainPhoto(id, photoId);
        return ctx.redirect(
          `/admin/shop/products/${id}/photos?done=${action === "delete" ? "deleted" : "main"}`,
        );
      }
      const file = form.get("photo");
      if (!(file instanceof File) || file.size === 0) throw new PhotoError("photo_missing");
      if (file.size > MAX_PHOTO_BYTES) throw new PhotoError("photo_too_large");
      await shop.uploadPhoto(id, new Uint8Array(await file.arrayBuffer()), user.id);
      return ctx.redirect(`/admin/shop/products/${id}/photos?done=uploaded`);
    } catch (e) {
      if (!(e instanceof PhotoError)) throw e;
      const status = e.code === "photo_not_found" ? 404 : e.code === "photo_too_large" ? 413 : 422;
      return await render(ctx, t.errors[e.code], status);
    }
  },
);

export default function ProductPhotos({ data, state }: PageProps<Data, State>) {
  const t = photoCatalogs[state.lang];
  const p = data.product;
  const name = state.lang === "bn" ? p.nameBn : p.nameEn;
  const hidden = (action: string, photoId: number) => (
    <>
      <input type="hidden" name="_csrf" value={data.csrf} />
      <input type="hidden" name="action" value={action} />
      <input type="hidden" name="photo_id" value={photoId} />
    </>
  );
  const firstReady = data.photos.find((ph) => ph.status === "ready")?.id;
  return (
    <>
      <ShopAdminHeader title={t.title(name)} path="/admin/shop/products" screen={data} />
      <p class="mb-3 text-sm">
        <a href={`/admin/shop/products/${p.id}`} class="underline">{t.back}</a>
      </p>
      <p class="mb-3 text-sm text-gray-700 max-w-prose">{t.intro}</p>
      <PostForm
        csrf={data.csrf}
        actionField="upload"
        enctype="multipart/form-data"
        class="bg-white border rounded p-4 mb-4 flex flex-wrap gap-3 items-end"
      >
        <label class="flex flex-col text-sm">
          {t.file}
          <input
            type="file"
            name="photo"
            accept="image/jpeg,image/png,image/webp,image/avif,image/heic,image/*"
            required
            class={adminInput}
          />
        </label>
        <button type="submit" class={adminButton}>{t.upload}</button>
      </PostForm>
      {data.photos.length === 0
        ? <p class="bg-white border rounded p-4" data-testid="no-photos">{t.none}</p>
        : (
          <ul class="grid gap-4 grid-cols-2 md:grid-cols-4" data-testid="photos">
            {data.photos.map((ph) => (
              <li class="bg-white border rounded p-3 text-sm space-y-2">
                {ph.view
                  ? (
                    <img
                      src={ph.view.src}
                      width={160}
                      height={160}
                      alt=""
                      loading="lazy"
                      class="w-full h-auto rounded"
                    />
                  )
                  : (
                    <div class="aspect-square bg-gray-100 rounded flex items-center justify-center text-gray-600">
                      {t.status[ph.status]}
                    </div>
                  )}
                <p>
                  <strong>{t.status[ph.status]}</strong>
                  {ph.id === firstReady && <span>· {t.main}</span>}
                </p>
                <p class="text-gray-600">
                  {t.original(ph.sourceWidth, ph.sourceHeight, Math.round(ph.sourceBytes / 1024))}
                </p>
                {ph.weights.jpeg && (
                  <p class="text-gray-600">
                    {t.weights}:{" "}
                    {Object.entries(ph.weights).map(([f, b]) =>
                      `${f.toUpperCase()} ${Math.round(b! / 1024)} KB`
                    ).join(" · ")}
                  </p>
                )}
                <div class="flex gap-2">
                  {ph.status === "ready" && ph.id !== firstReady && (
                    <form method="post">
                      {hidden("main", ph.id)}
                      <button type="submit" class={adminButtonQuiet}>{t.makeMain}</button>
                    </form>
                  )}
                  <form method="post">
                    {hidden("delete", ph.id)}
                    <button type="submit" class={adminButtonQuiet}>{t.remove}</button>
                  </form>
                </div>
              </li>
            ))}
          </ul>
        )}
    </>
  );
}
