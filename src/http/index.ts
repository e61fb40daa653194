export { answerClientErrors } from './client-error.js';
export { trackConnections, type GracefulClose } from './graceful-close.js';
export { errorHandler, requireJsonBody, routeNotFound } from './error-handler.js';
export { checkRequestPath, pathProblem } from './request-path.js';
export { checkUntrustedInput, textProblem, untrustedInputProblems } from './untrusted-input.js';
export { parseOrThrow, withoutReadOnly, zodIssuesToFields } from './validate.js';
