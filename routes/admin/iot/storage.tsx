import type { ComponentChildren } from "preact";
import type { Handlers, PageProps } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { StorageReport } from "@/services/iot/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import type { State } from "@/state.ts";

type Data = StorageReport;

const TEXT = {
  en: {
    title: "Telemetry storage",
    intro: "Which storage plan the readings use on this database, and why.",
    mode: "Plan in use",
    allowed: "Plan the server allows",
    reason: "Why",
    downgraded:
      "Below what the server allows: the application only starts with IOT_ALLOW_FALLBACK=1.",
    timescale: "TimescaleDB",
    none: "not installed in this database",
    aggregates: "Continuous aggregates",
    compression: "Compression",
    jobs: "Background jobs",
    late: "Late-reading windows waiting for a refresh",
    plans: {
      timescale: "TimescaleDB: continuous aggregates, compression and policies",
      hypertable: "TimescaleDB hypertable with the fallback rollups",
      plain: "Plain table with the fallback rollups",
    },
  },
  bn: {
    title: "টেলিমেট্রি সংরক্ষণ",
    intro: "এই ডাটাবেসে রিডিংগুলো কোন সংরক্ষণ পরিকল্পনায় রাখা হয় এবং কেন।",
    mode: "চালু পরিকল্পনা",
    allowed: "সার্ভার যে পরিকল্পনা অনুমোদন করে",
    reason: "কারণ",
    downgraded: "সার্ভারের অনুমোদিত পরিকল্পনার নিচে: IOT_ALLOW_FALLBACK=1 ছাড়া অ্যাপ চালু হয় না।",
    timescale: "TimescaleDB",
    none: "এই ডাটাবেসে ইনস্টল নেই",
    aggregates: "কন্টিনিউয়াস অ্যাগ্রিগেট",
    compression: "কম্প্রেশন",
    jobs: "ব্যাকগ্রাউন্ড কাজ",
    late: "রিফ্রেশের অপেক্ষায় দেরিতে আসা রিডিংয়ের সময়সীমা",
    plans: {
      timescale: "TimescaleDB: কন্টিনিউয়াস অ্যাগ্রিগেট, কম্প্রেশন ও নীতিমালা",
      hypertable: "TimescaleDB হাইপারটেবিল, বিকল্প রোলআপসহ",
      plain: "সাধারণ টেবিল, বিকল্প রোলআপসহ",
    },
  },
};

/** The IoT storage plan: what runs, what the server allows, why, and what TimescaleDB has. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "iot.view");
    const t = TEXT[ctx.state.lang === "bn" ? "bn" : "en"];
    ctx.state.title = `${t.title} — ${ctx.state.t.site.name}`;
    return { data: await ctx.state.deps.iot.storageReport() };
  },
};

export default function Storage({ data, state }: PageProps<Data, State>) {
  const t = TEXT[state.lang === "bn" ? "bn" : "en"];
  const { storage: s, ts } = data;
  const row = (label: string, value: ComponentChildren, attr?: string) => (
    <div class="py-2 sm:grid sm:grid-cols-3 sm:gap-4" data-field={attr}>
      <dt class="font-medium text-gray-700">{label}</dt>
      <dd class="sm:col-span-2 break-words">{value}</dd>
    </div>
  );
  return (
    <>
      <PageTitle title={t.title} intro={t.intro} />
      {s.downgraded && (
        <p role="alert" class="mb-4 rounded border border-red-300 bg-red-50 p-3 text-red-800">
          {t.downgraded}
        </p>
      )}
      <dl class="divide-y divide-gray-200 rounded-lg border border-gray-200 bg-white px-4">
        {row(
          t.mode,
          <>
            <code>{s.mode}</code> — {t.plans[s.mode]}
          </>,
          "mode",
        )}
        {row(
          t.allowed,
          <>
            <code>{s.allowed}</code> — {t.plans[s.allowed]}
          </>,
          "allowed",
        )}
        {row(t.reason, s.reason, "reason")}
        {row(
          t.timescale,
          ts.installed ? `${ts.version ?? ""} (${ts.license ?? "?"})` : t.none,
          "timescaledb",
        )}
        {ts.installed && (
          <>
            {row(t.aggregates, ts.continuousAggregates.join(", ") || "—", "aggregates")}
            {row(t.compression, ts.compression.join(", ") || "—", "compression")}
            {row(
              t.jobs,
              ts.jobs.map((j) => `${j.proc} (${j.target ?? "—"})`).join(", ") || "—",
              "jobs",
            )}
          </>
        )}
        {row(t.late, data.lateWindows, "late")}
      </dl>
    </>
  );
}
