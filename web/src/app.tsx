/**
 * The shell: navigation, the hash route's page, and the sign-in shown when the API answers 401.
 * React (function components and hooks) because it is the most widely maintained component
 * model, and the libraries the pages need (TanStack Virtual, Recharts) are built for it.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { onForbiddenWrite, onUnauthorized } from './api/client';
import { parseRoute, type Route } from './lib/hash-route';
import { CardPage } from './pages/card-page';
import { CardsPage } from './pages/cards-page';
import { ComparePage } from './pages/compare-page';
import { OperatePage } from './pages/operate-page';
import { RunPage } from './pages/run-page';
import { SignIn } from './components/sign-in';

// Charts (Recharts) load with the page that first shows one.
const AnalyticsPage = lazy(() =>
  import('./pages/analytics-page').then((m) => ({ default: m.AnalyticsPage })),
);
const ProductionPage = lazy(() =>
  import('./pages/production-page').then((m) => ({ default: m.ProductionPage })),
);

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function App() {
  const route = useRoute();
  const [needsKey, setNeedsKey] = useState(false);
  const [session, setSession] = useState(0);
  // A key that may only read (403 on a write) hides the editing controls for the session.
  const [readOnly, setReadOnly] = useState(() => sessionStorage.getItem('pcs.readOnly') === '1');
  useEffect(() => onUnauthorized(() => setNeedsKey(true)), []);
  useEffect(
    () =>
      onForbiddenWrite(() => {
        sessionStorage.setItem('pcs.readOnly', '1');
        setReadOnly(true);
      }),
    [],
  );

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <strong>Prompt Card System</strong>
        <nav aria-label="Main">
          <a
            href="#/"
            aria-current={
              route.page === 'cards' || route.page === 'card' || route.page === 'production'
                ? 'page'
                : undefined
            }
          >
            Cards
          </a>
          <a href="#/operate" aria-current={route.page === 'operate' ? 'page' : undefined}>
            Operate
          </a>
          <a href="#/analytics" aria-current={route.page === 'analytics' ? 'page' : undefined}>
            Analytics
          </a>
          <a href="/api/docs">API reference</a>
        </nav>
      </header>
      {readOnly && (
        <p className="read-only-note" role="status">
          Your API key may only read: editing controls are hidden.
        </p>
      )}
      <main id="main" key={session} className={readOnly ? 'read-only' : undefined}>
        {needsKey ? (
          <SignIn
            onSignedIn={() => {
              sessionStorage.removeItem('pcs.readOnly');
              setReadOnly(false);
              setNeedsKey(false);
              setSession((s) => s + 1);
            }}
          />
        ) : (
          <Page route={route} />
        )}
      </main>
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'cards':
      return <CardsPage />;
    case 'card':
      return <CardPage key={route.cardId} cardId={route.cardId} />;
    case 'production':
      return (
        <Suspense fallback={<p className="panel muted">Loading…</p>}>
          <ProductionPage key={route.cardId} cardId={route.cardId} />
        </Suspense>
      );
    case 'run':
      return <RunPage key={route.runId} runId={route.runId} />;
    case 'compare':
      return (
        <ComparePage key={`${route.base}/${route.head}`} base={route.base} head={route.head} />
      );
    case 'operate':
      return <OperatePage />;
    case 'analytics':
      return (
        <Suspense fallback={<p className="panel muted">Loading…</p>}>
          <AnalyticsPage />
        </Suspense>
      );
  }
}
