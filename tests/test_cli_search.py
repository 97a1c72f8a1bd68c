"""``tracker search``: every word found in any of a record's texts (subject, venue, notes, the
reasons of its versions, tags, field, its people's names and aliases), in any case, inside
longer words (Hangul too), current versions unless ``--history``; its orders and formats; and
text that looks like LIKE or FTS syntax taken literally. Each engine answers from its own
index (SQLite FTS5 trigram tables, a PostgreSQL trigram GIN index)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from tests.helpers import log, scalar

SUBJECT_KO = "개성 연락사무소 철도 협의"


def found(cli, *args: str) -> list[tuple[str, list[str]]]:
    """``search ARGS`` as (reg_no, found_in) pairs, in the order printed."""
    result = cli("search", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [(r["reg_no"], r["found_in"]) for r in json.loads(result.stdout)]


def numbers(cli, *args: str) -> list[str]:
    return [reg_no for reg_no, _ in found(cli, *args)]


def versions(cli, *args: str) -> list[tuple[str, int, str]]:
    """``search ARGS`` as (reg_no, version, status) triples."""
    result = cli("search", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [(r["reg_no"], r["version"], r["status"]) for r in json.loads(result.stdout)]


@pytest.fixture
def logged(cli):
    """C-000286 (Latin, every text field), C-000287 (Hangul, with Jon Jong-su), M-000174."""
    assert log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-21",
               "--subject", "Zeppelin landing rights", "--venue", "Panmunjom hall",
               "--note", "quarantine of weather balloons", "--tag", "airspace",
               "--field", "humanitarian", "--with", "Chun Hae-sung") == "C-000286"
    assert log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-22",
               "--subject", SUBJECT_KO, "--with", "Jon Jong-su") == "C-000287"
    assert log(cli, "message", "log", "--sender", "S", "--recipient", "N", "--kind", "notice",
               "--on", "2018-12-23", "--subject", "Agenda for the zeppelin follow-up",
               "--note", "minutes attached") == "M-000174"
    return cli


# --- what is searched ----------------------------------------------------------------------

FOUND_ANYWHERE = {  # words -> (reg_no, found_in) of each record found, in order
    ("zeppelin",): [("M-000174", ["subject"]), ("C-000286", ["subject"])],
    ("ZEPPELIN",): [("M-000174", ["subject"]), ("C-000286", ["subject"])],  # any case
    ("eppel",): [("M-000174", ["subject"]), ("C-000286", ["subject"])],  # inside a word
    ("panmunjom",): [("C-000286", ["venue"])],
    ("QUARANTINE",): [("C-000286", ["notes"])],
    ("airspace",): [("C-000286", ["tags"])],
    ("AIRSP",): [("C-000286", ["tags"])],
    ("humanitarian",): [("C-000286", ["field"])],  # the field's code
    ("Hae-sung",): [("C-000286", ["with"])],  # part of a participant's name
    ("jong-su",): [("C-000287", ["with"])],
    ("minutes",): [("M-000174", ["notes"])],
    # every word is needed, each may be found in a different field
    ("zeppelin", "panmunjom"): [("C-000286", ["subject", "venue"])],
    ("zeppelin panmunjom",): [("C-000286", ["subject", "venue"])],
    ("zeppelin", "Chun"): [("C-000286", ["subject", "with"])],
    ("balloons", "airspace", "humanitarian"): [("C-000286", ["notes", "tags", "field"])],
    ("zeppelin", "nowhere-to-be-found"): [],
    ("zz",): [],
}


def test_search_finds_every_word_in_any_field(logged):
    assert {words: found(logged, *words) for words in FOUND_ANYWHERE} == FOUND_ANYWHERE


def test_a_field_is_found_by_its_name_as_well_as_its_code(cli):
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-21", "--subject",
        "Football match", "--field", "social-cultural")
    assert found(cli, "cultural") == [("C-000286", ["field"])]  # in code and name
    assert found(cli, "social", "and", "cultural") == [("C-000286", ["field"])]  # the name


def test_a_participant_is_found_by_an_alias_added_later(logged):
    assert found(logged, "전종수") == []
    assert log(logged, "person", "alias", "Jon Jong-su", "전종수").endswith("also '전종수'")
    assert found(logged, "전종수") == [("C-000287", ["with"])]
    assert found(logged, "종수") == [("C-000287", ["with"])]  # part of the alias


def test_the_reason_of_a_correction_is_searched(logged):
    assert found(logged, "ministry") == []
    assert log(logged, "correct", "C-000286", "--subject", "Airship landing rights",
               "--reason", "renamed at the ministry's request") == "C-000286: version 2"
    assert found(logged, "ministry") == [("C-000286", ["reason"])]
    assert found(logged, "airship", "MINISTRY") == [("C-000286", ["subject", "reason"])]


HANGUL_WORDS = [
    ("연락",),  # two characters, part of a word: answered by reading the register
    ("연락사무소",),  # three or more: answered from the index
    ("철도 협의",),
    ("철도", "협의"),
    ("개성", "사무"),
    ("협",),
    ("사무소 철",),
]


def test_hangul_is_found_inside_words(logged):
    expected = [("C-000287", ["subject"])]
    assert {words: found(logged, *words) for words in HANGUL_WORDS} == {
        words: expected for words in HANGUL_WORDS}
    table = logged("search", "연락")
    assert table.exit_code == 0, table.stderr
    assert re.split(r"\s{2,}", table.stdout.splitlines()[1]) == [
        "C-000287", "2018-12-22", "other", SUBJECT_KO, "subject"]


def test_hangul_words_are_all_required(logged):
    assert found(logged, "철도", "비행선") == []
    assert found(logged, "연락", "Jon") == [("C-000287", ["subject", "with"])]


ACCENTED = ["équipe", "ÉQUIPE", "Équipe", "éq", "ÉQ", "médicale", "MÉ",
            "σοφια", "σο", "ΣΟ"]  # noqa: RUF001 (Greek on purpose)


def test_any_case_also_for_short_words_outside_ascii(cli):
    """"in any case" holds for accented and Greek letters whatever the length of the word
    (one or two characters take another path than three or more)."""
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-21", "--subject",
        "Équipe médicale ΣΟΦΙΑ")
    assert {term: numbers(cli, term) for term in ACCENTED} == {
        term: ["C-000286"] for term in ACCENTED}


# --- current versions, history ----------------------------------------------------------

def test_only_current_versions_unless_history(logged):
    log(logged, "correct", "C-000286", "--subject", "Airship landing rights",
        "--reason", "renamed")
    assert numbers(logged, "landing") == ["C-000286"]
    assert numbers(logged, "zeppelin") == ["M-000174"]  # the old subject is gone
    assert versions(logged, "zeppelin", "--in", "contacts") == []
    assert versions(logged, "zeppelin", "--in", "contacts", "--history") == [
        ("C-000286", 1, "superseded")]
    assert versions(logged, "landing", "--history", "--sort", "reg_no") == [
        ("C-000286", 1, "superseded"), ("C-000286", 2, "current")]
    table = logged("search", "zeppelin", "--history", "--sort", "reg_no")
    assert table.exit_code == 0, table.stderr
    assert table.stdout.splitlines() == [
        "reg_no    version  status      date        kind    subject"
        "                            found_in",
        "C-000286        1  superseded  2018-12-21  other   Zeppelin landing rights"
        "            subject",
        "M-000174        1  current     2018-12-23  notice  Agenda for the zeppelin follow-up"
        "  subject",
    ]


def test_a_voided_record_is_found_only_in_history(logged):
    assert log(logged, "void", "M-000174", "--reason", "logged twice") == \
        "M-000174: void (version 2)"
    assert numbers(logged, "agenda") == []
    assert found(logged, "zeppelin") == [("C-000286", ["subject"])]
    assert versions(logged, "agenda", "--history") == [
        ("M-000174", 1, "superseded"), ("M-000174", 2, "void")]
    assert found(logged, "twice", "--history") == [("M-000174", ["reason"])]


def test_restore_brings_a_record_back(logged):
    log(logged, "void", "M-000174", "--reason", "logged twice")
    log(logged, "restore", "M-000174", "--reason", "it was not")
    assert versions(logged, "agenda") == [("M-000174", 3, "current")]


# --- registers, limit and order ---------------------------------------------------------

def test_in_one_register_and_limit(logged):
    assert numbers(logged, "zeppelin", "--in", "messages") == ["M-000174"]
    assert numbers(logged, "zeppelin", "--in", "contacts") == ["C-000286"]
    assert numbers(logged, "zeppelin", "--in", "all") == ["M-000174", "C-000286"]
    assert numbers(logged, "zeppelin", "--limit", "1") == ["M-000174"]
    assert numbers(logged, "zeppelin", "--limit", "1", "--reverse") == ["C-000286"]
    assert numbers(logged, "zeppelin", "-n", "5") == ["M-000174", "C-000286"]
    refused = logged("search", "zeppelin", "--limit", "0")
    assert refused.exit_code == 2 and refused.stderr.startswith("Error:"), refused.stderr


@pytest.fixture
def kestrels(cli):
    """Three records holding "kestrel": two in the subject, the newest only in its notes."""
    log(cli, "contact", "log", "--kind", "working-talks", "--on", "2018-12-21",
        "--subject", "Kestrel nesting sites")
    log(cli, "contact", "log", "--kind", "other", "--on", "2018-12-23",
        "--subject", "Border fauna", "--note", "a kestrel was seen")
    log(cli, "message", "log", "--sender", "N", "--recipient", "S", "--kind", "notice",
        "--on", "2018-12-22", "--subject", "Reply on kestrels")
    return cli


ORDERS = {
    # rank: the subject holds the word first (newest first among them), then the rest
    (): ["M-000174", "C-000286", "C-000287"],
    ("--sort", "rank"): ["M-000174", "C-000286", "C-000287"],
    ("--sort", "rank", "--reverse"): ["C-000287", "C-000286", "M-000174"],
    ("--sort", "date"): ["C-000287", "M-000174", "C-000286"],  # newest first
    ("--sort", "date", "--reverse"): ["C-000286", "M-000174", "C-000287"],
    ("--sort", "reg_no"): ["C-000286", "C-000287", "M-000174"],
    ("--sort", "reg_no", "-r"): ["M-000174", "C-000287", "C-000286"],
    ("--sort", "kind"): ["M-000174", "C-000287", "C-000286"],  # notice, other, working-talks
    ("--sort", "date", "--limit", "2"): ["C-000287", "M-000174"],
    ("--limit", "1"): ["M-000174"],
}


def test_search_orders(kestrels):
    assert {args: numbers(kestrels, "kestrel", *args) for args in ORDERS} == ORDERS


def test_rank_does_not_depend_on_the_case_of_the_subject(kestrels):
    assert numbers(kestrels, "KESTREL") == ["M-000174", "C-000286", "C-000287"]


# --- formats -----------------------------------------------------------------------------

def test_table(logged):
    result = logged("search", "zeppelin")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "reg_no    date        kind    subject                            found_in\n"
        "M-000174  2018-12-23  notice  Agenda for the zeppelin follow-up  subject\n"
        "C-000286  2018-12-21  other   Zeppelin landing rights            subject\n")
    nothing = logged("search", "nowhere-to-be-found")
    assert (nothing.exit_code, nothing.stdout, nothing.stderr) == (0, "(no rows)\n", "")


def test_table_says_where_in_several_fields(logged):
    result = logged("search", "zeppelin", "Chun")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1].endswith("  subject; with")


def test_csv(logged):
    from tracker.services.search import SEARCH_DATA_COLUMNS

    result = logged("search", "zeppelin", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == ",".join(SEARCH_DATA_COLUMNS)
    assert result.stdout == (
        "reg_no,version,status,date_from,date_to,time_of_day,kind,field,subject,venue,notes,"
        "reason,with,tags,found_in\n"
        "M-000174,1,current,2018-12-23,2018-12-23,,notice,unknown,"
        "Agenda for the zeppelin follow-up,,minutes attached,,[],[],\"[\"\"subject\"\"]\"\n"
        "C-000286,1,current,2018-12-21,2018-12-21,,other,humanitarian,Zeppelin landing rights,"
        "Panmunjom hall,quarantine of weather balloons,,\"[\"\"Chun Hae-sung\"\"]\","
        "\"[\"\"airspace\"\"]\",\"[\"\"subject\"\"]\"\n")
    contact = list(csv.DictReader(io.StringIO(result.stdout)))[1]
    assert [json.loads(contact[c]) for c in ("with", "tags", "found_in")] == [
        ["Chun Hae-sung"], ["airspace"], ["subject"]]


def test_csv_holds_hangul_and_several_places(logged):
    log(logged, "person", "alias", "Jon Jong-su", "전종수")
    result = logged("search", "철도", "전종수", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (row["reg_no"], row["subject"], json.loads(row["with"]),
            json.loads(row["found_in"])) == (
        "C-000287", SUBJECT_KO, ["Jon Jong-su"], ["subject", "with"])


def test_json(logged):
    result = logged("search", "zeppelin", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"reg_no": "M-000174", "version": 1, "status": "current", "date_from": "2018-12-23",
         "date_to": "2018-12-23", "time_of_day": None, "kind": "notice", "field": "unknown",
         "subject": "Agenda for the zeppelin follow-up", "venue": None,
         "notes": "minutes attached", "reason": None, "with": [], "tags": [],
         "found_in": ["subject"]},
        {"reg_no": "C-000286", "version": 1, "status": "current", "date_from": "2018-12-21",
         "date_to": "2018-12-21", "time_of_day": None, "kind": "other",
         "field": "humanitarian", "subject": "Zeppelin landing rights",
         "venue": "Panmunjom hall", "notes": "quarantine of weather balloons", "reason": None,
         "with": ["Chun Hae-sung"], "tags": ["airspace"], "found_in": ["subject"]},
    ]
    assert result.stdout.startswith('[\n  {\n    "reg_no": "M-000174",\n')
    empty = logged("search", "nowhere-to-be-found", "--format", "json")
    assert empty.stdout == "[]\n"


def test_grep_on_the_lists_applies_the_same_test(logged):
    listed = json.loads(log(logged, "contact", "list", "--grep", "zeppelin Panmunjom",
                            "--format", "json"))
    assert [r["reg_no"] for r in listed] == ["C-000286"]
    listed = json.loads(log(logged, "message", "list", "-g", "ZEPPELIN", "--format", "json"))
    assert [r["reg_no"] for r in listed] == ["M-000174"]
    listed = json.loads(log(logged, "contact", "list", "--grep", "전종수 철도",
                            "--format", "json"))
    assert listed == []
    log(logged, "person", "alias", "Jon Jong-su", "전종수")
    listed = json.loads(log(logged, "contact", "list", "--grep", "전종수 철도",
                            "--format", "json"))
    assert [r["reg_no"] for r in listed] == ["C-000287"]


# --- refusals and literal text --------------------------------------------------------------

@pytest.mark.parametrize("args", [[" "], ["", "  "], ["\t"]])
def test_empty_text_is_refused(logged, args):
    result = logged("search", *args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [result.stderr.strip()], result.stderr
    assert result.stderr.startswith("Error: TEXT…:"), result.stderr


def test_no_text_at_all_is_a_usage_error(logged):
    result = logged("search")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: Missing argument 'TEXT…'"), result.stderr


def test_grep_with_empty_text_is_refused_naming_grep(logged):
    result = logged("contact", "list", "--grep", " ")
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("Error: --grep:"), result.stderr


@pytest.fixture
def literal(cli):
    subjects = ["Delivery of 1000 tonnes", "axb protocol", 'Statement "quoted" in full',
                "quoted without marks", "Urgent! reply", "re-entry permits",
                "Meeting NEAR the border", "100% of the families"]
    for day, subject in enumerate(subjects, start=10):
        log(cli, "contact", "log", "--kind", "other", "--on", f"2018-12-{day}",
            "--subject", subject)
    return cli  # C-000286 … C-000293, in that order


LITERALLY = {  # words -> the records found, newest registration first
    ("100%",): ["C-000293"],  # not "1000"
    ("0%",): ["C-000293"],
    ("%",): ["C-000293"],
    ("a_b",): [],  # not "axb"
    ("_b",): [],
    ("_",): [],
    ("axb",): ["C-000287"],
    ("!",): ["C-000290"],  # the escape character of the LIKE patterns
    ("t!",): ["C-000290"],
    ("nt!",): ["C-000290"],
    ('"quoted"',): ["C-000288"],
    ('"quoted',): ["C-000288"],
    ('"q',): ["C-000288"],
    ("quoted",): ["C-000289", "C-000288"],
    ("tonn*",): [],
    ("*",): [],
    ("NEAR(1000",): [],
    ("NEAR",): ["C-000292"],
    ("1000", "OR", "axb"): [],
    ("1000", "AND", "tonnes"): [],  # no "and" in that subject
    ("subject:1000",): [],
    ("-entry",): ["C-000291"],
    ("-tonnes",): [],
    ("^Delivery",): [],
    ("(quoted)",): [],
    ("1000",): ["C-000286"],
    ("00",): ["C-000293", "C-000286"],
}


def test_search_text_is_taken_literally(literal):
    def reg_nos(words: tuple[str, ...]) -> list[str] | str:
        result = literal("search", "--sort", "reg_no", "--reverse", "--format", "json", "--",
                         *words)
        if result.exit_code != 0:
            return f"exit {result.exit_code}: {result.stderr}"
        return [r["reg_no"] for r in json.loads(result.stdout)]

    assert {words: reg_nos(words) for words in LITERALLY} == LITERALLY


# --- the indexes ---------------------------------------------------------------------------

@pytest.mark.parametrize("engine_name", ["sqlite"])  # the FTS5 tables are SQLite's
def test_sqlite_search_table_holds_one_row_per_version(logged):
    log(logged, "correct", "C-000286", "--subject", "Airship landing rights", "--reason", "r")
    log(logged, "void", "M-000174", "--reason", "logged twice")
    log(logged, "correct", "C-000287", "--venue", "Kaesong", "--reason", "venue known")
    for register in ("contact_version", "message_version"):
        versions_ = scalar(logged.url, f"SELECT count(*) FROM {register}")
        indexed = scalar(logged.url, f"SELECT count(*) FROM fts_{register}_docsize")
        assert indexed == versions_, register
        # the FTS index agrees with its content table (raises if not)
        execute(logged.url, f"INSERT INTO fts_{register}(fts_{register}, rank) "
                            "VALUES ('integrity-check', 1)")
    assert scalar(logged.url, "SELECT count(*) FROM contact_version") == 285 + 2 + 2
    assert found(logged, "Kaesong", "철도") == [("C-000287", ["subject", "venue"])]


def execute(url: str, sql: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def _plan(url: str, register_code: str, words: str) -> str:
    """EXPLAIN of the condition ``search`` builds, with sequential and plain index scans
    discouraged: on a table this small the planner would rather read all of it in primary
    key order, which says nothing about whether the text index can serve the condition."""
    from sqlalchemy import select

    from tracker.db.session import Database
    from tracker.services.records.registers import REGISTERS
    from tracker.services.search import matching

    db = Database(url)
    try:
        with db.read() as session:
            register = REGISTERS[register_code]
            match = matching(session, register, words)
            compiled = select(register.version.id).where(match.condition).compile(
                dialect=session.get_bind().dialect)
            connection = session.connection()
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
                connection.exec_driver_sql("SET LOCAL enable_indexscan = off")
                sql = "EXPLAIN " + str(compiled)
            else:
                sql = "EXPLAIN QUERY PLAN " + str(compiled)
            params = compiled.params if connection.dialect.name == "postgresql" else tuple(
                compiled.params[name] for name in compiled.positiontup or ())
            rows = connection.exec_driver_sql(sql, params).all()
            return "\n".join(" ".join(str(c) for c in row) for row in rows)
    finally:
        db.engine.dispose()


@pytest.mark.parametrize("register_code, index", [("C", "contact_version"),
                                                  ("M", "message_version")])
def test_search_reads_the_engines_text_index(logged, engine_name, register_code, index):
    if engine_name == "postgresql":
        names = scalar(logged.url, "SELECT string_agg(indexname, ',' ORDER BY indexname) "
                                   f"FROM pg_indexes WHERE tablename = '{index}'")
        assert f"ix_{index}_text" in names.split(",")
        definition = scalar(logged.url, "SELECT indexdef FROM pg_indexes "
                                        f"WHERE indexname = 'ix_{index}_text'")
        assert "gin_trgm_ops" in definition
        assert f"ix_{index}_text" in _plan(logged.url, register_code, "zeppelin")
    else:
        plan = _plan(logged.url, register_code, "zeppelin")
        assert f"fts_{index}" in plan and "VIRTUAL TABLE" in plan, plan


def test_a_pasted_paragraph_is_not_a_search(cli):
    words = [f"w{i}" for i in range(17)]
    result = cli("search", *words)
    assert result.exit_code == 2
    assert result.stderr == "Error: TEXT…: 17 different words; give at most 16\n"
    assert cli("search", *(["Rail", "rail", "RAIL"] * 10)).exit_code == 0  # one word, once
