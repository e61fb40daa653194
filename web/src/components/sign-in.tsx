/** Sign-in with an API key, kept for this browser tab only (sessionStorage). */
import { useState, type FormEvent } from 'react';
import { setApiKey } from '../api/client';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApiKey(key.trim());
    onSignedIn();
  };
  return (
    <section className="panel narrow">
      <h1>Sign in</h1>
      <p>The API asks for a key. It is kept for this tab only and sent as a bearer token.</p>
      <form onSubmit={submit}>
        <label>
          API key
          <input
            type="password"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            required
            autoComplete="off"
          />
        </label>
        <button type="submit">Sign in</button>
      </form>
    </section>
  );
}
