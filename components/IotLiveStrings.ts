/** The live overview island's words from the IoT catalog (server side: the island gets plain data). */
import type { IotMessages } from "@/services/iot/mod.ts";
import type { FarmLiveStrings } from "@/islands/IotLive.tsx";

/** The island's words: message functions become `{n}` templates (props must be plain data). */
export function farmLiveStrings(m: IotMessages): FarmLiveStrings {
  const l = m.live;
  return {
    connected: l.connected,
    connecting: l.connecting,
    offline: l.offline,
    tanks: l.tanks,
    noTanks: l.noTanks,
    noReading: l.noReading,
    stale: l.stale,
    ok: l.ok,
    warm: l.warm,
    hot: l.hot,
    held: l.held,
    heldHint: l.heldHint,
    capacity: l.capacity("{n}"),
    thermometer: l.thermometer,
    milkToday: l.milkToday,
    milkDay: l.milkDay("{day}"),
    totalKg: l.totalKg,
    kg: l.kg,
    milkings: l.milkings("{n}"),
    cows: l.cows("{n}"),
    alarms: l.alarms,
    noAlarms: l.noAlarms,
    updatedAt: l.updatedAt("{t}"),
    sessions: l.sessions,
    severity: m.severity,
    state: m.alarmState,
  };
}
