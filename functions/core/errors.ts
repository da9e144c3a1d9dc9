/**
 * A failure no retry can mend: a message that breaks its contract, a stored mail that is
 * gone, an object outside our bucket. The queue runner logs and counts these apart from
 * transient failures (throttling, timeouts) so an operator knows the DLQ holds something
 * to look at, not something that will clear by itself.
 */
export class PermanentFailure extends Error {}
