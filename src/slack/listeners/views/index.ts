/**
 * Registers the app's views (modals). Nothing else happens here.
 */
import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../index.js';
import { registerFeedbackModal } from './feedback-modal.js';

/** Register the thumbs-down form. */
export function registerViews(app: App, deps: ListenerDeps): void {
  registerFeedbackModal(app, deps);
}
