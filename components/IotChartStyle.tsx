/**
 * uPlot's stylesheet (1.8 KB), inlined in the page's <head> (allowed by its CSP hash). Read once from
 * the installed package so that it always matches the uPlot version the charts run.
 */
import { Head, renderNonce } from "@/framework/mod.ts";

let css: string | null = null;
function uplotCss(): string {
  if (css !== null) return css;
  try {
    css = Deno.readTextFileSync(
      new URL("../node_modules/uplot/dist/uPlot.min.css", import.meta.url),
    );
  } catch (e) {
    console.warn(`uPlot CSS not found (charts are drawn unstyled): ${(e as Error).message}`);
    css = "";
  }
  return css;
}

export function IotChartStyle() {
  return (
    <Head>
      <style nonce={renderNonce()} dangerouslySetInnerHTML={{ __html: uplotCss() }} />
    </Head>
  );
}
