export {
  auditKeyId,
  changeDigest,
  computeHeadMac,
  computeMac,
  GENESIS_MAC,
  type AuditContent,
  type AuditKeyring,
} from './audit-chain.js';
export { auditRoutes } from './audit-routes.js';
export {
  AuditKeyError,
  AuditTrail,
  type AuditEntry,
  type AuditQuery,
  type AuditRecord,
} from './audit-trail.js';
export {
  verifyAuditTrail,
  type TamperKind,
  type VerifiedHead,
  type VerifyReport,
} from './audit-verify.js';
export {
  anchorProblem,
  computeAnchorMac,
  createAnchor,
  readAnchor,
  writeAnchor,
  type AuditAnchor,
} from './audit-anchor.js';
export { auditRouteDocs } from './audit-route-docs.js';
