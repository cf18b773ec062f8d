/**
 * Anomaly alerts over closed windows: per dimension value, the error rate and the mean response time of each
 * window are compared with the mean and standard deviation of that value's previous `history` windows; a window
 * with at least `minRequests` requests whose z-score reaches `threshold` raises an alert. Needs three windows of
 * history first. Pure and incremental: one call per closed window row.
 */
import type { WindowCount, WindowDimension } from './tumbling-windows.ts';

export type AnomalyMetric = 'ERROR_RATE' | 'LATENCY';

export interface AnomalyAlert {
  windowStart: number;
  windowEnd: number;
  dimension: WindowDimension;
  key: string;
  metric: AnomalyMetric;
  value: number;
  baseline: number;
  zScore: number;
  requests: number;
  message: string;
}

export interface AnomalyOptions {
  threshold: number;
  minRequests: number;
  history: number;
}

const MIN_HISTORY = 3;
/** Floors of the standard deviation, so a perfectly flat history does not turn any change into an alert. */
const MIN_STD = { ERROR_RATE: 0.01, LATENCY: 1 } as const;

function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(variance) };
}

export function createAnomalyDetector(o: AnomalyOptions): (w: WindowCount) => AnomalyAlert[] {
  const past = new Map<string, { rate: number[]; latency: number[] }>();
  return (w) => {
    let h = past.get(w.key);
    if (!h) past.set(w.key, (h = { rate: [], latency: [] }));
    const values: Record<AnomalyMetric, number> = { ERROR_RATE: w.rate, LATENCY: w.responseTimeSum / w.requests };
    const alerts: AnomalyAlert[] = [];
    if (h.rate.length >= MIN_HISTORY && w.requests >= o.minRequests) {
      for (const metric of ['ERROR_RATE', 'LATENCY'] as const) {
        const { mean, std } = meanStd(metric === 'ERROR_RATE' ? h.rate : h.latency);
        const floor = metric === 'LATENCY' ? Math.max(MIN_STD.LATENCY, mean * 0.05) : MIN_STD.ERROR_RATE;
        const z = (values[metric] - mean) / Math.max(std, floor);
        if (z >= o.threshold) {
          const what = metric === 'ERROR_RATE' ? 'error rate' : 'mean response time';
          const shown = (x: number) => (metric === 'ERROR_RATE' ? `${(x * 100).toFixed(1)}%` : `${x.toFixed(1)} ms`);
          alerts.push({
            windowStart: w.windowStart, windowEnd: w.windowEnd, dimension: w.dimension, key: w.key, metric,
            value: values[metric], baseline: mean, zScore: z, requests: w.requests,
            message: `${w.key}: ${what} ${shown(values[metric])} vs ${shown(mean)} over the previous ${h.rate.length} windows (z = ${z.toFixed(1)})`,
          });
        }
      }
    }
    h.rate.push(values.ERROR_RATE);
    h.latency.push(values.LATENCY);
    if (h.rate.length > o.history) (h.rate.shift(), h.latency.shift());
    return alerts;
  };
}
