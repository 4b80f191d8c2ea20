"""A roster from a OneRoster 1.1 CSV export (users.csv, classes.csv, enrollments.csv,
optionally orgs.csv) with an accommodations CSV keyed by the user's sourcedId."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import Problem
from .roster import (
    MAX_LENGTHS,
    MAX_TEACHERS_TEXT,
    ClassSection,
    CsvFile,
    Roster,
    Row,
    Student,
    flag,
    read_csv,
    text_problem,
)


def _active(rows: list[Row]) -> Iterator[Row]:
    # Delta exports mark removed records; bulk exports leave status empty.
    return (r for r in rows if r.get("status").lower() != "tobedeleted")


def read_oneroster(folder: Path, shown_folder: str, accommodations_file: Path | None,
                   shown_accommodations: str, accommodations: Sequence[str],
                   problems: list[Problem]) -> Roster:
    """A roster from a OneRoster 1.1 CSV export plus an accommodations CSV.

    Students are users enrolled with role `student`; a class's teachers are its
    `teacher` enrollments (primary first). Students keep the order of
    enrollments.csv. The school is the class's org in orgs.csv, when present.
    """
    def shown(name: str) -> str:
        return f"{shown_folder.rstrip('/')}/{name}"

    files = [folder / n for n in ("users.csv", "classes.csv", "enrollments.csv")]
    read = [read_csv(p, shown(p.name), problems) for p in files]
    orgs_path = folder / "orgs.csv"
    orgs = read_csv(orgs_path, shown("orgs.csv"), problems) if orgs_path.is_file() else None
    acc = (read_csv(accommodations_file, shown_accommodations, problems)
           if accommodations_file is not None else None)
    used = [*files, *([orgs_path] if orgs else []),
            *([accommodations_file] if accommodations_file else [])]
    users_f, classes_f, enrol_f = read
    if users_f is None or classes_f is None or enrol_f is None:
        return Roster((), tuple(used))
    ucols = users_f.require(["sourcedId".lower(), ("givenname",), ("familyname",)], problems)
    ccols = classes_f.require(["sourcedid", "title"], problems)
    ecols = enrol_f.require(["classsourcedid", "usersourcedid", "role"], problems)
    ocols = orgs.require(["sourcedid", "name"], problems) if orgs else {}
    acols = (acc.require([("usersourcedid", "sourcedid"), *accommodations], problems,
                         "the accommodations file has a userSourcedId column and one column "
                         "per accommodation") if acc else {})
    if ucols is None or ccols is None or ecols is None or ocols is None or acols is None:
        return Roster((), tuple(used))

    users: dict[str, Row] = {}
    for r in _active(users_f.rows):
        _unique(users, r, r.get("sourcedid"), users_f, "user", problems)
    school_names: dict[str, str] = {}
    if orgs:
        for r in _active(orgs.rows):
            if r.get("sourcedid") not in school_names:
                school_names[r.get("sourcedid")] = r.text("name", "name", orgs, problems,
                                                          "school")
    people: dict[str, tuple[str, str]] = {}

    def person(uid: str) -> tuple[str, str]:
        """A user's printed name and id, each user's cells checked once."""
        if uid not in people:
            u = users[uid]
            given = u.text("givenname", "givenName", users_f, problems, "student_name")
            family = u.text("familyname", "familyName", users_f, problems, "student_name")
            name = " ".join(p for p in (given, family) if p)
            bad = text_problem("givenName familyName", name, MAX_LENGTHS["student_name"])
            if bad is not None:
                problems.append(Problem(users_f.at(u.line), *bad))
            sid = (u.text("identifier", "identifier", users_f, problems, "student_id")
                   or u.text("sourcedid", "sourcedId", users_f, problems, "student_id"))
            people[uid] = (name, sid)
        return people[uid]
    classes: dict[str, Row] = {}
    for r in _active(classes_f.rows):
        _unique(classes, r, r.get("sourcedid"), classes_f, "class", problems)
    needs: dict[str, frozenset[str]] = {}
    if acc:
        key_c = acols["usersourcedid"]
        seen: dict[str, int] = {}
        for r in acc.rows:
            uid = r.get(key_c)
            flags = frozenset(a for a in accommodations if flag(r, a, acc, problems))
            if not uid:
                problems.append(Problem(acc.at(r.line), f"{key_c} is empty",
                                        "name the student by the sourcedId in users.csv"))
            elif uid not in users:
                problems.append(Problem(acc.at(r.line), f"unknown student '{uid}'",
                                        f"no user with this sourcedId in {users_f.shown}"))
            elif uid in seen:
                problems.append(Problem(acc.at(r.line), f"duplicate student '{uid}' "
                                        f"(first on line {seen[uid]})", "remove one of the rows"))
            else:
                seen[uid] = r.line
                needs[uid] = flags

    students: dict[str, list[Student]] = {}
    teachers: dict[str, list[tuple[bool, str]]] = {}
    enrolled: dict[tuple[str, str], int] = {}
    for r in _active(enrol_f.rows):
        cid, uid, role = r.get("classsourcedid"), r.get("usersourcedid"), r.get("role").lower()
        if role not in ("student", "teacher"):
            continue
        where = enrol_f.at(r.line)
        bad = False
        if cid not in classes:
            problems.append(Problem(where, f"unknown class '{cid}'",
                                    f"no class with this sourcedId in {classes_f.shown}"))
            bad = True
        if uid not in users:
            problems.append(Problem(where, f"unknown user '{uid}'",
                                    f"no user with this sourcedId in {users_f.shown}"))
            bad = True
        if bad:
            continue
        if (cid, uid) in enrolled:
            problems.append(Problem(where, f"duplicate enrollment of '{uid}' in class '{cid}' "
                                    f"(first on line {enrolled[cid, uid]})",
                                    "remove one of the rows"))
            continue
        enrolled[cid, uid] = r.line
        name, sid = person(uid)
        if role == "teacher":
            teachers.setdefault(cid, []).append((r.get("primary").lower() != "true", name))
        else:
            students.setdefault(cid, []).append(
                Student(name, sid, needs.get(uid, frozenset()), where))
    out = []
    for cid, c in classes.items():
        if cid not in students:
            continue
        names = [n for _, n in sorted(teachers.get(cid, []), key=lambda t: t[0])]
        wrong = text_problem("sourcedId", cid, MAX_LENGTHS["sourcedId"])
        if wrong is not None:
            problems.append(Problem(classes_f.at(c.line), *wrong))
        title = c.text("title", "title", classes_f, problems, "class")
        out.append(ClassSection(
            id=cid, name=title or cid, code=c.text("classcode", "classCode", classes_f,
                                                   problems, "class_code"),
            teacher=_teachers(names),
            period=c.text("periods", "periods", classes_f, problems, "period"),
            school=school_names.get(c.get("schoolsourcedid"), ""),
            students=tuple(students[cid]), origin=classes_f.at(c.line)))
    return Roster(tuple(out), tuple(used))


def _teachers(names: Sequence[str]) -> str:
    """A class's teachers as the cover prints them: as many as fit, then how many more."""
    shown = " & ".join(names)
    for n in range(len(names) - 1, 0, -1):
        if len(shown) <= MAX_TEACHERS_TEXT:
            break
        shown = " & ".join(names[:n]) + f" and {len(names) - n} more"
    return shown


def _unique(into: dict[str, Row], row: Row, key: str, csvf: CsvFile, what: str,
            problems: list[Problem]) -> None:
    if not key:
        problems.append(Problem(csvf.at(row.line), "sourcedId is empty",
                                f"every {what} needs a sourcedId"))
    elif key in into:
        problems.append(Problem(csvf.at(row.line), f"duplicate {what} sourcedId '{key}' "
                                f"(first on line {into[key].line})", "remove one of the rows"))
    else:
        into[key] = row
