import { describe, expect, it } from 'vitest';
import { activeStep, STEP_CA, STEP_DISTRIBUTE, STEP_DONE, STEP_ISSUE, STEP_REVIEW } from './stepper-state.ts';

describe('activeStep', () => {
  it('starts at the CA', () => {
    expect(activeStep({ hasCa: false, issued: false, reviewing: false })).toBe(STEP_CA);
    expect(activeStep({ hasCa: false, issued: false, jobStatus: 'running', reviewing: true })).toBe(STEP_CA);
  });
  it('reviews the plan once the CA exists and nothing is issued', () => {
    expect(activeStep({ hasCa: true, issued: false, reviewing: false })).toBe(STEP_REVIEW);
  });
  it('follows a running or failed issuance job', () => {
    expect(activeStep({ hasCa: true, issued: false, jobStatus: 'queued', reviewing: false })).toBe(STEP_ISSUE);
    expect(activeStep({ hasCa: true, issued: true, jobStatus: 'running', reviewing: true })).toBe(STEP_ISSUE);
    expect(activeStep({ hasCa: true, issued: false, jobStatus: 'failed', reviewing: false })).toBe(STEP_ISSUE);
  });
  it('goes on to distribute after success or when certificates exist, and is done once every node holds them', () => {
    expect(activeStep({ hasCa: true, issued: true, jobStatus: 'succeeded', reviewing: false })).toBe(STEP_DISTRIBUTE);
    expect(activeStep({ hasCa: true, issued: true, reviewing: false })).toBe(STEP_DISTRIBUTE);
    expect(activeStep({ hasCa: true, issued: true, reviewing: false, distributed: true })).toBe(STEP_DONE);
    expect(activeStep({ hasCa: true, issued: true, jobStatus: 'succeeded', reviewing: false, distributed: true })).toBe(STEP_DONE);
  });
  it('a re-issue (nodes stale again) brings the distribute step back', () => {
    expect(activeStep({ hasCa: true, issued: true, jobStatus: 'succeeded', reviewing: false, distributed: false })).toBe(STEP_DISTRIBUTE);
  });
  it('goes back to the review to re-issue', () => {
    expect(activeStep({ hasCa: true, issued: true, jobStatus: 'succeeded', reviewing: true })).toBe(STEP_REVIEW);
  });
});
