/**
 * What to do when the provider refuses or fails a message: the one place that classifies Twilio's error
 * codes. Retrying a permanent error wastes money and can annoy a recipient; giving up on a transient one
 * loses a message.
 */

export type ProviderFailure = {
  /** Twilio's error code, when the provider answered with one. */
  code?: number;
  /** HTTP status of the provider's answer; absent when no answer came (network, timeout). */
  httpStatus?: number;
  message: string;
};

export type FailureVerdict = {
  retry: boolean;
  /** The sender is going too fast for the provider: slow it down. */
  throttle: boolean;
  /** The recipient unsubscribed at the carrier or at Twilio: opt them out here too. */
  optOut: boolean;
  /** WhatsApp cannot reach this recipient now; SMS might, where the campaign allows it. */
  smsFallback: boolean;
};

const THROTTLE = new Set([20429, 21611, 30001]);
const TRANSIENT = new Set([20429, 21611, 30001, 63017, 63018]);
const PERMANENT = new Set([21211, 21408, 21610, 21612, 21614, 30004, 30005, 30006, 30007, 63003, 63016, 63024]);
const SMS_FALLBACK = new Set([63003, 63016]);
const OPTED_OUT = 21610;

export const MAX_SEND_ATTEMPTS = 5;

export function classifyFailure(failure: ProviderFailure): FailureVerdict {
  const code = failure.code;
  const verdict = {
    throttle: code !== undefined && THROTTLE.has(code),
    optOut: code === OPTED_OUT,
    smsFallback: code !== undefined && SMS_FALLBACK.has(code),
  };
  if (code !== undefined && PERMANENT.has(code)) return { retry: false, ...verdict };
  if (code !== undefined && TRANSIENT.has(code)) return { retry: true, ...verdict };
  const status = failure.httpStatus;
  // No answer at all (network error, timeout) or a server-side error: the request may work next time.
  const retry = status === undefined || status === 429 || status >= 500;
  return { retry, ...verdict, throttle: verdict.throttle || status === 429 };
}

/** Exponential backoff with full jitter, so that retries of a failed burst do not arrive as a burst. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(2_000 * 2 ** Math.max(0, attempt - 1), 300_000);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
