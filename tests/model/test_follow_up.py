"""Hospital follow-up: the clinics' caseload bookkeeping and their decision rule keeping it stationary."""

from sim.config import CONDITIONS
from sim.validated import from_overrides
from sim.model import CareModel


def _followed_now(model, c):
    return sum(1 for a in model.agents if hasattr(a, "hospital_followed") and a.hospital_followed[c])


def test_clinic_caseload_counter_matches_the_patients(baseline):
    # Enrolments, discharges to the GP, entries and exits all move the counter: it must equal the number
    # of present patients flagged as followed by that clinic.
    for c, clinic in enumerate(baseline.model.clinics):
        assert clinic.followed == _followed_now(baseline.model, c), CONDITIONS[c]


def test_clinics_keep_their_caseload_near_plan(baseline):
    # After warm-up plus two years the caseload stays within 10% of the planned (starting) caseload;
    # each clinic follows hundreds of patients, so 10% is well outside enrolment/discharge noise.
    for clinic in baseline.model.clinics:
        assert abs(clinic.followed - clinic.planned_followed) <= 0.10 * clinic.planned_followed, clinic.name


def test_without_the_decision_rule_the_caseload_grows(small_overrides):
    # The counterfactual: clinics that never hand patients back accumulate enrolled patients, which is
    # why the rule exists (SST 2013 l.3035-3038). Over 3 years growth is clearly above 10% for the
    # clinics receiving most referrals.
    cfg = from_overrides(small_overrides({"pathways.p_discharge_to_gp_at_control": 0.0,
                                          "pathways.p_discharge_when_over_caseload": 0.0,
                                          "pathways.p_enrol_after_new_referral": 0.6,
                                          "run.years": 3, "run.warmup_days": 0, "run.event_log": False}))
    model = CareModel(cfg).run()
    growth = [c.followed / c.planned_followed - 1 for c in model.clinics if c.planned_followed]
    assert max(growth) > 0.10, growth
