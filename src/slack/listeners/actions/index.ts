/**
 * Registers the report buttons (Block Kit actions). Nothing else happens here.
 */
import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../index.js';
import { registerCancelRun } from './cancel-run.js';
import { registerComparePeer } from './compare-peer.js';
import { registerDigestReport } from './digest-report.js';
import { registerFeedbackButtons } from './feedback-buttons.js';
import { registerRefreshRun } from './refresh-run.js';
import { registerReportFile } from './report-file.js';

/** Register Cancel, Refresh, Compare with…, Report file, the feedback buttons and the digest's Full report. */
export function registerActions(app: App, deps: ListenerDeps): void {
  registerComparePeer(app, deps);
  registerFeedbackButtons(app, deps);
  registerCancelRun(app, deps);
  registerRefreshRun(app, deps);
  registerReportFile(app, deps);
  registerDigestReport(app, deps);
}
