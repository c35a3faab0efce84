/**
 * Values per call of a hot kernel, and per scratch block of the decoders: 4096 floats (16 KB)
 * stay in L1.
 *
 * The hot kernels (quantizers, sinks, selection passes, sampling, checksum) never loop over a
 * whole tensor in one call; a driver calls them block by block. This matters in V8: a function
 * whose first calls each spin a million-iteration loop is optimised by on-stack replacement
 * (OSR), and later calls may keep re-entering that OSR code, which ran these loops 1.3–1.6×
 * slower on our 2-core benchmark machine (Node 20). Whether that happens depends on background-
 * compilation timing, so the same build measured fast in one process and slow in the next. A
 * kernel called once per block is soon optimised as a whole function and runs at its fast speed
 * in every process (`node --no-use-osr` shows the same effect).
 */
export const BLOCK = 4096;
