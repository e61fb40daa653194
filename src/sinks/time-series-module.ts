/**
 * InfluxDB (INFLUXDB_URL): a point per result and a summary per finished run, from whichever
 * process executes the run; its health check; the buffer flushed at close. The InfluxDB client
 * loads only when INFLUXDB_URL is set.
 */
import type { ModuleDefinition } from '../compose/index.js';
import { timeSeriesObserver } from './run-points.js';
import { timeSeriesCheck } from './sink-check.js';

export const timeSeriesModule: ModuleDefinition = {
  name: 'time-series',
  async create({ config, shared, services }) {
    if (config.influxdb === undefined) return {};
    const { influxdbSink } = await import('./influxdb-sink.js');
    const sink = influxdbSink(
      { ...config.influxdb, backoff: config.sinkRetry },
      shared.sinkMeters,
      shared.logger,
    );
    services.timeSeries = sink;
    return {
      observers: [timeSeriesObserver(sink)],
      checks: [timeSeriesCheck(sink)],
      close: () => sink.close(),
    };
  },
};
