/**
 * What the machine's own delay `name` gives for `args`: the implementation the machine was created with, or the one a
 * `.provide({ delays })` put in its place. Recorded by actions, so that context says what the timer runs.
 */
export function delayOf(self: unknown, name: string, args: unknown): number {
  // `self` is the running actor; its `logic` is the machine it runs (typed as a bare ActorRef in action arguments).
  const machine = (self as { logic?: { implementations?: { delays?: Record<string, unknown> } } }).logic;
  const delays = machine?.implementations?.delays;
  const delay = delays?.[name];
  const ms = typeof delay === 'function' ? (delay as (a: unknown, p: unknown) => unknown)(args, undefined) : delay;
  return typeof ms === 'number' && Number.isFinite(ms) ? Math.max(0, ms) : 0;
}
