import type { AgentNotificationDelivery } from '@shuttle-cti/protocol';
import type { Toasts } from './toasts.js';

export type NotificationPermissionState = NotificationPermission | 'unsupported';

export interface Notifier {
  permission(): NotificationPermissionState;
  /** Asks the browser (must run inside a click handler). */
  requestPermission(): Promise<NotificationPermissionState>;
  /** Shows a notification; says how. */
  show(notification: AgentNotificationDelivery): 'desktop' | 'toast';
}

/**
 * A desktop notification when the agent has allowed them, otherwise an in-page toast.
 * The Notification API needs a secure context (https or localhost); elsewhere the
 * toast is the only way.
 */
export function createNotifier(toasts: Toasts): Notifier {
  const supported = typeof Notification === 'function' && window.isSecureContext;
  const permission = (): NotificationPermissionState => (supported ? Notification.permission : 'unsupported');
  return {
    permission,
    async requestPermission() {
      if (!supported) return 'unsupported';
      return Notification.requestPermission();
    },
    show(notification) {
      if (permission() === 'granted') {
        try {
          const desktop = new Notification(notification.title, {
            body: notification.body,
            tag: notification.id,
            requireInteraction: notification.type === 'error' || notification.type === 'warning',
          });
          desktop.addEventListener('click', () => {
            window.focus();
            desktop.close();
          });
          return 'desktop';
        } catch {
          // Some browsers (Chrome on Android) only allow notifications from a service worker.
        }
      }
      toasts.show(notification);
      return 'toast';
    },
  };
}
