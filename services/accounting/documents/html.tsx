/**
 * The sales documents as printable HTML: a Preact component for a route (its stylesheet
 * allowed by the page's CSP hash) and a whole standalone page as a string. The print stylesheet puts
 * each copy (original for the buyer, duplicate for the seller) on its own A4 landscape sheet.
 */
import { renderToString } from "preact-render-to-string";
import type { DocColumn, DocField, SalesDocument } from "./mushak.ts";

export const PRINT_CSS = `
.mushak{font-family:"Noto Sans Bengali","Hind Siliguri","Nirmala UI",system-ui,sans-serif;color:#000;font-size:10px;line-height:1.35}
.mushak .copy{box-sizing:border-box;width:297mm;min-height:210mm;padding:10mm 12mm;margin:0 auto 8mm;background:#fff;border:1px solid #ccc;position:relative}
.mushak header{text-align:center;margin-bottom:4mm}
.mushak header p{margin:0}
.mushak h1{font-size:15px;margin:1mm 0 0}
.mushak .form-code{position:absolute;top:10mm;right:12mm;text-align:right;font-weight:600}
.mushak .copy-label{display:inline-block;border:1px solid #000;padding:0 2mm;margin-top:1mm;font-weight:400}
.mushak .parties{display:grid;grid-template-columns:1fr 1fr 1fr;gap:4mm;margin-bottom:3mm}
.mushak dl{margin:0}
.mushak .adjustment{display:grid;grid-template-columns:1fr 1fr 2fr;gap:4mm;border:1px solid #000;padding:1.5mm 2mm;margin-bottom:3mm}
.mushak dt{font-weight:600}
.mushak dd{margin:0 0 1mm}
.mushak table{width:100%;border-collapse:collapse;table-layout:fixed}
.mushak th,.mushak td{border:1px solid #000;padding:1mm;vertical-align:top;word-wrap:break-word}
.mushak th{font-weight:600;background:#f0f0f0}
.mushak td.r,.mushak th.r{text-align:right}
.mushak td.c,.mushak th.c{text-align:center}
.mushak td .sub{display:block;color:#444;font-size:9px}
.mushak tfoot td{font-weight:700}
.mushak .notes{margin:2mm 0 0;padding-left:4mm}
.mushak .sign{display:grid;grid-template-columns:2fr 1fr 1fr;gap:6mm;margin-top:8mm}
.mushak .sign dd{border-bottom:1px solid #000;min-height:5mm}
@page{size:A4 landscape;margin:0}
@media print{
  html,body{margin:0;background:#fff}
  .mushak .copy{border:0;margin:0;width:auto;min-height:auto;page-break-after:always;break-after:page}
  .mushak .copy:last-child{page-break-after:auto;break-after:auto}
  .mushak th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  .no-print{display:none}
}
`;

const alignClass = (c: DocColumn) => (c.align === "right" ? "r" : c.align === "center" ? "c" : "");

function Fields(props: { fields: DocField[] }) {
  return (
    <dl>
      {props.fields.map((f) => (
        <>
          <dt data-field={f.key}>{f.label}</dt>
          <dd data-field={f.key}>{f.value || "\u00a0"}</dd>
        </>
      ))}
    </dl>
  );
}

function Copy(props: { doc: SalesDocument; copy: SalesDocument["copies"][number] }) {
  const { doc, copy } = props;
  const widthSum = doc.columns.reduce((s, c) => s + c.width, 0);
  return (
    <section class="copy" data-copy={copy.key}>
      <div class="form-code">
        {doc.formCode}
        <br />
        <span class="copy-label">{copy.label}</span>
      </div>
      <header>
        {doc.heading.map((h) => <p>{h}</p>)}
        <h1>{doc.title}</h1>
      </header>
      <div class="parties">
        <Fields fields={doc.seller} />
        <Fields fields={doc.buyer} />
        <Fields fields={doc.meta} />
      </div>
      {doc.adjustment.length > 0 && (
        <dl class="adjustment">
          {doc.adjustment.map((f) => (
            <div data-field={f.key}>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </div>
          ))}
        </dl>
      )}
      <table>
        <colgroup>
          {doc.columns.map((c) => (
            <col
              style={`width:${(c.width / widthSum * 100).toFixed(2)}%`}
            />
          ))}
        </colgroup>
        <thead>
          <tr>{doc.columns.map((c) => <th class={alignClass(c)}>{c.label}</th>)}</tr>
        </thead>
        <tbody>
          {doc.rows.map((r) => (
            <tr>
              {doc.columns.map((c) => (
                <td class={alignClass(c)}>
                  {r[c.key].text}
                  {r[c.key].sub && <span class="sub">{r[c.key].sub}</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={5}>{doc.totalsLabel}</td>
            {doc.columns.slice(5).map((c) => (
              <td class={alignClass(c)}>{doc.totals[c.key] ?? ""}</td>
            ))}
          </tr>
        </tfoot>
      </table>
      <ul class="notes">{doc.notes.map((n) => <li>{n}</li>)}</ul>
      <div class="sign">
        {doc.signature.map((f) => (
          <dl>
            <dt>{f.label}</dt>
            <dd>{f.value || "\u00a0"}</dd>
          </dl>
        ))}
      </div>
    </section>
  );
}

export interface ViewOptions {
  /**
   * Where the browser can load the Noto Sans Bengali TTF (e.g. a static route serving
   * `fontPath("regular")`); without it the browser falls back to an installed Bengali font.
   */
  fontHref?: string;
  fontBoldHref?: string;
}

function fontFaces(o: ViewOptions): string {
  const face = (href: string, weight: number) =>
    `@font-face{font-family:"Noto Sans Bengali";font-weight:${weight};src:url(${
      JSON.stringify(href)
    }) format("truetype")}`;
  return (o.fontHref ? face(o.fontHref, 400) : "") +
    (o.fontBoldHref ? face(o.fontBoldHref, 700) : "");
}

/** Both copies of a document, with its print stylesheet. */
export function SalesDocumentView(props: { doc: SalesDocument } & ViewOptions) {
  return (
    <div class="mushak" lang={props.doc.lang}>
      <style
        dangerouslySetInnerHTML={{ __html: fontFaces(props) + PRINT_CSS }}
      />
      {props.doc.copies.map((copy) => <Copy doc={props.doc} copy={copy} />)}
    </div>
  );
}

/** A whole printable page (for download, e-mail or a route without the admin layout). */
export function salesDocumentHtml(doc: SalesDocument, opts: ViewOptions = {}): string {
  const body = renderToString(<SalesDocumentView doc={doc} {...opts} />);
  const title = `${doc.formCode} ${doc.number}`.replace(/[<>&"]/g, "");
  return `<!doctype html><html lang="${doc.lang}"><head><meta charset="utf-8">` +
    `<title>${title}</title></head><body>${body}</body></html>`;
}
