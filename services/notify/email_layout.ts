/**
 * The HTML part of every email: the text's paragraphs in a plain branded card, in the message's
 * language (lang attribute, a Bangla-capable font stack), with the same words as the text part.
 */
const FOOTER = {
  en: "Smart Dairy Ltd. · You get this email because of your account or an order with us.",
  bn: "স্মার্ট ডেইরি লিমিটেড · আপনার অ্যাকাউন্ট বা অর্ডারের কারণে এই ইমেইলটি পাঠানো হয়েছে।",
};

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

export function emailHtml(body: string, locale: "en" | "bn", subject?: string | null): string {
  const paras = body.split(/\n{2,}|\n/).filter((p) => p.trim()).map((p) =>
    `<p style="margin:0 0 12px">${esc(p)}</p>`
  ).join("");
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">` +
    `<title>${esc(subject ?? "Smart Dairy")}</title></head>` +
    `<body style="margin:0;padding:16px;background:#f3f4f6;font-family:'Noto Sans Bengali',` +
    `'Hind Siliguri',system-ui,sans-serif;color:#111">` +
    `<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:20px">` +
    `<h1 style="font-size:18px;margin:0 0 16px;color:#166534">${
      esc(subject ?? "Smart Dairy")
    }</h1>` +
    `${paras}<hr style="border:0;border-top:1px solid #e5e7eb;margin:16px 0">` +
    `<p style="font-size:12px;color:#6b7280;margin:0">${
      esc(FOOTER[locale])
    }</p></div></body></html>`;
}
