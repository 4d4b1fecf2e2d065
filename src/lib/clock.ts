// The one source of "now": services take a Clock so tests can move time without waiting.
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };
