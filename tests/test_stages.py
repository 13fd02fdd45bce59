import pytest

from kcn_tracker.errors import InvalidTransition, InvalidValue
from kcn_tracker.stages import PROJECT_STAGES, ZONE_STAGES, check_move, parse_stage


def test_stage_keys_are_short_snake_case_and_ordered():
    for stages in (PROJECT_STAGES, ZONE_STAGES):
        orders = [s.order for s in stages if s.order is not None]
        assert orders == sorted(orders) == list(range(1, len(orders) + 1))
        assert all(s.key.isascii() and s.key == s.key.lower() and " " not in s.key for s in stages)


@pytest.mark.parametrize("text", ["construction", "Đang thi công", "dang thi cong", "DANG THI CONG", "Under construction"])
def test_parse_stage_accepts_key_and_labels(text):
    assert parse_stage("project", text).key == "construction"


def test_unknown_stage_lists_choices():
    with pytest.raises(InvalidValue, match="in_plan"):
        parse_stage("project", "almost done")


def test_gem_mapping_covers_every_stage():
    gem = {"announced", "pre-construction", "construction", "operating", "shelved", "cancelled"}
    assert {s.gem_status for s in PROJECT_STAGES} <= gem
    assert parse_stage("project", "suspended").gem_status == "shelved"


def test_forward_moves_are_free_backward_and_side_states_need_a_reason():
    check_move("project", "in_plan", "prefeasibility", reason=None, has_investor=False, needs_investor=True)
    with pytest.raises(InvalidTransition, match="lý do"):
        check_move("project", "construction", "site_clearance", reason=None, has_investor=True, needs_investor=True)
    with pytest.raises(InvalidTransition):
        check_move("zone", "site_clearance", "suspended", reason="", has_investor=False, needs_investor=False)
    check_move("zone", "site_clearance", "suspended", reason="court order", has_investor=False, needs_investor=False)


def test_operating_before_an_investor_exists_is_refused():
    with pytest.raises(InvalidTransition, match="nhà đầu tư"):
        check_move("project", "policy_decision", "operating", reason=None, has_investor=False, needs_investor=True)
    check_move("project", "policy_decision", "operating", reason=None, has_investor=True, needs_investor=True)
    # rooftop solar has many small investors: no single one is needed
    check_move("project", "in_plan", "operating", reason=None, has_investor=False, needs_investor=False)
