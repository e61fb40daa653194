/**
 * A card's online evaluation rules and the verdicts they produced:
 * `POST /prompt-cards/:id/online-rules` (201 the rule; 404 unknown card; 422 a bad field or a
 * variable the card's template does not have), `GET …/online-rules` (`{items}`),
 * `DELETE …/online-rules/:ruleId` (204; 404 PCS_ERR_ONLINE_RULE_NOT_FOUND; its evaluations go
 * with it), `GET /prompt-cards/:id/online-evaluations?limit&after&offset` (a keyset page, newest span first).
 */
import { Router } from 'express';
import type { CardService } from '../cards/index.js';
import { nextCursor } from '../util/index.js';
import { onlineEvaluationPageQuery } from './online-rule-schema.js';
import { AppError } from '../errors.js';
import { parseOrThrow, type RecordChange } from '../http/index.js';
import type { OnlineEvalStore } from './online-eval-store.js';
import { onlineRuleInputSchema } from './online-rule-schema.js';

export function onlineRuleRoutes(deps: {
  readonly store: OnlineEvalStore;
  readonly cards: CardService;
  readonly record: RecordChange;
  /** Called after a rule is added or removed (the receiver's rule cache). */
  readonly onRulesChanged: () => void;
}): Router {
  const router = Router();
  const { store, cards, record } = deps;

  router.post('/prompt-cards/:id/online-rules', async (req, res) => {
    const card = await cards.getCard(req.params.id);
    const input = parseOrThrow(onlineRuleInputSchema, req.body);
    const unknown = Object.keys(input.variables).filter((v) => !card.variables.includes(v));
    if (unknown.length > 0)
      throw new AppError('PCS_ERR_VALIDATION_FAILED', 'Invalid fields: variables', [
        {
          field: `variables.${unknown[0] ?? ''}`,
          message: `is not a variable of the card's template (${card.variables.join(', ') || 'none'})`,
        },
      ]);
    const rule = await store.createRule(card.id, input);
    await record(req, { action: 'online_rule.created', targetId: rule.id, after: rule });
    deps.onRulesChanged();
    res.status(201).location(`/api/prompt-cards/${card.id}/online-rules/${rule.id}`).json(rule);
  });

  router.get('/prompt-cards/:id/online-rules', async (req, res) => {
    const card = await cards.getCard(req.params.id);
    res.json({ items: await store.listRules(card.id) });
  });

  router.delete('/prompt-cards/:id/online-rules/:ruleId', async (req, res) => {
    const card = await cards.getCard(req.params.id);
    if (!(await store.deleteRule(card.id, req.params.ruleId)))
      throw new AppError('PCS_ERR_ONLINE_RULE_NOT_FOUND');
    await record(req, { action: 'online_rule.deleted', targetId: req.params.ruleId });
    deps.onRulesChanged();
    res.status(204).end();
  });

  router.get('/prompt-cards/:id/online-evaluations', async (req, res) => {
    const card = await cards.getCard(req.params.id);
    const page = parseOrThrow(onlineEvaluationPageQuery, req.query, 'query');
    const found = await store.list(card.id, page);
    res.json({
      ...found,
      limit: page.limit,
      offset: page.offset,
      next: nextCursor('online-evaluations', found.items, page.limit, (e) => [
        Date.parse(e.span_ended_at),
        e.id,
      ]),
    });
  });

  return router;
}
