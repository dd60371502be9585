import type { IntegrationClientToServer, IntegrationServerToClient } from '@shuttle-cti/protocol';
import type { Socket } from 'socket.io-client';

/** The integration socket, typed with the protocol's event maps reversed (client side). */
export type ClientSocket = Socket<IntegrationServerToClient, IntegrationClientToServer>;
