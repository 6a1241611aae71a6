import { renderNonce } from "@/framework/mod.ts";

/** Registers the staff PWA's service worker (inline: the page's CSP allows it by its hash). */
export function ServiceWorker() {
  return (
    <script
      nonce={renderNonce()}
      dangerouslySetInnerHTML={{
        __html:
          `if("serviceWorker"in navigator)addEventListener("load",()=>navigator.serviceWorker.register("/sw.js",{scope:"/"}))`,
      }}
    />
  );
}
