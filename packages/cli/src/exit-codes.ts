/** Exit codes every `shuttle-cti` command uses; scripts may rely on them. */
export const ExitCode = {
  /** Done, or stopped by SIGINT/SIGTERM after a clean shutdown. */
  OK: 0,
  /** Failed while running: the hub or store could not be reached, a runtime error. */
  FAILURE: 1,
  /** Bad usage or configuration: unknown flag, invalid value, unreadable config file. */
  USAGE: 2,
  /** The integration script itself is broken (syntax error, bad rules file). */
  SCRIPT: 3,
  /** Authentication refused (bad token, wrong role, wrong AMI password). */
  AUTH: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that ends the process with a given exit code and a one-line message. */
export class ExitError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExitError';
  }
}
