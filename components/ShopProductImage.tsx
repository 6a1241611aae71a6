import type { ImageStyle, PhotoView } from "@/services/shop/mod.ts";
import { productImageUrl, productSrcset } from "@/services/shop/mod.ts";

/**
 * A product picture in a fixed box (width/height: no layout shift), lazy unless `eager`; the
 * page's LCP picture also gets `priority` (fetchpriority=high). With a photo: <picture> with
 * AVIF and WebP sources and a JPEG <img>, each listing every size in srcset; without: the drawing.
 */
export function ShopProductImage(
  props: {
    style: ImageStyle;
    color: string;
    alt: string;
    sizes: string;
    size: number;
    eager?: boolean;
    /** The page's largest picture (LCP): fetched first. */
    priority?: boolean;
    /** The product's main photo; null or absent: the drawing. */
    photo?: PhotoView | null;
    class?: string;
  },
) {
  const loading = props.eager ? "eager" : "lazy";
  const cls = props.class ?? "w-full h-auto rounded";
  const photo = props.photo;
  if (photo) {
    return (
      <picture>
        <source type="image/avif" srcset={photo.srcset.avif} sizes={props.sizes} />
        <source type="image/webp" srcset={photo.srcset.webp} sizes={props.sizes} />
        <img
          src={photo.src}
          srcset={photo.srcset.jpeg}
          sizes={props.sizes}
          width={props.size}
          height={Math.round(props.size * photo.height / photo.width)}
          alt={props.alt}
          loading={loading}
          fetchpriority={props.priority ? "high" : undefined}
          decoding={props.eager ? undefined : "async"}
          class={cls}
        />
      </picture>
    );
  }
  return (
    <img
      src={productImageUrl(props.style, props.color, 320)}
      srcset={productSrcset(props.style, props.color)}
      sizes={props.sizes}
      width={props.size}
      height={props.size}
      alt={props.alt}
      loading={loading}
      decoding="async"
      class={cls}
    />
  );
}
