import type { PageProps } from "@/framework/mod.ts";
import { asset } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

export default function App({ Component, state }: PageProps<unknown, State>) {
  const { t, lang } = state;
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{state.title ?? t.site.name}</title>
        <meta name="description" content={state.description ?? t.site.description} />
        <meta name="theme-color" content="#174c99" />
        <link rel="manifest" href="/manifest.webmanifest" />
        <link rel="icon" href={asset("/icons/icon.svg")} type="image/svg+xml" />
        <link rel="apple-touch-icon" href={asset("/icons/icon-192.png")} />
      </head>
      <body class="font-sans antialiased">
        <Component />
      </body>
    </html>
  );
}
