/** One result in full: inputs, rendered prompt, output, each assertion with score and reason. */
import type { Rating, RunResult, TestCase } from '../api/types';
import { verdictClass, verdictLabel, verdictOf } from '../lib/result-filter';
import { RatingControl } from './rating-control';

export function ResultDetail({
  result,
  testCase,
  rating,
  onRated,
}: {
  result: RunResult;
  testCase: TestCase | undefined;
  rating: Rating | undefined;
  onRated: (rating: Rating) => void;
}) {
  const verdict = verdictOf(result);
  return (
    <section className="panel detail" aria-labelledby="detail-title">
      <h2 id="detail-title">
        {testCase?.name ?? result.test_case_id} · {result.model}{' '}
        <span className={verdictClass(verdict)}>{verdictLabel(verdict)}</span>
        {result.simulated && <span className="tag simulated">simulated</span>}
      </h2>
      <dl className="facts">
        <dt>Score</dt>
        <dd>{result.score.toFixed(3)}</dd>
        <dt>Latency</dt>
        <dd>{Math.round(result.latency_ms)} ms</dd>
        <dt>Tokens</dt>
        <dd>
          {result.input_tokens ?? '–'} in / {result.output_tokens ?? '–'} out
        </dd>
        <dt>Cost</dt>
        <dd>
          {result.cost_usd === null ? 'unknown (no price)' : `$${result.cost_usd.toFixed(6)}`}
        </dd>
        <dt>Attempts</dt>
        <dd>{result.attempts}</dd>
        <dt>Repetition</dt>
        <dd>{result.repetition}</dd>
        <dt>Cached</dt>
        <dd>{result.cached ? 'yes (answer cache)' : 'no'}</dd>
      </dl>
      <RatingControl resultId={result.id} rating={rating} onRated={onRated} />
      {result.error !== null && (
        <p className="fail">
          Error <code>{result.error.type}</code>: {result.error.message}
        </p>
      )}
      <h3>Assertions</h3>
      {result.assertions.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Verdict</th>
              <th scope="col">Score</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {result.assertions.map((a, i) => (
              <tr key={i} className="assertion-result">
                <td>{a.type}</td>
                <td className={a.pass ? 'pass' : 'fail'}>{a.pass ? 'pass' : 'fail'}</td>
                <td>{a.score.toFixed(2)}</td>
                <td>{a.error ?? a.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Input variables</h3>
      <pre>
        {testCase === undefined
          ? 'test case no longer exists'
          : JSON.stringify(testCase.input_variables, null, 2)}
      </pre>
      <h3>Rendered prompt</h3>
      <pre>{result.rendered_prompt}</pre>
      <h3>Output</h3>
      <pre>{result.output ?? '(no answer)'}</pre>
    </section>
  );
}
