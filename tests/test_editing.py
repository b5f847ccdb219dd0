from desk.model.article import Article, Image, Section
from desk.model.editing import (
    add_section,
    delete_section,
    merge_with_next,
    move_section,
    split_section,
)


def three() -> Article:
    return Article(sections=[Section(subheading=f"S{i}", body=f"Body {i}.") for i in range(3)])


def test_split_at_cursor_keeps_every_character():
    a = Article(sections=[Section(subheading="Lead", body="First para.\n\nSecond para.")])
    new = split_section(a, a.sections[0].id, len("First para.\n\n"))
    assert [s.body for s in a.sections] == ["First para.", "Second para."]
    assert a.sections[1] is new and new.subheading == ""


def test_merge_keeps_the_subheading_as_a_heading():
    a = three()
    gone = merge_with_next(a, a.sections[0].id)
    assert gone.subheading == "S1" and len(a.sections) == 2
    assert a.sections[0].body == "Body 0.\n\n## S1\n\nBody 1."
    assert merge_with_next(a, a.sections[-1].id) is None


def test_split_then_merge_round_trips_the_text():
    a = Article(sections=[Section(body="One two three four.")])
    split_section(a, a.sections[0].id, 8)
    merge_with_next(a, a.sections[0].id)
    assert a.sections[0].body == "One two\n\nthree four."


def test_move_and_bounds():
    a = three()
    ids = [s.id for s in a.sections]
    assert move_section(a, ids[0], +1) == 1
    assert [s.id for s in a.sections] == [ids[1], ids[0], ids[2]]
    assert move_section(a, ids[2], +1) == 2  # already last


def test_images_follow_their_text():
    a = three()
    img = Image(alt="x", section_id=a.sections[1].id)
    a.images.append(img)
    merge_with_next(a, a.sections[0].id)
    assert img.section_id == a.sections[0].id


def test_delete_never_leaves_an_article_without_a_body_section():
    a = Article(sections=[Section(body="only")])
    delete_section(a, a.sections[0].id)
    assert len(a.sections) == 1 and a.sections[0].body == ""
    b = three()
    s = add_section(b, b.sections[0].id, body="new")
    assert b.sections[1] is s
    delete_section(b, s.id)
    assert [x.body for x in b.sections] == ["Body 0.", "Body 1.", "Body 2."]
