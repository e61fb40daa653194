/** The guide's probe routes: /health/comprehensive, /health/:service, /ready, /live. */
import { Router } from 'express';
import { AppError } from '../errors.js';
import type { HealthOrchestrator } from './health-orchestrator.js';

export function healthRoutes(health: HealthOrchestrator): Router {
  const router = Router();

  router.get('/health/comprehensive', async (_req, res) => {
    const report = await health.getComprehensiveHealth();
    // Degraded still serves: only unhealthy should take the instance out of rotation.
    res.status(report.status === 'unhealthy' ? 503 : 200).json(report);
  });

  router.get('/health/:service', async (req, res) => {
    const result = await health.getServiceHealth(req.params.service);
    if (result === undefined) {
      throw new AppError(
        'PCS_ERR_HEALTH_CHECK_UNKNOWN',
        `No health check named "${req.params.service}"; known: ${health.names().join(', ')}`,
      );
    }
    res.status(result.status === 'fail' ? 503 : 200).json(result);
  });

  router.get('/ready', async (_req, res) => {
    const ready = await health.isReady();
    res.status(ready ? 200 : 503).json({ ready });
  });

  router.get('/live', (_req, res) => {
    res.status(200).json({ live: health.isLive() });
  });

  return router;
}
