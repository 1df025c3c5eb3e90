# NCB Gateway: `make demo` and `make test` work on a fresh machine with Python 3.11 and apt.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= ncb-demo.sqlite3

.PHONY: demo test install lint load bench bench-access bench-access-timing bench-matching bench-federation bench-federation-catchup bench-identities bench-sar-pack bench-release-panel postgres-bin chromium-bin clean i18n

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,postgres]'
	touch $(STAMP)

install: $(STAMP)

# Debian's PostgreSQL server binaries: the test suite starts a throwaway cluster from them.
postgres-bin:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null)

# Debian's chromium: the browser tests drive it through Playwright; a CJK font so Chinese,
# Japanese and Korean names render as glyphs, not boxes, in its screenshots.
chromium-bin:
	@(test -x /usr/bin/chromium && test -d /usr/share/fonts/opentype/noto) || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

demo: install
	NCB_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/ncb demo --reset
	NCB_DATABASE_URL=sqlite:///$(DEMO_DB) NCB_DEMO_MODE=true $(BIN)/ncb serve --host 127.0.0.1 --port 8000

test: install postgres-bin chromium-bin
	$(BIN)/ruff check ncb tests bench
	$(BIN)/mypy ncb
	$(BIN)/python -m pytest -n 2 --dist loadfile tests

lint: install
	$(BIN)/ruff check ncb tests bench
	$(BIN)/mypy ncb

bench: install
	$(BIN)/python -m bench.gateway

bench-access: install
	$(BIN)/python -m bench.access_children

# Hidden vs missing: the time of a refusal must not tell them apart (docs/benchmarks.md).
bench-access-timing: install
	$(BIN)/python -m bench.access_timing

# Bounded load test of `ncb serve` from a separate process on loopback (peak-hour rates).
load: install
	$(BIN)/python -m bench.load

bench-identities: install
	$(BIN)/python -m bench.identities

bench-sar-pack: install
	$(BIN)/python -m bench.sar_pack

# The EAW release panel on every queue page, against the desk queue query (docs/benchmarks.md).
bench-release-panel: install
	$(BIN)/python -m bench.release_panel --record

bench-data-protection: install
	$(BIN)/python -m bench.data_protection

bench-federation: install
	$(BIN)/python -m bench.federation

# Two nodes on loopback, 10,000 queued envelopes, one sync (several minutes on a loaded machine).
bench-federation-catchup: install
	$(BIN)/python -m bench.federation_catchup --n 10000

bench-matching: install
	$(BIN)/python -m bench.matching --record

# Cross-script names per script beside the consonant-class baseline, rapidfuzz and logic-v2.
.PHONY: bench-xscript learn-translit hanja-readings
bench-xscript: install
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python -m bench.matching.xscript

# Fit the per-script transliteration costs on the open token table (Wikidata labels, CC0).
learn-translit: install
	$(BIN)/python -m ncb.matching.xscript.learn $${NCB_BENCH_DATA:-../shared/bench}/names/translit_tokens_dev.tsv

# Hanja -> Hangul readings from Unicode's Unihan (Debian package unicode-data, Unicode License v3).
hanja-readings: install
	test -f /usr/share/unicode/Unihan_Readings.txt.bz2 || apt-get install -y unicode-data
	$(BIN)/python -m ncb.matching.xscript.hanja_build /usr/share/unicode

# Public-site messages: extract from the templates, merge into every catalogue, then translate
# the new entries (msgstr "") in ncb/web/public/locale/*/LC_MESSAGES/messages.po and commit.
i18n: install
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k N_ --no-location --omit-header -o /tmp/ncb-public.pot .
	$(BIN)/pybabel update -i /tmp/ncb-public.pot -d ncb/web/public/locale -D messages --no-fuzzy-matching --ignore-obsolete -w 100

clean:
	rm -rf $(VENV) *.sqlite3 test-output

# Pre-release only: rebuild the single initial migration from the models.
regen-migration: install
	rm -f ncb/store/migrations/versions/0001_initial_schema.py /tmp/ncb-regen.sqlite3
	$(BIN)/python -c "from alembic import command; from ncb.store.db import make_engine; from ncb.store.migrate import alembic_config; e = make_engine('sqlite:////tmp/ncb-regen.sqlite3'); c = alembic_config(e); conn = e.connect(); c.attributes['connection'] = conn; command.revision(c, message='initial schema', autogenerate=True, rev_id='0001'); conn.close()"
