/**
 * Security headers from helmet. The Content-Security-Policy allows only same-origin scripts,
 * styles, images, fonts and connections (the built-in UI and any bundled single-page app served
 * from the same origin fit it: no inline script, no eval), forbids framing
 * (`frame-ancestors 'none'`) and plugins. `upgrade-insecure-requests` and HSTS are left out: the
 * service itself speaks plain HTTP (loopback, or behind a TLS proxy, which should set HSTS).
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
}
