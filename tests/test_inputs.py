"""Every input format and layout: the role of every segment, exactly what was left out, and nothing else.

Articles are written for these tests (tests/data/inputs/ and inline); Word files are built here with
python-docx; the URL is served by a local http.server on 127.0.0.1.
"""

from __future__ import annotations

import json
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import run_cli

from audiobook.errors import AudiobookError
from audiobook.text.inputs import input_stem
from audiobook.text.inputs.html import read_html
from audiobook.text.inputs.url import read_url
from audiobook.text.parse import parse_article, parse_document
from audiobook.text.prepare import load_script
from audiobook.text.script import Script

INPUTS = Path(__file__).parent / "data" / "inputs"
N, Q, A = "narrator", "interviewer", "interviewee"


def said(s: Script) -> list[tuple[str, str]]:
    return [(seg.role, seg.text) for seg in s.segments]


def left_out(s: Script) -> list[tuple[int, str, str]]:
    return [(d.line, d.reason, d.text) for d in s.dropped]


# --- a full saved page --------------------------------------------------------------------------------

PAGE_SAID = [
    (N, "Ауылдағы кітапхана жаңа өмір бастады"),
    (N, "Қостанай облысындағы шағын ауылдың кітапханашысы Мейрамгүл Сәрсенова оқырмандарды қалай "
        "қайтарғанын айтып берді."),
    (Q, "Мейрамгүл ханым, кітапханаға оқырман қайта келе бастады ма?"),
    (A, "Иә, келе бастады. Былтыр бізге небәрі отыз адам жазылған еді, биыл екі жүзден асты."),
    (A, "Балалар сабақтан кейін келіп, үй тапсырмасын осында орындайды."),
    (Q, "Бұған не себеп болды?"),
    (A, "Біз кітап клубын аштық. Апта сайын бір кітапты бірге талқылаймыз."),
    (Q, "Алдағы жоспарларыңыз қандай?"),
    (A, "Ауыл тарихы туралы мұражай бұрышын ашқымыз келеді."),
]
PAGE_LEFT_OUT = [
    (12, "site name", "Dala.kz"),
    (14, "navigation", "Басты бет"),
    (14, "navigation", "Саясат"),
    (14, "navigation", "Қоғам"),
    (16, "navigation", "Басты бет » Сұхбат"),
    (18, "date and counters", "12.04.2025, 09:30 1520"),
    (21, "image and its alt text", "Кітапхана ғимараты kitaphana_1.jpg"),
    (22, "photo and its caption", "Фото: Дала жаңалықтары"),
    (30, "read-more link", "Толығырақ: Облыста жиырма кітапхана жөнделеді"),
    (33, "share buttons", "Бөлісу: Facebook Telegram WhatsApp"),
    (34, "tags", "Тегтер: кітапхана, ауыл"),
    (37, "sidebar or related links", "Ұқсас жаңалықтар"),
    (38, "sidebar or related links", "Арқалықта жаңа мектеп ашылды"),
    (38, "sidebar or related links", "Қостанайда кітап жәрмеңкесі өтеді"),
    (40, "page footer", "© 2025 Dala.kz. Барлық құқықтар қорғалған."),
]


def test_full_page_article_found_and_furniture_listed() -> None:
    s = load_script(INPUTS / "page.html")
    assert said(s) == PAGE_SAID  # the headline once: the <h1>, not og:title or <title> again
    assert s.title == "Ауылдағы кітапхана жаңа өмір бастады" and s.date == date(2025, 4, 12)
    assert left_out(s) == PAGE_LEFT_OUT
    assert [c.title for c in s.chapters[1:]] == [t for r, t in PAGE_SAID if r == Q]
    assert s.warnings == []  # bold questions are a layout, not a guess to warn about


def test_keep_all_keeps_every_line_of_the_page() -> None:
    s = load_script(INPUTS / "page.html", keep_all=True)
    assert s.dropped == []
    spoken = [seg.text for seg in s.segments]
    for _, _, text in PAGE_LEFT_OUT:
        assert text in spoken, text
    for _, text in PAGE_SAID:
        assert text in spoken


def test_fragment_with_bold_questions_and_line_breaks() -> None:
    html = ("<h2>Өнер – өмір айнасы</h2>"
            "<p><b>Әсел, суретті қашан сала бастадыңыз?</b></p>"
            "<p>Бес жасымда.<br>Анам маған бояу сыйлады.</p>"
            "<p><strong>Ең сүйікті туындыңыз қайсы?</strong></p><p>Алатау туралы кенеп.</p>"
            "<p><img src='a/IMG_0042.JPG'></p>")
    s = parse_document(read_html(html, "fragment.html"))
    assert said(s) == [(N, "Өнер – өмір айнасы"), (Q, "Әсел, суретті қашан сала бастадыңыз?"),
                       (A, "Бес жасымда."), (A, "Анам маған бояу сыйлады."),
                       (Q, "Ең сүйікті туындыңыз қайсы?"), (A, "Алатау туралы кенеп.")]
    assert left_out(s) == [(1, "image and its alt text", "IMG_0042.JPG")]


@pytest.mark.slow
def test_bold_lead_is_not_a_question_and_rubric_date_lines_go() -> None:
    html = ("<h1>Тау ауылының дәрігері</h1><p>Интервью | 18 октября 2025</p>"
            "<p><strong>Жалғыз дәрігер отыз жыл бойы үш ауылды емдеп келеді.</strong></p>"
            "<p><strong>Дәрігерлікті неге таңдадыңыз?</strong></p><p>Анам медбике болған.</p>"
            "<p><strong>Қиын сәттер болды ма?</strong></p><p>Көп болды. Қыста жол жабылады.</p>")
    s = parse_document(read_html(html, "b.html"))
    assert said(s) == [(N, "Тау ауылының дәрігері"), (N, "Жалғыз дәрігер отыз жыл бойы үш ауылды емдеп келеді."),
                       (Q, "Дәрігерлікті неге таңдадыңыз?"), (A, "Анам медбике болған."),
                       (Q, "Қиын сәттер болды ма?"), (A, "Көп болды. Қыста жол жабылады.")]
    assert left_out(s) == [(1, "date line", "Интервью | 18 октября 2025")]
    assert s.date == date(2025, 10, 18)


def test_html_inline_labels_and_dash_turns() -> None:
    html = ("<html><body><article><h1>Су тапшылығы</h1><p>АТЫРАУ. Облыста су мәселесі күн тәртібінде.</p>"
            "<p><b>Тілші:</b> Жағдай қаншалықты күрделі?</p><p><b>Әкім:</b> Күрделі, бірақ шешіледі.</p>"
            "<p><b>Тілші:</b> Қашан?</p><p><b>Әкім:</b> Келер жылы.</p></article>"
            "<p>Тағы оқыңыз: Атырауда жол жөнделеді</p></body></html>")
    s = parse_document(read_html(html, "labels.html"))
    assert said(s) == [(N, "Су тапшылығы"), (N, "АТЫРАУ. Облыста су мәселесі күн тәртібінде."),
                       (Q, "Жағдай қаншалықты күрделі?"), (A, "Күрделі, бірақ шешіледі."), (Q, "Қашан?"),
                       (A, "Келер жылы.")]
    assert left_out(s) == [(1, "read-more link", "Тағы оқыңыз: Атырауда жол жөнделеді")]
    html = ("<article><h1>Тақырып</h1><p>— Сіз қай жақтансыз?</p><p>— Семейденмін.</p>"
            "<p>– Неге оралдыңыз?</p><p>– Туған жер тартады.</p></article>")
    assert [r for r, _ in said(parse_document(read_html(html, "d.html")))] == [N, Q, A, Q, A]


def test_page_metadata_gives_headline_and_date_when_the_page_has_no_h1() -> None:
    html = ("<html><head><meta property='og:title' content='Жаңа көпір ашылды'>"
            "<meta name='date' content='bad'></head><body><main><time datetime='2024-09-01'>1 қыркүйек</time>"
            "<p>— Көпір қашан ашылды?</p><p>— Кеше.</p></main></body></html>")
    s = parse_document(read_html(html, "m.html"))
    assert s.title == "Жаңа көпір ашылды" and s.date == date(2024, 9, 1)
    assert said(s) == [(N, "Жаңа көпір ашылды"), (Q, "Көпір қашан ашылды?"), (A, "Кеше.")]
    assert left_out(s) == [(1, "date line", "1 қыркүйек")]


# --- Markdown, Word, copied text ----------------------------------------------------------------------


def test_markdown_bold_labels_images_and_links() -> None:
    s = load_script(INPUTS / "interview.md")
    assert said(s) == [
        (N, "Тау шаңғысы – менің өмірім"),
        (N, "Алматылық жас спортшы Дана Әлімжанова әлем кубогына қалай дайындалып жатқанын айтты."),
        (Q, "Дана, тау шаңғысына қашан келдіңіз?"),
        (A, "Алты жасымда әкем Шымбұлаққа алып барды. Содан бері тауды тастаған емеспін."),
        (Q, "Жаттығу күніңіз қалай өтеді?"),
        (A, "Таңертең жүгіремін, түстен кейін трассаға шығамын. Федерация сайтында кестем жарияланған."),
        (Q, "Әлем кубогынан не күтесіз?"),
        (A, "Алғашқы ондыққа кіргім келеді."),
    ]
    assert s.lead.startswith("Алматылық") and s.speaker(A).name == "Дана Әлімжанова"
    assert left_out(s) == [(3, "image and its alt text", "Спортшы жарыста skier-2025.jpg"),
                           (15, "read-more link", "Оқи отырыңыз: Медеуде жаңа трасса ашылды"),
                           (21, "tags", "Тегтер: #спорт #шаңғы")]


def test_markdown_one_turn_per_line_without_blank_lines() -> None:
    doc_text = "# Тақырып\n\nКіріспе.\n\n— Бірінші сұрақ?\n— Бірінші жауап.\n— Екінші сұрақ?\n— Екінші жауап.\n"
    from audiobook.text.inputs.markdown import parse_markdown

    s = parse_document(parse_markdown(doc_text, "x.md"))
    assert [r for r, _ in said(s)] == [N, N, Q, A, Q, A] and s.dropped == []


def test_markdown_raw_html_furniture_is_listed_and_its_prose_read() -> None:
    from audiobook.text.inputs.markdown import parse_markdown

    text = ("# Саябақ ашылды\n\n**Тілші: Саябақ қашан ашылды?**\n\nАйгүл Сейітова: Кеше ашылды.\n\n"
            '<div class="share">Бөлісу: Facebook Telegram</div>\n\n'
            '<nav><a href="/">Басты бет</a><a href="/news">Жаңалықтар</a></nav>\n\n'
            "<!-- редактор: фотоны кейін қосу -->\n\n"
            "<p>Айгүл Сейітова: Балалар алаңы да бар.</p>\n\nАйгүл Сейітова: Бірінші жол.<br>Екінші жол.\n")
    s = parse_document(parse_markdown(text, "x.md"))
    # <br> breaks the line as a soft break does (it was dropped, gluing "жол.Екінші")
    assert said(s)[-3:] == [(A, "Балалар алаңы да бар."), (A, "Бірінші жол."), (A, "Екінші жол.")]
    assert left_out(s) == [(7, "share buttons", "Бөлісу: Facebook Telegram"),
                           (9, "navigation", "Басты бет Жаңалықтар")]


def test_classes_of_state_and_taxonomy_and_the_article_holders_are_not_furniture() -> None:
    """WordPress writes "tag-astana" on the post and "comments-open has-related" on <body>; a wrapper says
    "share-enabled". Each used to leave out the whole article ("no article text found")."""
    page = ('<html><body class="single single-post comments-open has-related"><nav><a>Басты бет</a></nav>'
            '<article class="post type-post status-publish hentry category-news tag-astana tag-bilim">'
            '<h1>Жаңа мектеп ашылды</h1><div class="entry-content share-enabled">'
            "<p>Астанада бүгін жаңа мектеп ашылды, онда екі мың бала оқиды және жүз мұғалім жұмыс істейді.</p>"
            "<p>– Мектеп қашан салына бастады?</p><p>– Құрылыс былтыр көктемде басталды.</p></div>"
            '<div class="share-buttons"><a>Facebook</a><a>Telegram</a></div>'
            '<div class="tag-list"><a>білім</a><a>Астана</a></div></article><footer>© 2025</footer>'
            "</body></html>")
    s = parse_document(read_html(page, "x.html"))
    assert [t for _, t in said(s)] == ["Жаңа мектеп ашылды", "Астанада бүгін жаңа мектеп ашылды, онда екі мың "
                                       "бала оқиды және жүз мұғалім жұмыс істейді.",
                                       "Мектеп қашан салына бастады?", "Құрылыс былтыр көктемде басталды."]
    assert [(d.reason, d.text) for d in s.dropped] == [
        ("navigation", "Басты бет"), ("share buttons", "Facebook Telegram"), ("tags", "білім Астана"),
        ("page footer", "© 2025")]
    from audiobook.text.inputs.markdown import parse_markdown

    md = parse_document(parse_markdown('# Тақырып\n\n<div class="article-content share-enabled">\n'
                                       "<p>Бірінші абзац осында.</p>\n</div>\n", "x.md"))
    assert [t for _, t in said(md)] == ["Тақырып", "Бірінші абзац осында."] and not md.dropped


def test_a_page_drawn_by_its_scripts_is_read_from_its_json_ld() -> None:
    page = ('<html><head><title>Жаңа мектеп ашылды</title><script type="application/ld+json">'
            '{"@graph": [{"@type": "WebSite"}, {"@type": "NewsArticle", "headline": "Жаңа мектеп ашылды", '
            '"datePublished": "2025-02-21T10:00:00+05:00", "articleBody": "Астанада бүгін жаңа мектеп ашылды.\\n'
            '– Мектеп қашан салына бастады?\\n– Құрылыс былтыр көктемде басталды."}]}</script></head>'
            '<body><nav><a>Басты бет</a></nav><div id="root"></div></body></html>')
    s = parse_document(read_html(page, "x.html"))
    assert said(s) == [(N, "Жаңа мектеп ашылды"), (N, "Астанада бүгін жаңа мектеп ашылды."),
                       (Q, "Мектеп қашан салына бастады?"), (A, "Құрылыс былтыр көктемде басталды.")]
    assert s.date == date(2025, 2, 21) and [d.text for d in s.dropped] == ["Басты бет"]
    with pytest.raises(AudiobookError, match="no article text found"):
        read_html('<html><body><nav><a>Басты бет</a></nav><div id="root"></div></body></html>', "y.html")


def test_markdown_inline_script_is_not_read() -> None:
    from audiobook.text.inputs.markdown import parse_markdown

    doc = parse_markdown('# Тақырып\n\nБұл абзацта <script>var a = "код";</script>скрипт <style>p{}</style>бар, '
                         "<b>қалың</b> сөз де бар.\n", "x.md")
    assert [b.text for b in doc.blocks] == ["Тақырып", "Бұл абзацта скрипт бар, қалың сөз де бар."]


@pytest.mark.parametrize("depth", [25, 99])
def test_markdown_deep_quotes_are_read_whole(depth: int) -> None:
    from audiobook.text.inputs.markdown import parse_markdown

    s = parse_document(parse_markdown("# Тақырып\n\nКіріспе.\n\n" + "> " * depth + "Терең сөйлем.\n\nСоңы.\n", "x.md"))
    assert [t for _, t in said(s)][-2:] == ["Терең сөйлем.", "Соңы."]


@pytest.mark.parametrize("text", ["> " * 100 + "Терең сөйлем.\n", "".join("  " * i + "- тармақ\n" for i in range(60))])
def test_markdown_nested_past_the_parser_is_refused_not_cut(text: str, tmp_path: Path) -> None:
    path = tmp_path / "deep.md"
    path.write_text("# Тақырып\n\nКіріспе.\n\n" + text, encoding="utf-8")
    r = run_cli("check", str(path))
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert f"{path}: quotes or lists nested too deep" in r.stderr
def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0\xff\0\0")) \
        + chunk(b"IEND", b"")


def _docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.core_properties.title = "Қолөнер шебері"
    d.add_heading("Киіз басқан шебер: Өнер атадан балаға қалады", level=0)
    lead = d.add_paragraph()
    lead.add_run("Шымкенттік шебер Гүлжан Тұрсынова киіз басу өнерін жастарға үйретіп жүр.").italic = True
    (tmp_png := path.with_suffix(".png")).write_bytes(_png())
    d.add_picture(str(tmp_png))
    d.add_paragraph("Фото: кейіпкердің жеке мұрағатынан")
    for q, a in [("Гүлжан апа, бұл өнерді кімнен үйрендіңіз?", "Әжемнен үйрендім. Ол кісі бүкіл ауылға "
                  "сырмақ басып беретін."),
                 ("Жастар қызыға ма?", "Қызығады. Биыл үйірмеге жиырма қыз келді.")]:
        p = d.add_paragraph()
        p.add_run(q).bold = True
        d.add_paragraph(a)
    d.add_paragraph("Оқи отырыңыз: Түркістанда қолөнер жәрмеңкесі өтті")
    d.save(str(path))
    return path


@pytest.mark.slow
def test_word_heading_italic_lead_and_bold_questions(tmp_path: Path) -> None:
    s = load_script(_docx(tmp_path / "шебер.docx"))
    assert said(s) == [
        (N, "Киіз басқан шебер: Өнер атадан балаға қалады"),
        (N, "Шымкенттік шебер Гүлжан Тұрсынова киіз басу өнерін жастарға үйретіп жүр."),
        (Q, "Гүлжан апа, бұл өнерді кімнен үйрендіңіз?"),
        (A, "Әжемнен үйрендім. Ол кісі бүкіл ауылға сырмақ басып беретін."),
        (Q, "Жастар қызыға ма?"),
        (A, "Қызығады. Биыл үйірмеге жиырма қыз келді."),
    ]
    assert s.title == "Киіз басқан шебер: Өнер атадан балаға қалады"
    assert [(r, t) for _, r, t in left_out(s)] == [
        ("image and its alt text", "Picture 1"),
        ("photo credit", "Фото: кейіпкердің жеке мұрағатынан"),
        ("read-more link", "Оқи отырыңыз: Түркістанда қолөнер жәрмеңкесі өтті")]


def test_word_tables_are_read_in_place_and_a_damaged_file_is_one_line(tmp_path: Path) -> None:
    """Text in a table's cells is read where the table stands (a merged cell once); a .docx whose XML is
    cut short, or holds a text node over libxml2's limit, is one line naming the file, not a traceback."""
    import zipfile

    import docx

    d = docx.Document()
    d.add_heading("Спорт: Жаңа маусым басталды", level=0)
    q = d.add_paragraph()
    q.add_run("Команда қалай дайындалды?").bold = True
    d.add_paragraph("Жақсы дайындалдық.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Дайындық лагері Бурабайда өтті."
    table.cell(1, 0).text = "Бұл кестедегі маңызды сөйлем."
    table.cell(1, 1).text = "Ойыншылар сау."
    d.add_paragraph("Маусым сәтті болады деп сенеміз.")
    d.save(str(path := tmp_path / "sport.docx"))
    s = load_script(path)
    spoken = " ".join(t for _, t in said(s))
    order = ["Жақсы дайындалдық.", "Дайындық лагері Бурабайда өтті.", "Бұл кестедегі маңызды сөйлем.",
             "Ойыншылар сау.", "Маусым сәтті болады деп сенеміз."]
    assert [spoken.index(x) for x in order] == sorted(spoken.index(x) for x in order)
    assert spoken.count("Бурабайда") == 1

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    for name, xml in (("cut.docx", parts["word/document.xml"][: len(parts["word/document.xml"]) // 2]),
                      ("huge.docx", parts["word/document.xml"].replace(
                          "Ойыншылар сау.".encode(), ("сөз " * 2_600_000).encode()))):
        with zipfile.ZipFile(bad := tmp_path / name, "w") as z:
            for n, data in parts.items():
                z.writestr(n, xml if n == "word/document.xml" else data)
        import subprocess
        import sys

        r = subprocess.run([sys.executable, "-m", "audiobook", "script", str(bad)], capture_output=True, text=True)
        assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr
        assert r.stderr.strip().count("\n") == 0 and str(bad) in r.stderr and "save it again" in r.stderr


COPIED_SAID = [
    (N, "Бақша өсірген ұстаз: Балалар жерді сүюі керек"),
    (N, "ТҮРКІСТАН. Мектеп жанында бақ өсірген биология пәнінің мұғалімі Нұржан Әбілов оқушылармен бірге "
        "атқарған жұмысын әңгімеледі."),
    (Q, "Нұржан ағай, бақ идеясы қайдан шықты?"),
    (A, "Балалар өсімдікті тек кітаптан көреді. Мен оларға жерді қолмен ұстатқым келді."),
    (Q, "Қазір бақта не өседі?"),
    (A, "Алма, өрік және жүзім. Биыл алғашқы өнімді жинадық."),
    (Q, "Оқушылар не дейді?"),
    (A, "Олар бақты өз үйіндей көреді. Сабақтан кейін де келіп, суарып кетеді."),
]
COPIED_LEFT_OUT = [
    (1, "navigation", "Басты бет / Сұхбат"),
    (3, "date and counters", "Oinet.kz 10-07-2024 3580"),
    (4, "counter", "4236 рет"),
    (5, "counter", "көрсетілді"),
    (6, "reading time", "24 мин"),
    (7, "reading time", "оқу үшін"),
    (8, "image file name", "Screenshot_2.jpg"),
    (9, "repeats the headline", "Бақша өсірген ұстаз: Балалар жерді сүюі керек"),
    (13, "photo credit", "Фото: мектептің баспасөз қызметі"),
    (16, "read-more link", "Толығырақ: Облыста жүз мектеп бақ отырғызды"),
    (19, "share line", "Бөлісу"),
    (20, "share line", "Telegram WhatsApp Facebook"),
    (21, "copyright line", "© 2024 Oinet.kz"),
    (22, "related news", "Ұқсас жаңалықтар"),
    (23, "related news", "Шымкентте жаңа саябақ ашылды"),
    (24, "related news", "Түркістанда мектеп салынды"),
]


def test_copied_text_with_every_kind_of_furniture() -> None:
    s = load_script(INPUTS / "copied.txt")
    assert said(s) == COPIED_SAID
    assert left_out(s) == COPIED_LEFT_OUT
    assert s.date == date(2024, 7, 10)  # from the site-date-views line
    assert s.speaker(A).name == "Нұржан Әбілов"


def test_more_furniture_lines_and_sentences_that_look_alike() -> None:
    text = ("Тақырып\nКіріспе.\n— Сұрақ?\n— Жауап.\n29.06.2021\n6268\n0\n👁 512\nОқу уақыты: 3 мин\n"
            "Фото ашық дереккөздерден\nTelegram-арнамызға жазылыңыз\n#сұхбат #ауыл\nwww.example.kz\n"
            "Барлық құқықтар қорғалған\nКөп оқылғандар\nБір жаңалық\n"
            "— Тегін курс бар ма?\n— Бар. 2024 жылы 18 қазанда ашылды.\n— Фото түсіруді қайдан үйрендіңіз?\n"
            "— Бөлісу мәдениеті маған анамнан дарыды.\n— 100 жыл деген аз ба?\n— Аз емес.")
    s = parse_article(text, "t.txt")
    assert [d.reason for d in s.dropped] == [
        "date line", "counter", "counter", "counter", "reading time", "photo credit", "subscribe line", "tags",
        "site name", "copyright line", "related news", "related news"]
    kept = [t for _, t in said(s)]
    assert kept == ["Тақырып", "Кіріспе.", "Сұрақ?", "Жауап.", "Тегін курс бар ма?",
                    "Бар. 2024 жылы 18 қазанда ашылды.", "Фото түсіруді қайдан үйрендіңіз?",
                    "Бөлісу мәдениеті маған анамнан дарыды.", "100 жыл деген аз ба?", "Аз емес."]


def test_credits_copy_notices_page_controls_and_the_signature_under_the_last_answer() -> None:
    text = ("Тақырып\nКіріспе.\nашық дереккөзі\n— Сұрақ?\n— Жауап берейін.\nҒаламтордан алынды\n"
            "Материалды көшіріп басу үшін сілтеме міндетті.\nҚате таптыңыз ба? Белгілеп, Ctrl+Enter басыңыз.\n"
            "21.02.2025 15:42 · 1254 қаралым\nАйгүл СЕЙІТОВА")
    s = parse_article(text, "t.txt")
    assert [(d.reason, d.text) for d in s.dropped] == [
        ("photo credit", "ашық дереккөзі"), ("photo credit", "Ғаламтордан алынды"),
        ("copyright line", "Материалды көшіріп басу үшін сілтеме міндетті."),
        ("page controls", "Қате таптыңыз ба? Белгілеп, Ctrl+Enter басыңыз."),
        ("date and counters", "21.02.2025 15:42 · 1254 қаралым")]
    # The journalist's name under the last answer is the newsroom's line, not the interviewee's.
    assert said(s)[-2:] == [(A, "Жауап берейін."), (N, "Айгүл СЕЙІТОВА")]
    # A short last answer of two capitalised words with its full stop stays the interviewee's.
    s = parse_article("Тақырып\nКіріспе.\n— Қай қалада тудыңыз?\n— Қызылорда облысы.", "t.txt")
    assert said(s)[-1] == (A, "Қызылорда облысы.")


def test_rubric_and_weekday_date_lines_ads_age_ratings_and_page_links() -> None:
    text = ("Жаңа саябақ ашылды\nЗерде • 12 Мамыр, 2024\nЖұма, 10 Мамыр 2024\n"
            "12 - сөз 1520 3 пікір 10 Мамыр, 2024 сағат 10:15\n125Фото: Қала әкімдігі\n"
            "Коллажды жасаған – Ерлан ОМАР\nРеклама\nBack to top button\n14+\nБіз туралы\n"
            "Астанада бүгін жаңа саябақ ашылды. Онда балалар алаңы бар.\nЖаңартылды: 10 Мамыр 2024, 12:30\n"
            "Басқа материалдар\nШымкентте жаңа мектеп ашылды")
    s = parse_article(text, "t.txt")
    assert [t for _, t in said(s)] == ["Жаңа саябақ ашылды",
                                       "Астанада бүгін жаңа саябақ ашылды. Онда балалар алаңы бар."]
    assert [d.reason for d in s.dropped] == [
        "date line", "date line", "date and counters", "photo credit", "photo credit", "advertising",
        "page controls", "age rating", "navigation", "date line", "related news", "related news"]
    assert s.date == date(2024, 5, 12)


def test_a_lead_printed_twice_is_read_once() -> None:
    lead = "Ауылда жаңа мектеп ашылды, деп хабарлайды аудан әкімдігінің баспасөз қызметі."
    s = parse_article(f"Ауылда жаңа мектеп ашылды\n{lead}\n{lead}\n— Қашан?\n— Кеше.\n— Рахмет.\n— Рахмет.", "t.txt")
    assert [t for _, t in said(s)] == ["Ауылда жаңа мектеп ашылды", lead, "Қашан?", "Кеше.", "Рахмет.", "Рахмет."]
    assert [(d.line, d.reason) for d in s.dropped] == [(3, "repeats a paragraph")]


def test_reported_speech_and_dash_lists_are_not_turns() -> None:
    news = parse_article("Ауылда мектеп салынады\nАуыл әкімі тұрғындармен кездесті.\n"
                         "– Биыл ауылға 300 орындық мектеп салынады, – деді әкім.\nҚұрылыс күзде аяқталады.\n"
                         "Қорытынды кесте:\n- 1-орын – Асан Серікұлы\n- 2-орын – Бекзат Нұрланұлы", "t.txt")
    assert {role for role, _ in said(news)} == {N} and len(news.chapters) == 1
    # Inside an interview, a list after a colon stays with the one who is speaking.
    talk = parse_article("Тақырып\nКіріспе.\n— Жоспарыңыз қандай?\n— Үш мақсат бар:\n- мектеп салу;\n"
                         "- жол жөндеу;\n- саябақ ашу.\n— Рахмет!\n— Сізге де рахмет.", "t.txt")
    assert said(talk)[2:] == [(Q, "Жоспарыңыз қандай?"), (A, "Үш мақсат бар:"), (A, "- мектеп салу;"),
                              (A, "- жол жөндеу;"), (A, "- саябақ ашу."), (Q, "Рахмет!"), (A, "Сізге де рахмет.")]


def test_dash_questions_with_initials_labelled_answers() -> None:
    s = parse_article("Қайрат Әлиев: Ауыл жаңа кезеңде\nОблыс әкімінің орынбасары Қайрат Әлиевпен сұхбат.\n"
                      "– Биылғы егін қалай?\n"
                      "Қ.Ә.: Биыл егін жақсы шықты.\n– Фермерлерге қандай көмек бар?\nҚ.Ә.: Несие беріледі.\n"
                      "– Рахмет.", "t.txt")
    assert said(s)[2:] == [(Q, "Биылғы егін қалай?"), (A, "Биыл егін жақсы шықты."),
                           (Q, "Фермерлерге қандай көмек бар?"), (A, "Несие беріледі."), (Q, "Рахмет.")]
    assert s.speaker(A).name == "Қайрат Әлиев"


def test_initials_after_the_full_name_are_the_same_speaker() -> None:
    s = parse_article("Мектеп – болашақ\nТілші: Мектеп қашан ашылады?\nАсан Қасымов: Қыркүйекте.\n"
                      "Тілші: Қанша оқушы оқиды?\nА.Қ.: Бес жүз оқушы.", "t.txt")
    assert [(seg.role, seg.text) for seg in s.segments][-2:] == [(Q, "Қанша оқушы оқиды?"), (A, "Бес жүз оқушы.")]
    assert len({seg.speaker for seg in s.segments if seg.role == A}) == 1


def test_labels_and_furniture_in_latin_and_arabic_letters_are_found_by_their_cyrillic_reading() -> None:
    latin = parse_article("Jańa mektep ashyldy\n512 ret kórsetildi\n3 mın oqý úshin\nTilshi: Siz qaıdan keldińiz?\n"
                          "Aıgúl Serikqyzy: Men Almatydan keldim.\nTilshi: Mektep qashan ashyldy?\n"
                          "Aıgúl Serikqyzy: Keshe ashyldy.", "t.txt")
    assert said(latin)[1:3] == [(Q, "Siz qaıdan keldińiz?"), (A, "Men Almatydan keldim.")]  # as written
    assert [d.reason for d in latin.dropped] == ["counter", "reading time"]
    arabic = parse_article("مەكتەپ اشىلدى\n591 رەت كورسەتىلدى\nءتىلشى: ءسىز قايدان كەلدىڭىز؟\n"
                           "ايگۇل سەرىكقىزى: مەن الماتىدان كەلدىم.\nءتىلشى: مەكتەپ قاشان اشىلدى؟\n"
                           "ايگۇل سەرىكقىزى: كەشە اشىلدى.", "t.txt")
    assert [role for role, _ in said(arabic)] == [N, Q, A, Q, A]
    assert said(arabic)[2] == (A, "مەن الماتىدان كەلدىم.") and [d.reason for d in arabic.dropped] == ["counter"]


def test_a_name_alone_then_a_dash_paragraph_is_that_speakers_turn() -> None:
    s = parse_article("Заң тілі\nДөңгелек үстел.\nТілші: Басты мәселе не?\nҮнзила Шапақ:\n– Тіл бір емес.\n"
                      "Ерлан Сапаров:\n– Мен келісемін.\nТілші: Рахмет.", "t.txt")
    assert [(s.speaker(seg.speaker).name, seg.text) for seg in s.segments][2:] == [
        ("Тілші", "Басты мәселе не?"), ("Үнзила Шапақ", "Тіл бір емес."), ("Ерлан Сапаров", "Мен келісемін."),
        ("Тілші", "Рахмет.")]


def test_the_new_rules_leave_interviews_and_sentences_alone() -> None:
    """Found by a hostile review: an answer quoting someone ("«...», – деді.") stays an answer; an answer
    after a question ending in a colon stays an answer; sentences that open like a credit are read; a
    label "Редакция:" is a speaker, not a menu."""
    s = parse_article("Тақырып\nКіріспе.\n– Егін қалай болады?\n– Жақсы. Әкем: «Жерді күтсең, ол асырайды», – деді.\n"
                      "– Көмек бар ма?\n– Министр: «Қаражат түседі», – деп уәде берді.", "t.txt")
    assert [role for role, _ in said(s)][2:] == [Q, A, Q, A]
    s = parse_article("Тақырып\nКіріспе.\n– Үйірмелерді атап өтіңізші:\n– 12 үйірме бар: би, ән, шахмат.\n"
                      "– Рахмет.\n– Сізге де.", "t.txt")
    assert [role for role, _ in said(s)][2:] == [Q, A, Q, A]
    s = parse_article("Тақырып\nБейнені түсірген тұрғын оны әлеуметтік желіге жариялаған.\n"
                      "Видеоны түсірген жүргізуші полицияға шағым түсірді.", "t.txt")
    assert len(said(s)) == 3 and not s.dropped
    s = parse_article("Тақырып\nКіріспе.\nРедакция:\nМектеп қашан ашылады?\nАсан Қасымов:\nҚыркүйекте.\n"
                      "Редакция:\nРахмет.\nАсан Қасымов:\nСізге де рахмет.", "t.txt")
    assert [role for role, _ in said(s)][2:] == [Q, A, Q, A] and not s.dropped


def test_box_classes_with_script_hooks_and_prepositions_are_still_furniture() -> None:
    page = ('<html><body><article><h1>Тақырып</h1><p>Астанада бүгін жаңа мектеп ашылды, онда екі мың бала '
            'оқиды және жүз мұғалім жұмыс істейді.</p><div class="js-related-news"><a>Басқа жаңалық</a></div>'
            '<div class="share-on-social"><a>Facebook</a></div><div class="breadcrumbs-with-icons"><a>Басты</a>'
            '</div><div class="tag-item"><a>Ауыл</a></div><div class="js-comments">Пікір жазу үшін тіркеліңіз.'
            "</div></article></body></html>")
    s = parse_document(read_html(page, "x.html"))
    assert [d.reason for d in s.dropped] == ["related news", "share buttons", "navigation", "tags", "comments"]


def test_a_glued_initial_label_and_a_moderators_dash_question() -> None:
    s = parse_article("Ауыл жаңа кезеңде\nОрынбасар Қайрат Әбдіровпен сұхбат.\n– Егін қалай?\n"
                      "Қ.Әбдіров: Жақсы шықты.\n– Көмек бар ма?\nҚ.Әбдіров: Несие беріледі.", "t.txt")
    assert [role for role, _ in said(s)][2:] == [Q, A, Q, A]
    s = parse_article("Заң тілі\nДөңгелек үстел.\nҮнзила Шапақ:\n– Тіл бір емес.\n– Ерлан мырза, сіз не дейсіз?\n"
                      "Ерлан Сапаров:\n– Келісемін.", "t.txt")
    assert [(seg.role, seg.text) for seg in s.segments][2:] == [
        (A, "Тіл бір емес."), (Q, "Ерлан мырза, сіз не дейсіз?"), (A, "Келісемін.")]


# --- every marker and label shape ---------------------------------------------------------------------

SHAPES = {
    "em dash": "— Қашан келдіңіз?\n— Кеше келдім.\n— Қалай жеттіңіз?\n— Пойызбен.",
    "en dash, no space": "–Қашан келдіңіз?\n–Кеше келдім.\n–Қалай жеттіңіз?\n–Пойызбен.",
    "minus sign": "− Қашан келдіңіз?\n− Кеше келдім.\n−Қалай жеттіңіз?\n−Пойызбен.",
    "hyphen, no space": "-Қашан келдіңіз?\n-Кеше келдім.\n-Қалай жеттіңіз?\n-Пойызбен.",
    "hyphen and space": "- Қашан келдіңіз?\n- Кеше келдім.\n- Қалай жеттіңіз?\n- Пойызбен.",
    "name labels alone": "Айым:\nҚашан келдіңіз?\nАйгүл Серікқызы:\nКеше келдім.\nАйым:\nҚалай жеттіңіз?\n"
                         "Айгүл Серікқызы:\nПойызбен.",
    "titles and initials inline": "Қ.Ә: Қашан келдіңіз?\nЖанғара Дәдебаев, ф.ғ.д., профессор: Кеше келдім.\n"
                                  "Қ.Ә: Қалай жеттіңіз?\nЖанғара Дәдебаев, ф.ғ.д., профессор: Пойызбен.",
    "titles and initials alone": "Қ.Ә:\nҚашан келдіңіз?\nЖанғара Дәдебаев, ф.ғ.д., профессор:\nКеше келдім.\n"
                                 "Қ.Ә:\nҚалай жеттіңіз?\nЖанғара Дәдебаев, ф.ғ.д., профессор:\nПойызбен.",
    "numbered questions": "1. Қашан келдіңіз?\nКеше келдім.\n2. Қалай жеттіңіз?\nПойызбен.",
    "numbered labels": "Сұрақ 1: Қашан келдіңіз?\nЖауап: Кеше келдім.\nСұрақ 2: Қалай жеттіңіз?\nЖауап: Пойызбен.",
    "label then dash": "Тілші:\n— Қашан келдіңіз?\nЖауап:\n— Кеше келдім.\nТілші:\n— Қалай жеттіңіз?\nЖауап:\n"
                       "— Пойызбен.",
    "invisible characters": "Тілші\u200b: Қашан келдіңіз?\nАи\u0306гүл: Кеше келдім.\nТіл\u00adші: Қалай "
                            "жеттіңіз?\n\u2067Айгүл\u2069:\ufeff Пойызбен.",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_marker_and_label_shape(shape: str) -> None:
    s = parse_article(f"Тақырып\nКіріспе.\n{SHAPES[shape]}", shape)
    assert said(s) == [(N, "Тақырып"), (N, "Кіріспе."), (Q, "Қашан келдіңіз?"), (A, "Кеше келдім."),
                       (Q, "Қалай жеттіңіз?"), (A, "Пойызбен.")]
    assert s.dropped == []


def test_a_decomposed_letter_names_the_same_speaker() -> None:
    s = parse_article("Тақырып\nКіріспе.\n" + SHAPES["invisible characters"])
    assert [sp.name for sp in s.speakers] == ["Диктор", "Тілші", "Айгүл"]


# --- URLs and the command line ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("site")
    (root / "news").mkdir()
    (root / "news" / "kitaphana-2025.html").write_bytes((INPUTS / "page.html").read_bytes())
    (root / "notes.txt").write_text("Бұл бет емес.", encoding="utf-8")
    (root / "big.html").write_bytes(b"<p>" + b"x" * 3000 + b"</p>")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.path not in ("/half", "/slow"):
                return super().do_GET()
            body = (INPUTS / "page.html").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.path == "/half":  # the connection drops two thirds of the way
                self.wfile.write(body[: len(body) * 2 // 3])
                return None
            for i in range(0, 40):  # a byte every 0.1 s: no read waits long, the whole never comes
                self.wfile.write(body[i : i + 1])
                self.wfile.flush()
                time.sleep(0.1)
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.slow
def test_url_gives_the_same_script_as_the_saved_page(site: str) -> None:
    url = f"{site}/news/kitaphana-2025.html"
    r = run_cli("script", url, "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    saved = load_script(INPUTS / "page.html").to_dict()
    assert d == json.loads(json.dumps(saved, ensure_ascii=False))
    assert [(x["line"], x["reason"], x["text"]) for x in d["dropped"]] == PAGE_LEFT_OUT
    assert input_stem(url) == "kitaphana-2025"


def test_a_page_nested_past_the_parsers_depth_is_refused_not_cut(tmp_path: Path) -> None:
    """libxml2 drops everything past 256 nested tags: the page is refused with one line, rather than
    rendered as its headline alone with the article silently gone."""
    from audiobook.text.inputs.html import read_html

    body = "<span>" * 300 + "Тереңде жасырылған сөйлем." + "</span>" * 300
    page = (f"<html><body><h1>Тақырып</h1><article><p>Бірінші сөйлем.</p>{body}<p>Соңғы сөйлем.</p></article>"
            "</body></html>")
    with pytest.raises(AudiobookError, match="nests its tags too deep"):
        read_html(page, "deep.html")
    shallow = page.replace("<span>" * 300, "<span>" * 200).replace("</span>" * 300, "</span>" * 200)
    assert "Соңғы сөйлем." in " ".join(b.text for b in read_html(shallow, "shallow.html").blocks)


def test_a_page_cut_short_or_trickling_is_refused(site: str) -> None:
    """A body shorter than its Content-Length was once read as the whole page (a 0.6 min episode of a
    longer article, exit 0); a server sending a byte at a time never tripped the per-read timeout."""
    with pytest.raises(AudiobookError, match="arrived incomplete"):
        read_url(f"{site}/half")
    t = time.monotonic()
    with pytest.raises(AudiobookError, match="took over 1 s to arrive"):
        read_url(f"{site}/slow", total=1.0)
    assert time.monotonic() - t < 3


@pytest.mark.slow
def test_check_takes_a_url_as_render_does(site: str) -> None:
    """`check URL` reports on the page (it once took the URL for a path and collapsed its //)."""
    r = run_cli("check", f"{site}/news/kitaphana-2025.html")
    assert r.returncode == 0, r.stderr
    saved = run_cli("check", str(INPUTS / "page.html"))
    assert r.stdout.splitlines()[:8] == saved.stdout.splitlines()[:8]
    assert "Тілші [interviewer]: 3 turns" in r.stdout


@pytest.mark.slow
def test_url_failures_are_one_clear_line(site: str) -> None:
    with pytest.raises(AudiobookError, match="not a web page \\(Content-Type text/plain\\)"):
        read_url(f"{site}/notes.txt")
    with pytest.raises(AudiobookError, match="larger than"):
        read_url(f"{site}/big.html", max_bytes=2000)
    with pytest.raises(AudiobookError, match="HTTP 404"):
        read_url(f"{site}/missing.html")
    r = run_cli("script", "http://127.0.0.1:9/article.html")  # nothing listens on the discard port
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "cannot fetch the page" in r.stderr and "online" in r.stderr


@pytest.mark.slow
def test_script_view_marks_dropped_lines_and_keep_all_keeps_them() -> None:
    r = run_cli("script", str(INPUTS / "copied.txt"))
    assert r.returncode == 0, r.stderr
    marked = [line for line in r.stdout.splitlines() if line.startswith("[dropped]")]
    assert marked == [f"[dropped] line {n} ({why}): {text}" for n, why, text in COPIED_LEFT_OUT]
    r = run_cli("script", str(INPUTS / "copied.txt"), "--keep-all", "--json")
    d = json.loads(r.stdout)
    assert d["dropped"] == []
    assert "Oinet.kz 10-07-2024 3580" in [s["text"] for s in d["segments"]]


@pytest.mark.slow
def test_bad_inputs_are_one_clear_line(tmp_path: Path) -> None:
    (bad := tmp_path / "broken.docx").write_bytes(b"not a zip")
    (empty := tmp_path / "empty.html").write_text("<html><body><nav>Басты бет</nav></body></html>")
    (old := tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    for path, words in [(bad, "not a readable Word"), (empty, "no article text"), (old, "save the article as .docx")]:
        r = run_cli("script", str(path))
        assert r.returncode == 1 and r.stderr.count("\n") == 1 and words in r.stderr, r.stderr
        assert "Traceback" not in r.stderr


@pytest.mark.slow
def test_edited_script_keeps_working_with_dropped_lines(tmp_path: Path) -> None:
    for fmt in ("--yaml", "--json"):
        r = run_cli("script", str(INPUTS / "copied.txt"), fmt)
        (edited := tmp_path / f"episode.{fmt[2:]}").write_text(r.stdout, encoding="utf-8")
        if fmt == "--yaml":
            assert "# Left out: line 4 (counter): 4236 рет" in r.stdout
        back = load_script(edited)
        assert said(back) == COPIED_SAID


@pytest.mark.slow
def test_render_summary_counts_the_lines_left_out(tmp_path: Path) -> None:
    r = run_cli("render", str(INPUTS / "interview.md"), "-o", str(tmp_path), env={"XDG_CACHE_HOME": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    assert "3 page-furniture lines left out" in r.stderr
    assert Path(r.stdout.strip().splitlines()[-1]) == tmp_path / "interview.mp3"


def test_page_without_article_markup_is_found_by_trafilatura() -> None:
    s = load_script(INPUTS / "page-without-article.html")
    assert [r for r, _ in said(s)] == [N, N, Q, A, A, Q, A, Q, A]
    assert s.title == "Жылқы өсірген жігіт – Ерболмен сұхбат" and s.date == date(2024, 3, 18)
    assert said(s)[2] == (Q, "Ербол, неге дәл жылқы?") and said(s)[-1] == (A, "Ауылдан қашпаңдар. Мұнда да табыс бар.")
    assert [(n, why) for n, why, _ in left_out(s)] == [
        (4, "navigation"), (9, "date and counters"), (10, "image and its alt text"), (10, "photo credit"),
        (18, "repeats the headline"), (22, "share buttons"), (24, "outside the article (page around it)"),
        (24, "outside the article (page around it)"), (26, "advertising"), (28, "copyright line")]


def test_date_from_json_ld_and_none_guessed() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2023-12-05T08:00:00"}'
          "</script>")
    body = "<h1>Қысқы балық аулау</h1><p>— Балық көп пе?</p><p>— Биыл 2023 жылы көп.</p>"
    assert parse_document(read_html(f"<html><head>{ld}</head><body>{body}</body></html>", "ld.html")).date \
        == date(2023, 12, 5)
    assert parse_document(read_html(body, "no-date.html")).date is None  # a year in the text is no date


def test_bold_dash_turns_are_questions_even_without_a_question_mark() -> None:
    # A question in two dash paragraphs: by '?' and alternation alone the second would be an answer.
    html = ("<h1>Тақырып</h1><p>Кіріспе.</p><p><b>— Өзіңіз туралы айтып берсеңіз.</b></p>"
            "<p><b>— Қай жерде туып-өстіңіз?</b></p><p>— Таразда туғанмын.</p>"
            "<p><b>— Мамандығыңыз қандай?</b></p><p>— Инженермін.</p>")
    s = parse_document(read_html(html, "bd.html"))
    assert [r for r, _ in said(s)] == [N, N, Q, Q, A, Q, A]
    plain = parse_document(read_html(html.replace("<b>", "").replace("</b>", ""), "plain.html"))
    assert [r for r, _ in said(plain)] == [N, N, A, Q, A, Q, A]  # what bold corrects


@pytest.mark.slow
def test_lead_styled_paragraph_is_the_lead_not_a_question() -> None:
    html = ("<article><h1>Тақырып</h1><p class='article-lead'><b>Ауылдағы жаңа мектеп қандай болмақ?</b></p>"
            "<p><b>Мектеп қашан ашылады?</b></p><p>Қыркүйекте.</p><p><b>Қанша бала оқиды?</b></p><p>Үш жүз.</p>"
            "</article>")
    s = parse_document(read_html(html, "lead.html"))
    assert said(s) == [(N, "Тақырып"), (N, "Ауылдағы жаңа мектеп қандай болмақ?"), (Q, "Мектеп қашан ашылады?"),
                       (A, "Қыркүйекте."), (Q, "Қанша бала оқиды?"), (A, "Үш жүз.")]
    assert s.lead == "Ауылдағы жаңа мектеп қандай болмақ?"


def test_html_pasted_into_a_txt_is_read_as_the_page_and_devices_are_refused(tmp_path: Path) -> None:
    pasted = tmp_path / "page.txt"
    pasted.write_text("<h1>Бақша – ауылдың байлығы</h1>\n<p>Маман Сәуле Нұрланқызы көктемгі егіс туралы айтты.</p>\n"
                      "<p><strong>Биыл көктем ерте келді ме?</strong></p>\n"
                      "<p>Иә, қар ерте еріді.</p>\n<p><strong>Жас фермерлерге не кеңес бересіз?</strong></p>\n"
                      "<p>Асықпаңыз.</p>\n", encoding="utf-8")
    s = load_script(pasted)
    assert s.title == "Бақша – ауылдың байлығы"
    assert all("<" not in seg.text for seg in s.segments)
    assert [seg.role for seg in s.segments] == ["narrator", "narrator", "interviewer", "interviewee", "interviewer",
                                               "interviewee"]  # the headline, the lead, then the turns
    with pytest.raises(AudiobookError, match="not a regular file"):
        load_script(Path("/dev/zero"))
