// Shared by the HTTP unit test and the end-to-end check of a running Herald.
/** Every metric Herald promises on /metrics (README "Self-hosting"). */
export const METRIC_NAMES = [
  'herald_feeds',
  'herald_polls_total',
  'herald_fetch_duration_seconds',
  'herald_poll_lag_seconds',
  'herald_feeds_overdue',
  'herald_items_delivered_total',
  'herald_delivery_latency_seconds',
  'herald_delivery_queue_depth',
  'herald_platform_rate_limited_total',
  'herald_subscription_state_changes_total',
  'herald_process_cpu_seconds_total',
  'herald_process_resident_memory_bytes',
  'herald_nodejs_eventloop_lag_seconds',
];
