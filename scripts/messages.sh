#!/usr/bin/env bash
# `make messages`: the catalogs brought up to date with the code, no translation lost.
#
# civicbridge's own makemessages (core/management/commands/makemessages.py: it reads the Jinja2
# row templates too), run once over the package: Django files each source under the nearest
# locale folder, so each app with one keeps its own catalog and the project's
# (src/civicbridge/locale) holds the rest. Its merge, though, only knows a catalog's own past:
# a message that moved between catalogs (alerts from funding to their own app) came out
# untranslated, and a changed one fuzzy, which the compiled catalog leaves out. So each catalog
# is merged again with what it was and a compendium of every catalog as it was, without fuzzy
# matching, and check-catalogs.py refuses a run that still lost a translation.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export SECRET_KEY=${SECRET_KEY:-unused-by-tools} CIVICBRIDGE_DATA_DIR=${CIVICBRIDGE_DATA_DIR:-/tmp/civicbridge-test-data}
CIVICBRIDGE="$(pwd)/$(dirname "$PY")/civicbridge"
DJANGO_CATALOGS=$("$PY" -c 'import django, pathlib; print(pathlib.Path(django.__file__).parent / "conf" / "locale")')
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
LANGS=(pl tr)
CATALOGS=(src/civicbridge/*/locale src/civicbridge/locale)

for lang in "${LANGS[@]}"; do
  msgcat --use-first -o "$WORK/compendium-$lang.po" "${CATALOGS[@]/%//$lang/LC_MESSAGES/django.po}"
  for catalog in "${CATALOGS[@]}"; do
    mkdir -p "$WORK/old/$catalog/$lang" && cp "$catalog/$lang/LC_MESSAGES/django.po" "$WORK/old/$catalog/$lang/"
  done
done
"$PY" scripts/check-catalogs.py save "$WORK/before.json"

(cd src/civicbridge && "$CIVICBRIDGE" makemessages -l pl -l tr --no-obsolete -v 0)

for catalog in "${CATALOGS[@]}"; do
  for lang in "${LANGS[@]}"; do
    po="$catalog/$lang/LC_MESSAGES/django.po"
    # Its own translations first, then any catalog's: makemessages left a message new to this
    # catalog untranslated even where another catalog had it translated.
    # Django's own catalog last, for a message of Django's the code names (core.filters.INVALID_CHOICE).
    msgmerge --quiet --no-fuzzy-matching --compendium="$WORK/compendium-$lang.po" \
      --compendium="$DJANGO_CATALOGS/$lang/LC_MESSAGES/django.po" -o "$WORK/merged.po" \
      "$WORK/old/$catalog/$lang/django.po" "$po"
    msgattrib --no-obsolete -o "$po" "$WORK/merged.po"
  done
done
"$PY" scripts/check-catalogs.py compare "$WORK/before.json"
(cd src/civicbridge && "$CIVICBRIDGE" compilemessages -v 0)
