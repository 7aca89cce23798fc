"""A deterministic book of clients for benchmarks, as JSON Lines in the native client shape.

    .venv/bin/python -m bench.generate --clients 1000000 --out bench/data/1m.jsonl

The same --seed and --clients always give the same file. Each client has a realistic name,
1-3 addresses, 1-2 phone numbers, 1-2 email addresses, 0-3 notes and a few tags; about one in
five belongs to a company.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

import orjson

FIRST = (
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William "
    "Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa "
    "Daniel Nancy Matthew Betty Anthony Sandra Mark Ashley Donald Kimberly Steven Emily "
    "Andrew Donna Paul Michelle Joshua Carol Kenneth Amanda Kevin Melissa Brian Deborah "
    "Ned Moe Homer Marge Lisa Bart Seymour Edna Apu Barney Lenny Carl Waylon Monty"
).split()
LAST = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
    "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright "
    "Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell "
    "Mitchell Carter Roberts Flanders Szyslak Simpson Skinner Krabappel Gumble Burns"
).split()
COMPANY_WORDS = (
    "Acme Globex Initech Umbrella Stark Wayne Wonka Tyrell Cyberdyne Soylent "
    "Hooli Vandelay Kramerica Monarch Oscorp Gringotts Aperture Black Mesa"
).split()
STREETS = (
    "Main Oak Pine Maple Cedar Elm Washington Lake Hill Park Sunset Evergreen "
    "Springfield Lincoln Jefferson Madison"
).split()
CITIES = (
    ("Springfield", "OR", "97475"),
    ("Denver", "CO", "80202"),
    ("Austin", "TX", "78701"),
    ("Boston", "MA", "02108"),
    ("Seattle", "WA", "98101"),
    ("Miami", "FL", "33101"),
    ("Chicago", "IL", "60601"),
    ("Portland", "ME", "04101"),
    ("Jersey City", "NJ", "07307"),
)
TAGS = ("vip", "net-30", "prospect", "wholesale", "retail", "priority", "tax-exempt")
NOTES = (
    "Prefers email.",
    "Call before visiting.",
    "Pays on the 1st.",
    "Gate code 4321.",
    "Referred by a friend.",
    "Asked for a quote.",
)


def client(rng: random.Random, n: int) -> dict[str, Any]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    record: dict[str, Any] = {
        "name": f"{first} {last}",
        "kind": "person",
        "first_name": first,
        "last_name": last,
        "external_id": f"gen-{n}",
        "tags": sorted(rng.sample(TAGS, rng.randint(0, 3))),
        "addresses": [],
        "phone_numbers": [],
        "email_addresses": [],
        "notes": [],
    }
    if rng.random() < 0.2:
        record["company"] = f"{rng.choice(COMPANY_WORDS)} {rng.choice(('Inc', 'LLC', 'Co'))}"
    for i in range(rng.randint(1, 3)):
        city, region, postal = rng.choice(CITIES)
        record["addresses"].append(
            {
                "label": ("home", "work", "billing")[i],
                "line1": f"{rng.randint(1, 9999)} {rng.choice(STREETS)} St",
                "city": city,
                "region": region,
                "postal_code": postal,
                "country": "US",
                "is_primary": i == 0,
                "is_primary_billing": i == 0,
                "is_primary_shipping": i == 0,
            }
        )
    for i in range(rng.randint(1, 2)):
        record["phone_numbers"].append(
            {
                "label": ("cell", "work")[i],
                "country_code": "1",
                "number": f"{rng.randint(200, 999)}-555-{rng.randint(0, 9999):04d}",
                "is_primary": i == 0,
            }
        )
    for i in range(rng.randint(1, 2)):
        domain = ("example.com", "example.org", "mail.example.net")[i]
        record["email_addresses"].append(
            {
                "label": ("work", "home")[i],
                "address": f"{first}.{last}.{n}@{domain}".lower(),
                "is_primary": i == 0,
            }
        )
    for _ in range(rng.randint(0, 3)):
        record["notes"].append({"body": rng.choice(NOTES), "author": rng.choice(FIRST)})
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", help="default: standard output")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = Path(args.out).open("wb") if args.out else sys.stdout.buffer  # noqa: SIM115
    try:
        for n in range(args.clients):
            out.write(orjson.dumps(client(rng, n)))
            out.write(b"\n")
    finally:
        if args.out:
            out.close()


if __name__ == "__main__":
    main()
