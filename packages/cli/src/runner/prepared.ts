import type { CtiClient } from '@shuttle-cti/sdk';

export type IntegrationKind = 'module' | 'legacy' | 'rules';

/**
 * An integration loaded and checked, not yet running. `install` wires it to a client (the
 * runner's scope) and may return a clean-up function, called before a reload replaces it.
 */
export interface PreparedIntegration {
  kind: IntegrationKind;
  file: string;
  install(cti: CtiClient): Promise<void | (() => void)>;
}
