import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { userCan } from "@/plugins/session.ts";
import { ServiceWorker } from "@/components/ServiceWorker.tsx";
import { type FarmAlert } from "@/services/farm/mod.ts";
import FarmRecorder, { type RecorderProps } from "@/islands/FarmRecorder.tsx";
import { alertText, FarmCard } from "@/components/FarmUi.tsx";

interface Data {
  recorder: RecorderProps | null;
  alerts: FarmAlert[];
  noAccess: boolean;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    const m = ctx.state.t.farm;
    ctx.state.title = m.app;
    const user = ctx.state.user;
    const farm = ctx.state.deps.farm;
    // Anonymous visitors get the sign-in prompt (and the service worker): this is the PWA's
    // start page, so it must always answer.
    if (!user) return { data: { recorder: null, alerts: [], noAccess: false } };
    if (!userCan(ctx, "farm.record")) {
      return { data: { recorder: null, alerts: [], noAccess: true } };
    }
    const [animals, bulls, medicines, alerts, stock] = await Promise.all([
      farm.recorderAnimals(),
      farm.listBulls(),
      farm.listMedicines(),
      farm.listAlerts({ open: true, limit: 5 }),
      farm.medicineStock(),
    ]);
    const recorder: RecorderProps = {
      csrf: await ctx.csrfToken(),
      userId: user.id,
      animals: animals.map((a) => [a.id, a.tag, a.name, a.status, a.withdrawalUntil]),
      bulls: bulls.map((b) => [b.id, `${b.code} ${b.name}`]),
      medicines: medicines.map((x) => [x.id, `${x.name} (${x.unit})`]),
      // The medicine lots in the farm store, kept with the page for offline treatments.
      lots: medicines.flatMap((x) =>
        (stock.get(x.id)?.lots ?? []).map((l) =>
          [
            l.lotId,
            x.id,
            `${x.name} · ${l.lotCode}${
              l.expiresOn ? ` · ${l.expiresOn}` : ""
            } · ${l.units} ${x.unit}`,
          ] as [number, number, string]
        )
      ),
      canTreat: userCan(ctx, "farm.health"),
      t: {
        ...m.recorder,
        ...m.recorder.tabs,
        lot: m.stock.lot,
        lotAuto: m.stock.lotAuto,
        female: m.sex.female,
        male: m.sex.male,
      } as unknown as Record<string, string>,
      reasons: m.reasons,
      sessions: m.session,
      conditions: m.condition,
      routes: m.route,
    };
    return {
      data: {
        recorder,
        alerts,
        noAccess: false,
      },
    };
  },
};

/** The staff PWA's start page (the manifest's start_url): the offline recorder. */
export default function FarmHome({ data, state }: PageProps<Data, State>) {
  const { t } = state;
  const m = state.t.farm;
  return (
    <>
      {data.recorder
        ? (
          <>
            {data.alerts.map((a) => (
              <p role="alert" class="rounded bg-red-100 text-red-900 p-3 mb-3 text-sm">
                {alertText(a, m, state.lang)}
              </p>
            ))}
            <h1 class="text-xl font-bold mb-3">{m.recorder.title}</h1>
            <FarmRecorder {...data.recorder} />
          </>
        )
        : (
          <FarmCard>
            <h1 class="text-2xl font-bold text-brand-700 mb-2">{t.farm.title}</h1>
            <p class="mb-4 text-gray-800">{t.farm.intro}</p>
            <p class="mb-4">{data.noAccess ? m.noAccess : t.farm.signInPrompt}</p>
            {!data.noAccess && (
              <a
                href="/signin?next=/farm"
                class="inline-block rounded bg-brand-600 text-white px-4 py-2"
              >
                {t.nav.signIn}
              </a>
            )}
            <p class="mt-6 text-sm text-gray-600">{t.farm.install}</p>
          </FarmCard>
        )}
      <ServiceWorker />
    </>
  );
}
