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


def test_text_change_finds_the_edit_in_long_and_short_texts():
    from desk.model.editing import text_change

    body = "word " * 5000
    assert text_change(body, body[:100] + "X" + body[100:]) == (100, "", "X")
    assert text_change(body, body[:-1]) == (len(body) - 1, " ", "")
    assert text_change("aaa", "aaaa") == (3, "", "a")  # the end of a run of equal letters
    assert text_change("", "Big") == (0, "", "Big")
    assert text_change("Big news", "Big views") == (4, "n", "vi")
    assert text_change("same", "same") == (4, "", "")


def test_typing_merges_by_word_and_deleting_by_key():
    from desk.model.editing import continues_typing

    assert continues_typing((0, "", "B"), (1, "", "i"))
    assert continues_typing((2, "", "g"), (3, "", " "))
    assert not continues_typing((3, "", " "), (4, "", "n"))  # a new word: a new step
    assert not continues_typing((3, "", "g"), (9, "", "x"))  # the cursor jumped
    assert continues_typing((5, "x", ""), (4, "y", ""))  # Backspace held down
    assert continues_typing((5, "x", ""), (5, "y", ""))  # Delete held down
    assert not continues_typing((0, "", "pasted text"), (11, "", "x"))
    assert not continues_typing((5, "", "x"), (5, "x", ""))


def test_sections_state_puts_back_order_text_and_images():
    from desk.model.editing import restore_sections, sections_state

    a = three()
    a.images = [Image(sha256="x", section_id=a.sections[2].id)]
    state = sections_state(a)
    kept = [(s.id, s.subheading, s.body) for s in a.sections]
    merge_with_next(a, a.sections[1].id)
    delete_section(a, a.sections[0].id)
    restore_sections(a, state)
    assert [(s.id, s.subheading, s.body) for s in a.sections] == kept
    assert a.images[0].section_id == kept[2][0]


def test_joined_changes_replay_a_whole_typing_run():
    from itertools import pairwise

    from desk.model.editing import continues_typing, join_changes, text_change

    for texts in (
        ["Big ", "Big n", "Big ne", "Big new"],  # typing
        ["Big news", "Big new", "Big ne", "Big n"],  # Backspace
        ["Big news", "Big ews", "Big ws", "Big s"],  # Delete
    ):
        step = text_change(texts[0], texts[1])
        last = step
        for before, after in pairwise(texts[1:]):
            change = text_change(before, after)
            assert continues_typing(last, change)
            step, last = join_changes(step, change), change
        assert step == text_change(texts[0], texts[-1])
