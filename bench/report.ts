/**
 * How every benchmark reports: a subject measured against a baseline measured in the same
 * process and the same run, printed as a ratio. Absolute numbers are printed for context only:
 * on a noisy 2-core machine the ratio is what means something.
 */
export interface Measurement {
  label: string;
  value: number;
  unit: string;
}

/** `better: 'lower'` for latencies and bytes, `'higher'` for throughput. */
export function printRatio(title: string, baseline: Measurement, subject: Measurement, better: 'lower' | 'higher'): number {
  const ratio = subject.value / baseline.value;
  const fmt = (m: Measurement) => `${m.label}: ${m.value.toFixed(m.value < 10 ? 2 : 0)} ${m.unit}`;
  const verdict = better === 'lower' ? (ratio <= 1 ? 'less' : 'more') : ratio >= 1 ? 'more' : 'less';
  console.log(
    `${title}\n  ${fmt(baseline)}\n  ${fmt(subject)}\n  ratio ${ratio.toFixed(2)}× (${verdict} than the baseline; ${better} is better)`,
  );
  return ratio;
}

/** Median of a sample; benchmarks repeat a measurement and report the median. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
