/** The card's test cases: a table with inline edit and delete, an add form, import and export. */
import { useState } from 'react';
import { api, ApiError } from '../api/client';
import type { AssertionType, TestCase, TestCaseInput } from '../api/types';
import {
  importContentType,
  importProblems,
  toCsv,
  toJsonl,
  type ImportProblem,
} from '../lib/test-case-io';
import { download } from '../download';
import { errorText } from '../use-api';
import { LoadMore, type LoadMoreProps } from './load-more';
import { TestCaseForm } from './test-case-form';

export function TestCaseTable(props: {
  cardId: string;
  variables: readonly string[];
  /** The test cases read so far (a page of 100 at a time) and the list's paging. */
  cases: readonly TestCase[];
  pages: Omit<LoadMoreProps, 'noun'>;
  /** Every test case of the card (what the export writes, however many are shown). */
  loadAll: () => Promise<readonly TestCase[]>;
  types: readonly AssertionType[];
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [report, setReport] = useState<{ created: number; problems: ImportProblem[] } | null>(null);
  const [error, setError] = useState('');

  const create = async (input: TestCaseInput) => {
    await api(`/api/prompt-cards/${props.cardId}/test-cases`, { method: 'POST', body: input });
    props.onChanged();
  };
  // One request to the bulk route: every row stored in one transaction or none, one write (no
  // rate limit to run into), and the server's problems name the file's lines.
  const importFile = async (file: File) => {
    try {
      const answer = await api<{ imported: number }>(
        `/api/prompt-cards/${props.cardId}/test-cases/import`,
        {
          method: 'POST',
          raw: { text: await file.text(), contentType: importContentType(file.name) },
        },
      );
      setReport({ created: answer.imported, problems: [] });
    } catch (e) {
      const problems =
        e instanceof ApiError && e.fields.length > 0
          ? importProblems(e.fields)
          : [{ line: 0, message: errorText(e) }];
      setReport({ created: 0, problems });
    }
  };

  return (
    <section className="panel" aria-labelledby="cases-title">
      <h2 id="cases-title">Test cases ({props.pages.total ?? props.cases.length})</h2>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Inputs</th>
              <th scope="col">Assertions</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.cases.map((testCase) =>
              editing === testCase.id ? (
                <tr key={testCase.id}>
                  <td colSpan={4}>
                    <TestCaseForm
                      variables={props.variables}
                      testCase={testCase}
                      types={props.types}
                      submitLabel="Save test case"
                      onCancel={() => setEditing(null)}
                      onSave={async (input) => {
                        await api(`/api/test-cases/${testCase.id}`, { method: 'PUT', body: input });
                        setEditing(null);
                        props.onChanged();
                      }}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={testCase.id}>
                  <td>{testCase.name}</td>
                  <td className="mono small-text">
                    {Object.entries(testCase.input_variables)
                      .map(([k, v]) => `${k}=${String(v)}`)
                      .join(', ')}
                  </td>
                  <td>
                    {testCase.assertions.map((a, i) => (
                      <span key={i} className="tag">
                        {a.type}
                      </span>
                    ))}
                  </td>
                  <td className="nowrap">
                    <button
                      type="button"
                      className="link edit-control"
                      onClick={() => setEditing(testCase.id)}
                      aria-label={`Edit ${testCase.name}`}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="link danger edit-control"
                      aria-label={`Delete ${testCase.name}`}
                      onClick={() => {
                        if (!window.confirm(`Delete test case "${testCase.name}"?`)) return;
                        api(`/api/test-cases/${testCase.id}`, { method: 'DELETE' }).then(
                          props.onChanged,
                          (e: unknown) => setError(errorText(e)),
                        );
                      }}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
        <LoadMore noun="test cases" auto {...props.pages} />
      </div>
      {error !== '' && <p className="fail">{error}</p>}
      <div className="actions">
        <label className="file edit-control">
          Import CSV or JSONL
          <input
            type="file"
            accept=".csv,.jsonl,.json,text/csv,application/x-ndjson"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f !== undefined) void importFile(f).then(props.onChanged);
              e.target.value = '';
            }}
          />
        </label>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void props.loadAll().then(
              (all) => download('test-cases.jsonl', 'application/x-ndjson', toJsonl(all)),
              (e: unknown) => setError(errorText(e)),
            )
          }
        >
          Export JSONL
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void props.loadAll().then(
              (all) => download('test-cases.csv', 'text/csv', toCsv(all)),
              (e: unknown) => setError(errorText(e)),
            )
          }
        >
          Export CSV
        </button>
      </div>
      {report !== null && (
        <div role="status" className="import-report">
          {report.problems.length === 0
            ? `Imported ${report.created} test cases.`
            : 'Nothing imported: the file has problems (fix them and import it again).'}
          {report.problems.length > 0 && (
            <ul>
              {report.problems.map((p, i) => (
                <li key={i} className="fail">
                  {p.line === 0 ? '' : `line ${p.line}: `}
                  {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <details className="add-case edit-control">
        <summary>Add a test case</summary>
        <TestCaseForm
          variables={props.variables}
          types={props.types}
          submitLabel="Add test case"
          onSave={create}
        />
      </details>
    </section>
  );
}
