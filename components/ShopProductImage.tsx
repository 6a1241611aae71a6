import type { ImageStyle } from "@/services/shop/mod.ts";
import { productImageUrl, productSrcset } from "@/services/shop/mod.ts";

/** A product picture: responsive srcset, fixed box (no layout shift), lazy unless `eager`. */
export function ShopProductImage(
  props: {
    style: ImageStyle;
    color: string;
    alt: string;
    sizes: string;
    size: number;
    eager?: boolean;
    class?: string;
  },
) {
  return (
    <img
      src={productImageUrl(props.style, props.color, 320)}
      srcset={productSrcset(props.style, props.color)}
      sizes={props.sizes}
      width={props.size}
      height={props.size}
      alt={props.alt}
      loading={props.eager ? "eager" : "lazy"}
      decoding="async"
      class={props.class ?? "w-full h-auto rounded"}
    />
  );
}
