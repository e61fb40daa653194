/** One test case: a value per template variable, expected output, assertions. */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { AssertionType, TestCase, TestCaseInput } from '../api/types';
import { errorText } from '../use-api';
import { AssertionEditor, fromDrafts, toDrafts } from './assertion-editor';
import { Field } from './field';

export function TestCaseForm(props: {
  variables: readonly string[];
  testCase?: TestCase;
  types: readonly AssertionType[];
  submitLabel: string;
  onSave: (input: TestCaseInput) => Promise<void>;
  onCancel?: () => void;
}) {
  const { testCase } = props;
  const [name, setName] = useState(testCase?.name ?? '');
  const [inputs, setInputs] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      Object.entries(testCase?.input_variables ?? {}).map(([k, v]) => [k, String(v)]),
    ),
  );
  const [expected, setExpected] = useState(testCase?.expected_output ?? '');
  const [drafts, setDrafts] = useState(() => toDrafts(testCase?.assertions ?? []));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const names = [...new Set([...props.variables, ...Object.keys(inputs)])];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const assertions = fromDrafts(drafts);
    if ('error' in assertions) {
      setErrors({ [`assertions.${assertions.row}`]: assertions.error });
      setMessage('Check the assertions');
      return;
    }
    const values = Object.fromEntries(
      names.filter((n) => inputs[n] !== undefined).map((n) => [n, inputs[n]]),
    );
    try {
      await props.onSave({
        name,
        input_variables: values,
        expected_output: expected === '' ? null : expected,
        assertions: assertions.specs,
      });
      setErrors({});
      setMessage('');
      if (testCase === undefined) {
        setName('');
        setInputs({});
        setExpected('');
        setDrafts([]);
      }
    } catch (error) {
      const fields = error instanceof ApiError ? error.fieldMessages() : {};
      // A 422/409 on missing variables names them in `input_variables.<name>` or `input_variables`.
      setErrors(fields);
      setMessage(errorText(error));
    }
  };

  return (
    <form className="test-case-form" onSubmit={(e) => void submit(e)} noValidate>
      <Field label="Test case name" error={errors.name}>
        {(id, d) => (
          <input
            id={id}
            aria-describedby={d}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        )}
      </Field>
      {names.map((variable) => (
        <Field
          key={variable}
          label={`{{${variable}}}`}
          error={errors[`input_variables.${variable}`]}
        >
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              value={inputs[variable] ?? ''}
              onChange={(e) => setInputs({ ...inputs, [variable]: e.target.value })}
            />
          )}
        </Field>
      ))}
      {errors.input_variables !== undefined && (
        <p className="field-error" role="alert">
          {errors.input_variables}
        </p>
      )}
      <Field label="Expected output (optional)" error={errors.expected_output}>
        {(id, d) => (
          <textarea
            id={id}
            aria-describedby={d}
            rows={2}
            value={expected}
            onChange={(e) => setExpected(e.target.value)}
          />
        )}
      </Field>
      <AssertionEditor drafts={drafts} onChange={setDrafts} types={props.types} errors={errors} />
      <div className="actions">
        <button type="submit">{props.submitLabel}</button>
        {props.onCancel !== undefined && (
          <button type="button" className="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        <span role="status" className="fail">
          {message}
        </span>
      </div>
    </form>
  );
}
