/** Types of `parse-prometheus-text-format` 1.1.1 (the package ships none): the prom2json-like shape it returns. */
declare module 'parse-prometheus-text-format' {
  /** One sample: `value` for counters and gauges; `buckets`/`count`/`sum` for histograms (values as strings). */
  export interface ParsedSample {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
    quantiles?: Record<string, string>;
  }
  /** One metric family. `type` is upper-case (`COUNTER`, `GAUGE`, `HISTOGRAM`, `SUMMARY`, `UNTYPED`). */
  export interface ParsedFamily {
    name: string;
    help: string;
    type: string;
    metrics: ParsedSample[];
  }
  /** Parse Prometheus text format; throws on a line it cannot read. */
  export default function parsePrometheusTextFormat(text: string): ParsedFamily[];
}
