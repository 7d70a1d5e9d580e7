"""Every name of a fixed vocabulary exists in both languages; lists use the reader's separator."""

from i18n.catalogue import LANGUAGES, all_keys
from i18n.labels import LabelKind, join, label, label_key
from missions.model import MISSION_TYPES
from roster.model import Role
from roster.taxonomy import SKILLS, TEAMS
from training.fitness import default_standards


def _has_both_names(kind: LabelKind, code: str) -> bool:
    texts = all_keys().get(label_key(kind, code), {})
    return all(texts.get(lang, "").strip() for lang in LANGUAGES)


def test_every_skill_team_mission_type_fitness_item_and_role_has_a_chinese_and_english_name() -> (
    None
):
    wanted: list[tuple[LabelKind, str]] = [
        *(("skill", k.code) for k in SKILLS),
        *(("team", team.code) for team in TEAMS),
        *(("mission_type", code) for code in MISSION_TYPES),
        *(("fitness", item.code) for item in default_standards().items),
        *(("role", role.value) for role in Role),
    ]
    missing = [(kind, code) for kind, code in wanted if not _has_both_names(kind, code)]
    assert not missing
    assert label("role", "leader", "en") == "team leader"


def test_teams_have_english_names() -> None:
    assert label("team", "LT", "zh") == "蓝天公益救援中心"
    assert label("team", "LT", "en") == "Blue Sky Rescue Centre"


def test_the_domain_data_takes_its_names_from_the_labels() -> None:
    first_aid = next(k for k in SKILLS if k.code == "first_aid")
    assert (first_aid.label("zh"), first_aid.label("en")) == ("急救", "first aid")
    assert MISSION_TYPES["flood"] == ("防汛", "flood rescue")
    run = next(i for i in default_standards().items if i.code == "run1000")
    assert (run.label("zh"), run.label("en")) == ("1000米跑", "1000 m run")


def test_a_code_without_a_name_shows_as_itself() -> None:
    assert label("skill", "paragliding", "en") == "paragliding"


def test_lists_are_joined_with_the_readers_separator() -> None:
    assert join(["急救", "通信"], "zh") == "急救、通信"
    assert join(["first aid", "comms"], "en") == "first aid, comms"
    assert join([], "en") == ""
