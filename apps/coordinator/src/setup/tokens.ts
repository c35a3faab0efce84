/** DI tokens of the coordinator module. */
export const CLOCK = Symbol('CLOCK');
