/** The user-facing lines the apps we replace already show; safe to display as they are. */
export const MESSAGES = {
  circuitOpen: 'System overloaded. Try again in a few moments.',
  rateLimited: 'Too many requests. Wait 1-2 minutes before trying again.',
} as const;
