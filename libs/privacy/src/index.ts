/**
 * @fedzip/privacy: client-level differential privacy. Clipping to an L2 bound, seeded Gaussian
 * noise, and the RDP accountant of the sampled Gaussian mechanism (TF Privacy's, checked against
 * its published test values). Pure numbers over typed arrays; imports only `@fedzip/codec` (for
 * its seeded `Rng`). The design is in docs/privacy.md.
 */
export {
  type AccountedSteps,
  RdpAccountant,
  type RoundPrivacy,
  localPrivacyAfterRounds,
  privacyAfterRounds,
} from './accountant.js';
export { type ClipReport, clipToNorm, l2Norm } from './clip.js';
export { GaussianSampler } from './gaussian.js';
export { type ClientPrivacy, privatize } from './privatize.js';
export {
  DEFAULT_ORDERS,
  type PrivacySpent,
  type RdpConversion,
  computeRdp,
  epsilonFromRdp,
  logErfc,
  rdpSampledGaussian,
} from './rdp.js';
