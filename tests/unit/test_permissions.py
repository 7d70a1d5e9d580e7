from roster.model import Actor, Role, Volunteer


def _volunteer(role: Role, team: str = "SD") -> Volunteer:
    return Volunteer(
        id=1, team_code=team, name="李娜", phone="+8613800000001", role=role, telegram_id=10
    )


def test_a_leader_manages_only_their_own_team() -> None:
    leader = Actor(10, "zh", _volunteer(Role.LEADER))
    assert leader.leads("SD")
    assert not leader.leads("HR")


def test_a_deputy_runs_their_team_like_the_leader() -> None:
    assert Actor(10, "zh", _volunteer(Role.DEPUTY)).leads("SD")


def test_a_member_manages_no_team() -> None:
    member = Actor(10, "zh", _volunteer(Role.MEMBER))
    assert not member.leads("SD")
    assert not member.is_leader_or_coordinator


def test_a_coordinator_manages_every_team() -> None:
    coordinator = Actor(99, "zh", None, coordinator=True)
    assert all(coordinator.leads(code) for code in ("HR", "LT", "MA", "QM", "330", "SD"))
    assert coordinator.role_name == "coordinator"


def test_phone_numbers_are_shown_only_in_private_chats_to_those_who_lead_the_team() -> None:
    leader = Actor(10, "zh", _volunteer(Role.LEADER))
    assert leader.may_see_personal_data("SD", private_chat=True)
    assert not leader.may_see_personal_data("SD", private_chat=False)
    assert not leader.may_see_personal_data("HR", private_chat=True)
    member = Actor(11, "zh", _volunteer(Role.MEMBER))
    assert not member.may_see_personal_data("SD", private_chat=True)


def test_someone_not_on_the_roster_is_unknown() -> None:
    stranger = Actor(5, "en")
    assert not stranger.known
    assert stranger.role_name == "unknown"
