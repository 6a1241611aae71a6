/** Registers the staff PWA's service worker (inline, with the page's CSP nonce). */
export function ServiceWorker(props: { nonce: string }) {
  return (
    <script
      nonce={props.nonce}
      dangerouslySetInnerHTML={{
        __html:
          `if("serviceWorker"in navigator)addEventListener("load",()=>navigator.serviceWorker.register("/sw.js",{scope:"/"}))`,
      }}
    />
  );
}
