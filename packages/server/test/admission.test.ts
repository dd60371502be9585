import { describe, expect, it } from 'vitest';
import { createAdmission, type AdmissionReading } from '../src/core/admission.js';

/** An admission over readings the test sets. */
function setup(limits = { maxBacklog: 100, maxLagMs: 200 }) {
  const reading: AdmissionReading = { backlog: 0, lagMs: 0 };
  const admission = createAdmission({ ...limits, retryAfterMs: 1_500 }, () => reading);
  return { reading, admission };
}

describe('overload admission', () => {
  it('admits while the backlog and the lag are within their bounds', () => {
    const { reading, admission } = setup();
    expect(admission.admit(1)).toEqual({ ok: true });
    reading.backlog = 80;
    reading.lagMs = 200;
    expect(admission.admit(20)).toEqual({ ok: true });
    expect(admission.refusing).toBe(false);
  });

  it('refuses what would take the backlog past its bound, with the time to retry after', () => {
    const { reading, admission } = setup();
    reading.backlog = 90;
    expect(admission.admit(11)).toEqual({ ok: false, reason: 'backlog', retryAfterMs: 1_500, backlog: 90, lagMs: 0 });
    expect(admission.refusing).toBe(true);
  });

  it('refuses when the hub runs later than the lag bound', () => {
    const { reading, admission } = setup();
    reading.lagMs = 201;
    expect(admission.admit(1)).toMatchObject({ ok: false, reason: 'lag', lagMs: 201 });
  });

  it('once refusing, admits again only when both are down to half their bounds', () => {
    const { reading, admission } = setup();
    reading.backlog = 101;
    expect(admission.admit(1).ok).toBe(false);
    reading.backlog = 51;
    expect(admission.admit(1)).toMatchObject({ ok: false, reason: 'backlog' });
    reading.backlog = 50;
    reading.lagMs = 101;
    expect(admission.admit(1)).toMatchObject({ ok: false, reason: 'lag' });
    reading.lagMs = 100;
    expect(admission.admit(1)).toEqual({ ok: true });
    expect(admission.refusing).toBe(false);
    // Back to the full bounds: 50 + 50 fits.
    expect(admission.admit(50)).toEqual({ ok: true });
  });

  it('lets a request larger than the whole bound in when nothing waits, and not otherwise', () => {
    const { reading, admission } = setup();
    expect(admission.admit(500)).toEqual({ ok: true });
    reading.backlog = 1;
    expect(admission.admit(500)).toMatchObject({ ok: false, reason: 'backlog' });
  });
});
