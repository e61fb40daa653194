/**
 * The grader conversations of the model-graded kinds, written here after the published
 * methods (each names its source). They are Nunjucks templates over the variables promptfoo
 * gives the same kind, so a suite's custom `rubricPrompt` can replace any of them with the
 * same variables; the answer formats are what the kinds read (see each kind's file).
 */

/** A template: a JSON list of `{role, content}` messages (rendered by rubric-prompt.ts). */
function conversation(system: string, user: string): string {
  return JSON.stringify([
    { role: 'system', content: system },
    { role: 'user', content: user },
  ]);
}

/**
 * G-Eval, step 1 (Liu et al. 2023, "G-Eval: NLG Evaluation using GPT-4 with Better Human
 * Alignment", §2: auto chain-of-thought): the grader writes the evaluation steps for the
 * criteria. Variables: `criteria`. Answer: `{"steps": ["…", …]}`.
 */
export const GEVAL_STEPS = conversation(
  'You design evaluation procedures. Given the criteria a reply will be judged on, write the ' +
    'concrete steps an evaluator follows to judge a reply against them, in order, each a short ' +
    'imperative sentence. Answer with a JSON object only: {"steps": ["first step", "second step"]}.',
  'Evaluation criteria:\n{{ criteria }}',
);

/**
 * G-Eval, step 2 (same paper, §2: form-filling with the generated steps): the grader scores
 * the reply from 0 to `maxScore`. Variables: `criteria`, `steps` (joined by "\n- "),
 * `maxScore`, `input` (the prompt), `output`. Answer: `{"score": n, "reason": "…"}`.
 */
export const GEVAL_EVALUATE = conversation(
  'You evaluate a reply to a source text. Follow the evaluation steps, then give an integer ' +
    'score from 0 (does not meet the criteria at all) to {{ maxScore }} (meets them fully). ' +
    'Answer with a JSON object only: {"score": <integer>, "reason": "<one or two sentences>"}.',
  'Evaluation criteria:\n{{ criteria }}\n\nEvaluation steps:\n- {{ steps }}\n\n' +
    'Source text:\n{{ input }}\n\nReply:\n{{ output }}',
);

/**
 * Factuality (OpenAI evals, `modelgraded/fact.yaml`: compare a submission with an expert
 * answer and pick one of five relations). Variables: `input` (the question), `ideal` (the
 * expert answer), `completion` (the output). Answer: `{"category": "A".."E", "reason": "…"}`.
 */
export const FACTUALITY = conversation(
  'You compare the factual content of a submitted answer with an expert answer to the same ' +
    'question. Ignore differences of style, grammar or punctuation. Decide which one relation ' +
    'holds:\n' +
    '(A) The submitted answer is a subset of the expert answer and fully consistent with it.\n' +
    '(B) The submitted answer is a superset of the expert answer and fully consistent with it.\n' +
    '(C) The submitted answer contains all the same details as the expert answer.\n' +
    '(D) The submitted answer and the expert answer disagree.\n' +
    '(E) The answers differ, but the differences do not matter for factuality.\n' +
    'Answer with a JSON object only: {"category": "<A, B, C, D or E>", "reason": "<why>"}.',
  '[Question]: {{ input }}\n[Expert answer]: {{ ideal }}\n[Submitted answer]: {{ completion }}',
);

/**
 * Closed-domain question answering (OpenAI evals, `modelgraded/closedqa.yaml`: does the
 * submission meet a criterion; reason first, verdict last). Variables: `input`, `criteria`,
 * `completion`. Answer: reasoning, then `Y` or `N` alone on the last line.
 */
export const CLOSED_QA = conversation(
  'You assess whether a submitted answer to a task meets a criterion. Reason step by step ' +
    'about the criterion first, without stating the verdict at the start. Then write the ' +
    'verdict alone on the last line: the single letter Y if the criterion is met, N if not.',
  '[Task]: {{ input }}\n[Submission]: {{ completion }}\n[Criterion]: {{ criteria }}',
);

/**
 * Answer relevance, question generation (Es et al. 2023, "RAGAS: Automated Evaluation of
 * Retrieval Augmented Generation", §3: questions generated from the answer are compared with
 * the real one). Variables: `answer`. Answer: one question.
 */
export const ANSWER_RELEVANCE_QUESTION = conversation(
  'Write the one question that the given answer answers. Reply with that question only.',
  'Answer:\n{{ answer }}',
);

/**
 * Context recall (RAGAS, context recall: each sentence of the ground truth is attributed to
 * the retrieved context or not). Variables: `context`, `groundTruth`. Answer: one numbered
 * line per sentence of the ground truth, each ending in `[Attributed]` or `[Not Attributed]`.
 */
export const CONTEXT_RECALL = conversation(
  'You check which sentences of a reference answer are supported by a context. Split the ' +
    'reference answer into its sentences. For each, write one numbered line: the sentence, ' +
    'then [Attributed] if the context supports it or [Not Attributed] if it does not. Write ' +
    'nothing else.',
  'Context:\n{{ context }}\n\nReference answer:\n{{ groundTruth }}',
);

/** The answer of the context-relevance grader when no sentence of the context is relevant. */
export const INSUFFICIENT_INFORMATION = 'Insufficient Information';

/**
 * Context relevance (RAGAS, context relevance: the share of the context's sentences needed
 * to answer the query). Variables: `context`, `query`. Answer: the relevant sentences copied
 * exactly, one per line, or `Insufficient Information`.
 */
export const CONTEXT_RELEVANCE = conversation(
  'You pick the sentences of a context that are needed to answer a question. Copy each such ' +
    'sentence exactly as written, one per line, without changing or numbering it. If no ' +
    `sentence is needed, answer exactly: ${INSUFFICIENT_INFORMATION}`,
  'Question: {{ query }}\n\nContext:\n{{ context }}',
);

/**
 * Faithfulness, step 1 (RAGAS, faithfulness: the answer is broken into standalone
 * statements). Variables: `question`, `answer`. Answer: one statement per line.
 */
export const FAITHFULNESS_STATEMENTS = conversation(
  'Break the answer to the question into short standalone statements, each understandable ' +
    'without the others (replace pronouns by what they name). Write one statement per line ' +
    'and nothing else.',
  'Question: {{ question }}\nAnswer: {{ answer }}',
);

/** The line after which the faithfulness grader gives its verdicts, in order. */
export const FINAL_VERDICTS = 'Final verdict for each statement in order:';

/**
 * Faithfulness, step 2 (RAGAS, faithfulness: natural language inference of each statement
 * from the context). Variables: `context`, `statements` (a list). Answer: per statement a
 * verdict, ending with the final verdict line (`Yes.` / `No.` per statement).
 */
export const FAITHFULNESS_VERDICTS = conversation(
  'You judge whether statements can be inferred from a context. For each statement write ' +
    '"Statement: <statement>" and "Verdict: Yes" if the context supports it or "Verdict: No" ' +
    `if it does not. End with the line "${FINAL_VERDICTS}" followed by the verdicts in order, ` +
    'each Yes. or No.',
  'Context:\n{{ context }}\n\nStatements:\n{% for s in statements %}{{ loop.index }}. {{ s }}\n{% endfor %}',
);

/**
 * Select best (pairwise/listwise preference judging, as in Zheng et al. 2023, "Judging
 * LLM-as-a-Judge with MT-Bench and Chatbot Arena"): the grader picks the output that best
 * meets the criteria. Variables: `criteria`, `outputs` (a list). Answer: the 0-based index.
 */
export const SELECT_BEST = conversation(
  'You compare several outputs for the same input and pick the one that best meets the ' +
    'criteria. Answer with its number only (the first output is 0).',
  'Criteria: {{ criteria }}\n\n{% for o in outputs %}Output {{ loop.index0 }}:\n{{ o }}\n\n{% endfor %}',
);
