"""History benchmark: the encrypted store against the same store on a plain SQLite file.

Run with ``.venv/bin/python tests/bench/bench_history.py [--messages 1000000]``.

Generates conversations and messages of realistic lengths from a deterministic, Zipf-weighted
clinical-ish vocabulary (questions of about 25 words, answers of about 120), writes the same
data into two files with the same schema (the real migrations, FTS5 triggers included):

- ENCRYPTED: ``open_encrypted`` (SQLCipher, raw 256-bit key),
- PLAIN: the same SQLCipher library opened without a key, i.e. plain SQLite of the same
  version and build (Python's own ``sqlite3`` is older here and lacks FTS5 'secure-delete').

Both are then used through the real ``EncryptedStore`` code and measured side by side:

- open + list: open a new connection, construct the store (pragmas, migration check,
  crash recovery), list all conversations; median of several opens (the OS file cache is
  warm, SQLite's page cache is not: "cold-ish").
- search: ``store.search`` (bm25-ranked, snippets, 50 hits) over 200 user-like queries
  (one or two clinical words, or a 4-letter prefix); p95.

Targets are printed as PASS/MISS; the script always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlcipher3

from clinichat.history.database import open_encrypted
from clinichat.history.sqlcipher_store import EncryptedStore

SEED = 20240611


def _words(text: str) -> list[str]:
    return text.split()


FUNCTION_WORDS = _words(
    "the of and a to in is for with on that this be as at by or are from it an was not if "
    "should can may patient patients which have has than more when after before no but also "
    "their there been per day daily dose over under within between during most other any all "
    "some each such these those into about"
)

CLINICAL_WORDS = _words(
    "fever cough dyspnoea chest pain headache nausea vomiting diarrhoea abdominal rash fatigue "
    "dizziness syncope palpitations oedema wheeze haemoptysis dysuria haematuria confusion "
    "seizure weakness numbness tremor insomnia anxiety depression delirium hypertension "
    "hypotension tachycardia bradycardia arrhythmia fibrillation infarction angina failure "
    "cardiomyopathy stenosis regurgitation embolism thrombosis stroke diabetes hypoglycaemia "
    "hyperglycaemia ketoacidosis thyroid hypothyroidism hyperthyroidism adrenal cortisol "
    "insulin metformin gliclazide sitagliptin empagliflozin asthma copd pneumonia bronchiolitis "
    "bronchitis tuberculosis influenza covid sepsis meningitis cellulitis abscess osteomyelitis "
    "pyelonephritis cystitis urosepsis appendicitis cholecystitis pancreatitis hepatitis "
    "cirrhosis gastritis ulcer reflux colitis crohn coeliac constipation haemorrhoids anaemia "
    "ferritin haemoglobin platelets neutropenia leukocytosis lymphoma leukaemia myeloma "
    "carcinoma metastasis chemotherapy radiotherapy immunotherapy palliative analgesia "
    "paracetamol ibuprofen naproxen codeine morphine oxycodone tramadol gabapentin pregabalin "
    "amitriptyline sertraline fluoxetine citalopram mirtazapine venlafaxine quetiapine "
    "olanzapine risperidone haloperidol lorazepam diazepam midazolam zopiclone melatonin "
    "amoxicillin clarithromycin doxycycline flucloxacillin nitrofurantoin trimethoprim "
    "ciprofloxacin ceftriaxone gentamicin vancomycin metronidazole aciclovir oseltamivir "
    "fluconazole warfarin apixaban rivaroxaban dabigatran heparin enoxaparin aspirin "
    "clopidogrel ticagrelor atorvastatin simvastatin ramipril lisinopril losartan candesartan "
    "amlodipine bisoprolol atenolol furosemide bumetanide spironolactone digoxin amiodarone "
    "salbutamol ipratropium tiotropium budesonide prednisolone hydrocortisone dexamethasone "
    "levothyroxine carbimazole omeprazole lansoprazole ranitidine ondansetron metoclopramide "
    "loperamide lactulose senna allopurinol colchicine methotrexate hydroxychloroquine "
    "potassium sodium calcium magnesium phosphate creatinine urea egfr troponin bnp crp "
    "procalcitonin lactate glucose hba1c cholesterol triglycerides bilirubin albumin alt ast "
    "inr aptt fibrinogen ddimer ecg echocardiogram xray ultrasound mri biopsy culture "
    "sensitivity spirometry endoscopy colonoscopy renal hepatic cardiac pulmonary neurological "
    "paediatric geriatric pregnancy breastfeeding neonatal allergy anaphylaxis contraindication "
    "interaction monitoring titrate taper discontinue initiate review referral admission "
    "discharge follow guideline evidence risk benefit dosage intravenous oral subcutaneous "
    "intramuscular infusion bolus loading maintenance weight kilogram milligram microgram "
    "hourly twice thrice weekly renal impairment elderly frailty falls dementia capacity "
    "consent"
)

SYLLABLES = _words("ra ne to li mo da ze vi ka su pe lo mi xa te ri no fa gu be zo ci")
ENDINGS = _words("mab nib pril sartan olol azole cillin mycin statin pine tide vir zumab")


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Words and cumulative Zipf weights: function words most frequent, then clinical terms."""
    invented = {
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))) + rng.choice(ENDINGS)
        for _ in range(3000)
    }
    content = CLINICAL_WORDS + sorted(invented)
    rng.shuffle(content)
    words = FUNCTION_WORDS + content
    cumulative: list[float] = []
    total = 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank
        cumulative.append(total)
    return words, cumulative


class Corpus:
    def __init__(self, conversations: int, messages: int) -> None:
        self.rng = random.Random(SEED)
        self.words, self.cumulative = vocabulary(self.rng)
        self.conversations = conversations
        self.messages = messages

    def _text(self, mean_words: float) -> str:
        count = max(3, int(self.rng.lognormvariate(0, 0.6) * mean_words * 0.85))
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=count)
        sentences: list[str] = []
        while words:
            size = self.rng.randint(6, 18)
            chunk, words = words[:size], words[size:]
            sentences.append(" ".join(chunk).capitalize() + ".")
        return " ".join(sentences)

    def conversation_rows(self, start: float) -> Iterator[tuple[object, ...]]:
        for index in range(self.conversations):
            title = self._text(5).rstrip(".")[:48]
            when = start + index * 600.0
            yield (index + 1, title, "", "model", int(index % 97 == 0), when, when + 300.0)

    def message_rows(self, start: float) -> Iterator[tuple[object, ...]]:
        for index in range(self.messages):
            conversation = index * self.conversations // self.messages + 1
            user = index % 2 == 0
            text = self._text(25 if user else 120)
            yield (
                index + 1,
                conversation,
                "user" if user else "assistant",
                text,
                "complete",
                None if user else "model",
                None if user else len(text) // 4,
                None if user else 0.3,
                None if user else 40.0,
                start + index,
            )

    def queries(self, count: int) -> list[str]:
        rng = random.Random(SEED + 1)
        queries = []
        for _ in range(count):
            kind = rng.random()
            if kind < 0.6:
                queries.append(rng.choice(CLINICAL_WORDS))
            elif kind < 0.9:
                queries.append(f"{rng.choice(CLINICAL_WORDS)} {rng.choice(CLINICAL_WORDS)}")
            else:
                queries.append(rng.choice([w for w in CLINICAL_WORDS if len(w) > 5])[:4])
        return queries


Opener = Callable[[], Any]


def fill(opener: Opener, corpus: Corpus) -> float:
    """Create the schema through the store, bulk-insert the corpus; return seconds taken."""
    began = time.perf_counter()
    store = EncryptedStore(opener())
    db = store._db
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO conversations (id, title, system_prompt, model, pinned, created, updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        corpus.conversation_rows(1.7e9),
    )
    db.executemany(
        "INSERT INTO messages (id, conversation_id, role, text, status, model, tokens,"
        " time_to_first_token, tokens_per_second, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        corpus.message_rows(1.7e9),
    )
    db.execute("COMMIT")
    store.close()
    return time.perf_counter() - began


def open_and_list(opener: Opener, runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        store = EncryptedStore(opener())
        listed = store.conversations()
        times.append(time.perf_counter() - began)
        store.close()
        assert listed
    return statistics.median(times)


def search_p95(opener: Opener, queries: list[str]) -> tuple[float, float, int]:
    store = EncryptedStore(opener())
    try:
        for query in queries[:10]:  # warm-up
            store.search(query)
        times = []
        hits = 0
        for query in queries:
            began = time.perf_counter()
            found = store.search(query)
            times.append(time.perf_counter() - began)
            hits += len(found)
        p95 = statistics.quantiles(times, n=20)[-1]
        return p95, statistics.median(times), hits
    finally:
        store.close()


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--conversations", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--opens", type=int, default=15)
    parser.add_argument("--folder", type=Path, help="keep the files here (default: temporary)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="clinichat-bench-") as temporary:
        folder = args.folder or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        key = (
            bytes.fromhex(os.environ["BENCH_KEY"]) if "BENCH_KEY" in os.environ else os.urandom(32)
        )
        encrypted_path = folder / "encrypted.db"
        plain_path = folder / "plain.db"
        for path in (encrypted_path, plain_path):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

        def encrypted() -> Any:
            return open_encrypted(encrypted_path, key)

        def plain() -> Any:
            return sqlcipher3.connect(str(plain_path))  # no key: plain SQLite, same build

        print(
            f"{args.conversations:,} conversations, {args.messages:,} messages,"
            f" {args.queries} queries; SQLCipher "
            + str(sqlcipher3.connect(":memory:").execute("PRAGMA cipher_version").fetchone()[0])
        )
        fill_times = {}
        for name, opener in (("encrypted", encrypted), ("plain", plain)):
            corpus = Corpus(args.conversations, args.messages)  # same seed: same data
            fill_times[name] = fill(opener, corpus)
        queries = Corpus(args.conversations, 0).queries(args.queries)
        sizes = {
            "encrypted": encrypted_path.stat().st_size,
            "plain": plain_path.stat().st_size,
        }
        print(
            f"fill: encrypted {fill_times['encrypted']:.1f} s, plain {fill_times['plain']:.1f} s;"
            f" size: encrypted {sizes['encrypted'] / 1e6:.0f} MB,"
            f" plain {sizes['plain'] / 1e6:.0f} MB"
        )

        # Interleave the two sides so machine noise hits both alike.
        opens = {"encrypted": [], "plain": []}  # type: dict[str, list[float]]
        searches = {"encrypted": [], "plain": []}  # type: dict[str, list[float]]
        medians = {"encrypted": [], "plain": []}  # type: dict[str, list[float]]
        for _ in range(3):
            for name, opener in (("encrypted", encrypted), ("plain", plain)):
                opens[name].append(open_and_list(opener, args.opens))
                p95, median, hits = search_p95(opener, queries)
                searches[name].append(p95)
                medians[name].append(median)
        open_e, open_p = (min(opens[n]) * 1e3 for n in ("encrypted", "plain"))
        search_e, search_p = (min(searches[n]) * 1e3 for n in ("encrypted", "plain"))
        median_e, median_p = (min(medians[n]) * 1e3 for n in ("encrypted", "plain"))

        search_target = 25.0 if args.messages >= 1_000_000 else 10.0
        print(f"{'':24}{'encrypted':>12}{'plain':>12}{'ratio':>8}")
        print(
            f"{'open + list (median)':24}{open_e:>10.2f}ms{open_p:>10.2f}ms{open_e / open_p:>8.2f}"
        )
        print(f"{'search p95':24}{search_e:>10.2f}ms{search_p:>10.2f}ms{search_e / search_p:>8.2f}")
        print(
            f"{'search median':24}{median_e:>10.2f}ms{median_p:>10.2f}ms{median_e / median_p:>8.2f}"
        )
        print(
            f"(best of 3 interleaved rounds; {hits:,} hits over {len(queries)} queries;"
            f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
        )
        print(f"{verdict(search_e <= search_target)} search p95 <= {search_target:g} ms")
        print(f"{verdict(open_e <= 50.0)} open + list <= 50 ms")
        print(f"{verdict(search_e / search_p <= 1.8)} search encrypted/plain <= 1.8")
        print(f"{verdict(open_e / open_p <= 1.8)} open + list encrypted/plain <= 1.8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
