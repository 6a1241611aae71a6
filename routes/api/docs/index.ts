/**
 * The API reference: Swagger UI (npm swagger-ui-dist, served from node_modules by ./[asset].ts,
 * no CDN) over /api/v1/openapi.json. Its one inline script carries the request's CSP nonce.
 */
import type { Handlers } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { ASSET_VERSION } from "./(_assets)/assets.ts";

export const handler: Handlers<unknown, State> = {
  GET(ctx) {
    const v = ASSET_VERSION;
    const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Smart Dairy API reference</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css?v=${v}">
</head>
<body>
<div id="ui"></div>
<script src="/api/docs/swagger-ui-bundle.js?v=${v}" nonce="${ctx.nonce}"></script>
<script nonce="${ctx.nonce}">
SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#ui", deepLinking: true,
  persistAuthorization: false, tryItOutEnabled: false });
</script>
</body>
</html>`;
    return new Response(html, {
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" },
    });
  },
};
