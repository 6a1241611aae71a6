/**
 * A time-series chart (uPlot) of one metric: the average line, with the min–max band when the
 * series is aggregated. With `stream`, new readings of the device are appended as they arrive
 * and points older than `spanMs` scroll out. The page inlines uPlot's CSS (IotChartStyle).
 */
import uPlot from "uplot";
import { useEffect, useRef, useState } from "preact/hooks";
import { fmtNumber, fmtValue, type IotLang, metricDecimals } from "@/components/IotFormat.ts";
import { onLive } from "@/islands/(_lib)/iot_stream.ts";
import type { ReadingEvent } from "@/components/IotFormat.ts";

export interface IotChartProps {
  title: string;
  metric: string;
  unit: string;
  lang: IotLang;
  at: number[];
  value: number[];
  min: number[] | null;
  max: number[] | null;
  labels: { avg: string; min: string; max: string };
  emptyText: string;
  /** Live: the SSE URL and the device whose readings to append. */
  stream?: string;
  deviceId?: string;
  /** Live: how much history to keep on screen. */
  spanMs?: number;
}

const HEIGHT = 220;

export default function IotChart(p: IotChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const [count, setCount] = useState(p.at.length);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const banded = !!(p.min && p.max);
    const cols: number[][] = [[...p.at], [...p.value]];
    if (banded) cols.push([...p.min!], [...p.max!]);
    const decimals = metricDecimals(p.metric);
    const fmt = (_: uPlot, v: number | null) => (v === null ? "—" : fmtValue(p.lang, p.metric, v));
    const series: uPlot.Series[] = [
      {},
      { label: banded ? p.labels.avg : p.title, stroke: "#1d5fbf", width: 2, value: fmt },
    ];
    if (banded) {
      series.push(
        { label: p.labels.min, stroke: "#93b4e0", width: 1, value: fmt },
        { label: p.labels.max, stroke: "#93b4e0", width: 1, value: fmt },
      );
    }
    const width = () => Math.max(240, Math.floor(el.clientWidth));
    const u = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        ms: 1,
        tzDate: (ts) => uPlot.tzDate(new Date(ts), "Asia/Dhaka"),
        scales: { x: { time: true } },
        series,
        bands: banded ? [{ series: [3, 2], fill: "rgba(29, 95, 191, 0.12)" }] : undefined,
        axes: [
          {},
          {
            size: 56,
            values: (_u, ticks) => ticks.map((v) => fmtNumber(p.lang, v, Math.min(decimals, 2))),
          },
        ],
        cursor: { drag: { x: false, y: false } },
      },
      cols as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => u.setSize({ width: width(), height: HEIGHT }));
    resize.observe(el);

    let off: (() => void) | undefined;
    if (p.stream && p.deviceId) {
      off = onLive<ReadingEvent>(p.stream, "reading", (e) => {
        if (e.deviceId !== p.deviceId) return;
        let added = false;
        for (const r of e.readings) {
          const last = cols[0][cols[0].length - 1];
          if (r.metric !== p.metric || (last !== undefined && r.at <= last)) continue;
          cols[0].push(r.at);
          cols[1].push(r.value);
          if (banded) {
            cols[2].push(r.value);
            cols[3].push(r.value);
          }
          added = true;
        }
        if (!added) return;
        if (p.spanMs) {
          const from = Date.now() - p.spanMs;
          let drop = 0;
          while (drop < cols[0].length - 1 && cols[0][drop] < from) drop++;
          if (drop) cols.forEach((c) => c.splice(0, drop));
        }
        u.setData(cols as uPlot.AlignedData);
        setCount(cols[0].length);
      });
    }
    return () => {
      off?.();
      resize.disconnect();
      u.destroy();
    };
  }, []);

  return (
    <figure class="rounded-lg border border-gray-200 bg-white p-2" data-chart={p.metric}>
      <figcaption class="font-semibold text-sm mb-1">
        {p.title}
        {p.unit && <span class="font-normal text-gray-600">{` (${p.unit})`}</span>}
      </figcaption>
      <div ref={box} class="w-full min-h-[220px] overflow-hidden" data-points={count} />
      {count === 0 && <p class="text-sm text-gray-600">{p.emptyText}</p>}
    </figure>
  );
}
