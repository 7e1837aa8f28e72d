"""E-mail analysis against a legislature's directory: 15,000 people beside an empty directory.

    .venv/bin/python benchmarks/email_directory.py [--people 15000] [--messages 300]
                                                   [--data ../shared/data/phishing]
                                                   [--no-database | --database-url URL]

Prints one JSON object. The directory is generated (seeded, repeatable): first names and
surnames of the UK's main communities, one or two addresses each. The messages are the first
`--messages` files of the shared phishing benchmark (phish and ham, read as bytes, never
opened) plus one impersonation of a directory person per ten of them.

* `analyser`: `analyse(raw, context)` alone per message, with the empty and the full directory
  (target: p95 under 100 ms with 15,000 people);
* `database` (unless `--no-database`; a temporary SQLite file, or `--database-url` naming an
  empty database, e.g. postgres://postgres@127.0.0.1:5432/portcullis_bench): the same people as
  rows, the time to build the directory once per process, the per-report check that it is
  unchanged, and `analysis_context()` plus `analyse` per message.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from portcullis.phishing.analysis import (  # noqa: E402
    AnalysisContext,
    Directory,
    DirectoryPerson,
    analyse,
)

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "phishing"
DOMAIN = "parliament.uk"

FIRST = """James Oliver Jack Harry George Noah Charlie Jacob Alfie Freddie Oscar Leo Logan Archie
Theo Thomas Joshua William Henry Max Ethan Isaac Lucas Mason Edward Samuel Daniel Adam Alexander
Joseph Benjamin Sebastian Arthur Dylan Liam Owen Ryan Luke Callum Connor Rhys Gareth Dafydd Iain
Hamish Seamus Ciaran Declan Patrick Sean Kieran Mohammed Muhammad Ahmed Ali Omar Yusuf Ibrahim
Hassan Bilal Imran Tariq Rahul Arjun Vikram Sanjay Rohan Amit Deepak Ravi Anil Wei Jun Hao Ming
Chen Kwame Kofi Chidi Emeka Tunde Olu Dariusz Piotr Tomasz Marek Andrzej Olivia Amelia Isla Ava
Emily Sophia Grace Lily Freya Mia Ella Charlotte Evie Isabella Poppy Jessica Sophie Ruby Daisy
Alice Florence Chloe Hannah Sarah Rebecca Rachel Laura Emma Katherine Catherine Eleanor Elizabeth
Victoria Lucy Megan Bethan Cerys Siobhan Niamh Aoife Fiona Morag Eilidh Fatima Aisha Zainab Maryam
Ayesha Noor Priya Anjali Sunita Kavita Deepa Meera Neha Pooja Mei Li Xin Ying Hui Ngozi Amara Chioma
Adaeza Folake Agnieszka Katarzyna Magdalena Joanna Ewa Zoe Helen Margaret Susan Janet Patricia"""
LAST = """Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner
Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips
Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey
Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh
Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews
Owen Palmer
Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey
Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders
Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball
Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson
Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone
Reid Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner
Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross
Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis
Hopkins O'Connor Harper Coleman Watkins Moss McCarthy Chambers O'Neill Griffin Sharp Hardy Wheeler
Potter Osborne Johnston Gordon Doyle Wallace George Jordan Hutchinson Rowe Burke May Pritchard
Gilbert Willis Higgins Read Miles Stevenson Stephenson Hammond Arnold Buckley Walters Hewitt Barber
Nelson Slater Austin Sullivan Whitehead Mann Frost Lambert Stephens Blake Akhtar Lynch Goodwin
Barton Woodward Thomson Cunningham Quinn Barnett Baxter Bibi Clayton Nash Greenwood Jennings
Holt Kemp Poole Gallagher Bond Stokes Tucker Davidson Fowler Heath Norman Middleton Lawson Banks
French Stanley Jarvis Gibbs Ferguson Hayward Carroll Douglas Hicks Iqbal Wong Chen Zhang Wang Liu
Nowak Kowalski Wisniewski Okafor Okonkwo Adeyemi Mensah Boateng Asante Begum Chowdhury Rahman
Mahmood Qureshi Malik Sharma Gupta Mehta Joshi Nair Pillai Reddy Rao Das Bose Mukherjee Banerjee"""


def make_people(count: int, seed: int = 15000) -> list[DirectoryPerson]:
    rng = random.Random(seed)
    first, last = FIRST.split(), LAST.split()
    people = []
    for n in range(count):
        name = f"{rng.choice(first)} {rng.choice(last)}"
        if rng.random() < 0.08:
            name = f"{name}-{rng.choice(last)}"
        local = ".".join(name.lower().replace("'", "").split())
        emails = [f"{local}.{n}@{DOMAIN}"]
        if rng.random() < 0.3:
            emails.append(f"{local}{n}@gmail.com")
        people.append(DirectoryPerson(name, tuple(emails)))
    return people


def impersonation(person: DirectoryPerson, n: int) -> bytes:
    local = ".".join(person.name.lower().replace("'", "").split())
    return (
        f'From: "{person.name}" <{local}.private{n}@gmail.com>\r\n'
        f"To: someone@{DOMAIN}\r\nSubject: Quick favour\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Are you at your desk? I need you to buy some gift cards for a meeting today.\r\n"
    ).encode()


def load_messages(data: Path, count: int, people: list[DirectoryPerson]) -> list[bytes]:
    with open(data / "manifest.csv", newline="") as handle:
        files = sorted(row["file"] for row in csv.DictReader(handle))
    # Phish and ham interleaved, so a short run still sees both.
    phish = [f for f in files if f.startswith("phishing/phish/")]
    ham = [f for f in files if f.startswith("phishing/ham/")]
    chosen = [f for pair in zip(phish, ham, strict=False) for f in pair][:count]
    raws = [(data / Path(f).relative_to("phishing")).read_bytes() for f in chosen]
    rng = random.Random(7)
    raws += [impersonation(rng.choice(people), n) for n in range(max(1, count // 10))]
    return raws


def timed(run: Callable[[bytes], Any], raws: list[bytes]) -> tuple[dict[str, float], list[Any]]:
    times, results = [], []
    for raw in raws:
        start = time.perf_counter()
        results.append(run(raw))
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    summary = {
        "messages": len(times),
        "mean_ms": round(statistics.fmean(times), 2),
        "p50_ms": round(times[len(times) // 2], 2),
        "p95_ms": round(times[int(len(times) * 0.95)], 2),
        "max_ms": round(times[-1], 2),
    }
    return summary, results


def impersonations(results: list[Any]) -> int:
    return sum("sender.impersonates_person" in r.codes() for r in results)


def analyser_only(people: list[DirectoryPerson], raws: list[bytes]) -> dict[str, Any]:
    start = time.perf_counter()
    full = Directory(people)
    build_ms = (time.perf_counter() - start) * 1000
    empty_ctx = AnalysisContext(directory=Directory(), protected_domains=(DOMAIN,))
    full_ctx = AnalysisContext(directory=full, protected_domains=(DOMAIN,))
    analyse(raws[0], full_ctx)  # warm caches the same way for both runs
    empty, _ = timed(lambda raw: analyse(raw, empty_ctx), raws)
    with_people, results = timed(lambda raw: analyse(raw, full_ctx), raws)
    return {
        "directory_build_ms": round(build_ms, 1),
        "empty_directory": empty,
        f"directory_of_{len(people)}": with_people,
        "impersonations_found": impersonations(results),
        "extra_p95_ms": round(with_people["p95_ms"] - empty["p95_ms"], 2),
    }


def with_database(
    people: list[DirectoryPerson], raws: list[bytes], url: str | None
) -> dict[str, Any]:
    workdir = tempfile.mkdtemp(prefix="portcullis-bench-")
    os.environ["DATABASE_URL"] = url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portcullis.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from portcullis.accounts.models import Person, PersonEmail
    from portcullis.phishing import context

    call_command("migrate", verbosity=0)
    if Person.objects.exists():
        sys.exit("The benchmark's database must have an empty directory.")
    rows = Person.objects.bulk_create(Person(full_name=p.name) for p in people)
    PersonEmail.objects.bulk_create(
        PersonEmail(person=row, address=address, is_primary=not n)
        for row, person in zip(rows, people, strict=True)
        for n, address in enumerate(person.emails)
    )
    start = time.perf_counter()
    context.directory()
    build_ms = (time.perf_counter() - start) * 1000
    check, _ = timed(lambda _raw: context.directory(), raws[:50])
    per_report, results = timed(lambda raw: analyse(raw, context.analysis_context()), raws)
    return {
        "engine": django.db.connection.vendor,
        "people": Person.objects.count(),
        "directory_build_once_ms": round(build_ms, 1),
        "unchanged_check": check,
        "context_and_analyse": per_report,
        "impersonations_found": impersonations(results),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=15_000)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-database", action="store_true")
    parser.add_argument("--database-url", help="an empty database (default: temporary SQLite)")
    args = parser.parse_args()
    people = make_people(args.people)
    raws = load_messages(args.data, args.messages, people)
    report: dict[str, Any] = {
        "people": len(people),
        "analyser": analyser_only(people, raws),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpu_count": os.cpu_count(),
    }
    if not args.no_database:
        report["database"] = with_database(people, raws, args.database_url)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
