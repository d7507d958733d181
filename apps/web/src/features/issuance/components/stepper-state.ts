/**
 * Which step of "create CA -> review plan -> issue -> distribute -> done" is active, from what is
 * known about the cluster. Pure, so the rules are tested without rendering.
 */
import type { JobStatus } from '@kpki/shared';

export const STEP_CA = 0;
export const STEP_REVIEW = 1;
export const STEP_ISSUE = 2;
export const STEP_DISTRIBUTE = 3;
/** all steps complete: Mantine's Stepper shows its Completed content at steps.length */
export const STEP_DONE = 4;

export interface StepperInput {
  hasCa: boolean;
  /** at least one issuance exists */
  issued: boolean;
  /** status of the issuance job being followed, if any */
  jobStatus?: JobStatus | null;
  /** the operator chose to review the plan again (to re-issue) */
  reviewing: boolean;
  /** every node that must hold files holds the current ones (in sync) */
  distributed?: boolean;
}

export function activeStep({ hasCa, issued, jobStatus, reviewing, distributed = false }: StepperInput): number {
  if (!hasCa) return STEP_CA;
  if (jobStatus === 'queued' || jobStatus === 'running') return STEP_ISSUE;
  if (reviewing) return STEP_REVIEW;
  if (jobStatus === 'failed' || jobStatus === 'interrupted') return STEP_ISSUE;
  if (jobStatus === 'succeeded' || issued) return distributed ? STEP_DONE : STEP_DISTRIBUTE;
  return STEP_REVIEW;
}
